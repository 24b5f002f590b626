// The numbers a run produces, by name: one vocabulary for measure.ts, report.ts and the JSON.
export type MetricKey =
  // Joining: every client connected, named and welcomed; every join notice delivered.
  | 'registeredS' // from the first connect to the last welcome
  | 'drainedS' // from the first connect to the last join notice received
  | 'joinNotices' // join notices delivered (n(n-1)/2)
  | 'joinNoticesPerS'
  | 'rssPerConnKiB' // server VmRSS growth over the join phase, per client
  | 'joinServerCpuS' // server CPU seconds spent on the join phase
  | 'joinWritesPerNotice' // server write syscalls over the join phase, per join notice
  | 'joinRssMiB' // server VmRSS right after the join phase (everyone registered, storm drained)
  // Rooms (scenarios with rooms): every client `/join`s its room.
  | 'roomsJoinS' // from the first `/join` sent to the last room join notice received
  | 'roomJoins' // room join notices delivered
  // Chatting: every sender's lines delivered to every client (of its room).
  | 'deliveries' // chat lines delivered (clients × senders × lines; with rooms, clients × lines)
  | 'sendS' // from the first line sent to the last line received
  | 'deliveriesPerS'
  | 'linesPerS' // chat lines decided per second (senders × lines / send phase)
  | 'serverCpuUsPerDelivery'
  | 'writesPerDelivery' // server write syscalls over the chat phase, per delivery (1 = no batching)
  | 'p50Ms' // send-to-receipt latency percentiles, over every delivery
  | 'p99Ms'
  | 'maxMs'
  | 'latencyNegative' // samples below zero (clock skew between processes), counted as 0
  // Who was busy during the measured phase (chat phase, or join phase without senders).
  | 'serverCpuPct' // % of one core
  | 'loadCpuPct' // % of one core, all load workers together
  | 'serverRssMiB' // at the end of the run
  // A cluster (bench/cluster.ts): Redis under the measured phase, and what one Redis caps.
  | 'redisCpuPct' // % of one core
  | 'redisCpuSharePct' // Redis's share of the cluster's CPU (nodes + Redis), %
  | 'redisAppendsPerS1' // XADDs per second with one writer (one in flight): one node's ceiling in batches/s
  | 'redisAppendsPerS16'; // with 16 writers

export type Metrics = Partial<Record<MetricKey, number>>;
