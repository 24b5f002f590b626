// A load worker process: runs a share of the simulated clients and reports to the coordinator.
//
// Started by the coordinator with child_process.fork (an IPC channel, plain node on the
// transpiled file). It does what the Commands in messages.ts ask, one phase at a time:
// `setup` creates the clients (answered by `prepared`), `connect` opens them (at most
// `connectConcurrency` not yet accepted at once) and answers each prompt, `enter` has each client
// `/join` its room (scenarios with rooms; answered by `entered`), `send` starts the senders, `report` ships the fingerprints and the latency histogram, `stop` closes all, exits.
// Progress goes up every 20 ms while anything changed, so the coordinator can tell when the
// join storm has drained; exact times travel in the messages, not in their arrival.
// If the coordinator goes away (the IPC channel closes), the worker exits at once.
import { SimClient, type ClientContext, type Tally } from './client.ts';
import { Histogram } from './histogram.ts';
import { isCommand, type Command, type Setup, type WorkerEvent } from './messages.ts';

const PROGRESS_EVERY_MS = 20;
const MAX_FAULT_SAMPLES = 5;

interface Run {
  readonly setup: Setup;
  readonly clients: readonly SimClient[];
  readonly latency: Histogram;
  readonly tally: Tally;
  welcomed: number;
  lastWelcomedAt: number;
  entered: number;
  lastEnteredAt: number;
  complete: number;
  faults: number;
  readonly faultSamples: string[];
  progress: NodeJS.Timeout | null;
}

let run: Run | null = null;
let fatalSent = false;

function tell(event: WorkerEvent): void {
  if (process.connected) process.send?.(event);
}

function create(setup: Setup): Run {
  const tally: Tally = { joins: 0, roomJoins: 0, chats: 0, lastReceivedAt: 0, firstSentAt: 0, changed: false };
  const latency = new Histogram();
  const clients: SimClient[] = [];
  const state: Run = {
    setup,
    clients,
    latency,
    tally,
    welcomed: 0,
    lastWelcomedAt: 0,
    entered: 0,
    lastEnteredAt: 0,
    complete: 0,
    faults: 0,
    faultSamples: [],
    progress: null,
  };
  const ctx: ClientContext = {
    transport: setup.transport,
    senders: setup.senders,
    rooms: setup.rooms,
    lines: setup.lines,
    mode: setup.mode,
    latency,
    tally,
    welcomed(at) {
      state.welcomed++;
      state.lastWelcomedAt = Math.max(state.lastWelcomedAt, at);
      tally.changed = true;
      if (state.welcomed === clients.length) {
        reportProgress(state);
        tell({ kind: 'welcomed', at: state.lastWelcomedAt });
      }
    },
    entered(at) {
      state.entered++;
      state.lastEnteredAt = Math.max(state.lastEnteredAt, at);
      tally.changed = true;
      if (state.entered === clients.length) {
        reportProgress(state);
        tell({ kind: 'entered', at: state.lastEnteredAt });
      }
    },
    chatComplete(at) {
      state.complete++;
      if (state.complete === clients.length) {
        reportProgress(state);
        tell({ kind: 'received', firstSentAt: tally.firstSentAt, lastReceivedAt: at });
      }
    },
    fault(description) {
      state.faults++;
      if (state.faultSamples.length < MAX_FAULT_SAMPLES) state.faultSamples.push(description);
    },
    fatal(message) {
      if (fatalSent) return;
      fatalSent = true;
      tell({ kind: 'fatal', message });
    },
  };
  for (const g of setup.clients) clients.push(new SimClient(g, ctx));
  return state;
}

function reportProgress(state: Run): void {
  const { tally } = state;
  tally.changed = false;
  tell({
    kind: 'progress',
    welcomed: state.welcomed,
    joins: tally.joins,
    entered: state.entered,
    roomJoins: tally.roomJoins,
    chats: tally.chats,
    lastReceivedAt: tally.lastReceivedAt,
    lastWelcomedAt: state.lastWelcomedAt,
  });
}

/** Opens every client, keeping at most `connectConcurrency` connections waiting to be accepted. */
function connectAll(state: Run): void {
  const { host, port, connectConcurrency } = state.setup;
  let next = 0;
  const openNext = (): void => {
    if (next >= state.clients.length) return;
    const client = state.clients[next++]!;
    client.connect(host, port, openNext);
  };
  for (let i = 0; i < connectConcurrency; i++) openNext();
}

function handle(command: Command): void {
  switch (command.kind) {
    case 'setup':
      run = create(command);
      tell({ kind: 'prepared' });
      return;
    case 'connect': {
      if (run === null) return;
      const state = run;
      state.progress = setInterval(() => {
        if (state.tally.changed) reportProgress(state);
      }, PROGRESS_EVERY_MS);
      if (state.clients.length === 0) tell({ kind: 'welcomed', at: 0 });
      connectAll(state);
      return;
    }
    case 'enter':
      if (run === null) return;
      for (const client of run.clients) client.enterRoom();
      if (run.clients.length === 0 || run.setup.rooms === 0) tell({ kind: 'entered', at: 0 });
      return;
    case 'send':
      if (run === null) return;
      for (const client of run.clients) client.startSending();
      if (run.clients.length === 0 || run.setup.lines === 0) tell({ kind: 'received', firstSentAt: 0, lastReceivedAt: 0 });
      return;
    case 'report':
      if (run === null) return;
      tell({
        kind: 'report',
        report: {
          clients: run.clients.map((client) => client.summary()),
          latency: run.latency.toData(),
          faults: run.faults,
          faultSamples: run.faultSamples,
        },
      });
      return;
    case 'stop':
      stopAll();
      process.disconnect();
      process.exit(0);
  }
}

function stopAll(): void {
  if (run === null) return;
  if (run.progress !== null) clearInterval(run.progress);
  for (const client of run.clients) client.stop();
}

process.on('message', (message: unknown) => {
  if (isCommand(message)) handle(message);
});
process.on('disconnect', () => {
  stopAll();
  process.exit(0);
});
tell({ kind: 'ready' });
