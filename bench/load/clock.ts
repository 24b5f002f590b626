// The load generator's one clock: wall-clock milliseconds with sub-millisecond resolution.
//
// Senders and receivers live in different processes, so latency needs a clock they share.
// `performance.now()` alone is per process (it counts from the process's own start), but
// `performance.timeOrigin + performance.now()` is the Unix epoch in ms, taken once from the
// realtime clock at start-up and advanced by the monotonic clock: comparable across processes
// on one machine to within a few microseconds, and immune to clock steps during a run.

/** Milliseconds since the Unix epoch, as a float with microsecond resolution. */
export function clockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The same clock in whole microseconds (a safe integer until the year 2255). */
export function clockUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}
