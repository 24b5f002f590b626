// What this process's sockets did, counted where it happens (outbox.ts, tcp-server.ts) and read by
// the metrics endpoint (metrics.ts). Plain numbers: a counter on the hot path costs one addition.
export const ioCounters = {
  /** Lines queued for clients (one per line per recipient). */
  linesOut: 0,
  /** Bytes handed to sockets. */
  bytesOut: 0,
  /** Clients cut off because their unsent output passed `--sendq-bytes`. */
  sendqCutoffs: 0,
  /** Times reading a client was paused (flood control, or lines held while a name is claimed). */
  floodPauses: 0,
};
