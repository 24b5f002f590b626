// web-fan-out: the fan-out scenario with every client on the web front end's WebSocket, next to
// the same load over TCP in the same round: what WebSocket framing costs rxchat per delivery.
//
// `rxchat` and `rxchat-web` are the same server process (same flags, every front end on); only
// the load's clients differ: TCP line sockets, or WebSockets (load/web-socket.ts: one masked text
// frame per line out, one unmasked frame per line in). The ratio rxchat-web/rxchat is the web
// front end's throughput and cost against TCP's, measured on the same machine in the same round.
import { fanOut } from './fan-out.ts';
import type { Scenario } from './spec.ts';

export const webFanOut: Scenario = {
  ...fanOut,
  name: 'web-fan-out',
  summary: `as fan-out (${fanOut.full.clients} clients, ${fanOut.full.senders} senders x ${fanOut.full.lines} lines, window 32), every client a WebSocket; rxchat = the same load over TCP`,
  servers: ['rxchat', 'rxchat-web'],
  ratios: [['rxchat-web', 'rxchat']],
};
