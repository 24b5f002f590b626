// rxchat: a multi-user chat service on RxJS — one hub under the line protocol (TCP), the web page
// (WebSocket) and IRC, on one node or a cluster sharing its log in Redis.
//
// # Layout
// Everything outside `drivers/` and `bin/` is pure: no sockets, stdin, process or real clocks.
//
// The chat (pure): one deterministic reducer over an ordered log
// - core/intents.ts        what actors append to the log (claim, say, join, …) and the log entry
// - core/events.ts         what the chat decided: events that carry data and name their audience
// - core/state.ts          users, rooms (members, history), nodes; snapshot and restore
// - core/decide.ts         THE chat: decide(state, entry) → deliveries, the same on every node
// - core/names.ts          name validation and the case-insensitive key that makes names unique
// - core/rooms.ts          room names: validation, key, #lobby
// - core/text.ts           control-character stripping (ANSI escapes made inert)
//
// The hub: the log under the chat, and routing to this node's connections
// - hub/log.ts             the ChatLog interface (append; items: entries, restores, undelivered)
// - hub/memory-log.ts      the single node's log, in memory, on the trampoline
// - hub/hub.ts             decides the log in order, renders once per protocol, routes to ports
// - run.ts                 run(hub, drivers) → running server with shutdown (Cycle's run)
// - server.ts              the server `npm start` runs: settings → log, hub and every front end
//
// The line protocol front end (TCP; the web page speaks it too)
// - framing.ts             bytes → lines: bounded, CRLF, UTF-8 split across packets, "too long"
// - line/messages.ts       every line of the line protocol, written and read back (the only file with its wire text)
// - line/render.ts         events → lines, once per event for every line connection
// - line/commands.ts       a chatting user's line → a typed command (/who, /join, /msg, …)
// - line/session.ts        THE connection state machine: (session, input) → (session, effects)
// - line/front-end.ts      one actor per connection on the hub: scan(step), the port, the shell
// - line/wire-line.ts      an outgoing line, encoded once however many clients receive it
// - operators/pace.ts      flood control: a token bucket that delays, never drops or reorders
// - operators/actor-shell.ts every front end's actor shell: its own inputs, and carrying out its effects
//
// The web front end (the page on --web-port, and its WebSocket: the line protocol, one message per line)
// - drivers/ws-server.ts   node:http + ws: the page, GET /chat upgraded; a WebSocket is a line connection
//                          (same front end, count and limits), each line framed once; heartbeat, Origin check
// - drivers/http-page.ts   the built page in memory: fixed paths, strict CSP, cache headers, ETag
// - drivers/http-origin.ts who may open a session: Origin against Host and --web-origin; DNS rebinding (pure)
// - web/page.ts            THE page's state machine around the client's reducer: reconnect with backoff,
//                          the gap marker, rooms again, unread counts (pure)
// - web/memory.ts          what a reload remembers (name, rooms; sessionStorage), strictly decoded (pure)
// - web/segments.ts        a log line cut into marked pieces (room tag, stamp, speaker), joining back exactly (pure)
// - web/recall.ts          Up/Down history of the Message field (pure)
// - web/dom/*              the browser side: main.ts (scan over DOM, socket and timer sources), socket.ts,
//                          view.ts (text nodes only), scroll.ts (stick to bottom), index.html, page.css
// - web/build.ts           esbuild: the page's bundle into dist/page (npm run build:web)
//
// The IRC front end (irssi, WeeChat, HexChat on --irc-port; channels are the rooms)
// - irc/message.ts         the IRC message grammar: line ⇄ { tags, source, command, params }
// - irc/irc-line.ts        an outgoing IRC line: CR LF, at most 512 bytes, encoded once; text splitting
// - irc/casemap.ts         nicks and channels compared as the chat compares names; CASEMAPPING
// - irc/text.ts            IRC text made plain: formatting codes and control characters stripped
// - irc/numerics.ts        every server reply (numerics, CAP, PONG, ERROR): the only file with its text
// - irc/render.ts          events → IRC lines, once per event for every IRC connection
// - irc/step.ts            the session's state, inputs, effects; replies held in command order
// - irc/commands.ts        a registered user's commands → intents or local answers
// - irc/replies.ts         the chat's replies as numerics, read in the light of what was asked
// - irc/session.ts         THE IRC connection state machine: registration, timers, hub events
// - irc/front-end.ts       one actor per IRC connection on the hub: scan(step), the port, the shell
//
// Process and I/O
// - config.ts              defaults and the server's argv/env parser
// - cli-args.ts            strict flag parsing shared by both command lines
// - drivers/tcp-server.ts  the TCP listener: sockets, connection cap, output budget, pause/resume
// - drivers/outbox.ts      per-socket output: one write per flush, flushes spaced out under load, the sendq budget
// - drivers/socket.ts      a socket's bytes as an Observable; safe writes
// - drivers/redis-log.ts   the cluster's log: one Redis Stream every node appends to and reads (--redis)
// - drivers/redis-appends.ts  what a node holds on its way into the log; each intent decided once or undelivered (pure)
// - drivers/redis-entry.ts the stream entry codec and stream ids (pure); redis-keys.ts the cluster's keys
// - drivers/redis-conn.ts  one Redis connection with deadlines, replaced when it fails or hangs
// - drivers/redis-lease.ts node presence: leases with a TTL, declaring lapsed nodes gone
// - drivers/redis-snapshot.ts snapshots of the chat in Redis, and trimming the log behind them
// - drivers/redis-node.ts  a running server as a cluster node (closes the log last; fenced: closes)
// - drivers/metrics.ts     the Prometheus endpoint (--metrics-port); io-counters.ts the sockets' counters
// - bin/chat-server.ts     the `rxchat-server` command: settings, logging, signals, exit codes
//
// Client
// - client/client.ts       THE client state machine: (state, input) → (state, effects)
// - client/chat-client.ts  the client's pure main: driver sources in, effects out
// - client/sanitize.ts     neutralises server text before it reaches the terminal (or the page)
// - client/roster.ts       who is online, read off the server's lines (for Tab completion)
// - client/rooms.ts        my current room, my rooms, its members, the room list, off the same lines
// - client/name-list.ts    a bounded, case-insensitive list of names (the roster, a room's members)
// - client/complete.ts     Tab completion of command names, room names and users' names
// - client/style.ts        which kind of line a server line is (chat, private, notice, action)
// - client/paint.ts        whether to colour, and the colour of each kind of line
// - client/args.ts         the client's argv parser
// - drivers/tcp-client.ts  the client's socket
// - drivers/terminal.ts    readline: prompt, printing above the input, Ctrl-C / Ctrl-D
// - bin/chat-client.ts     the `rxchat` command
export { decide, decideAll } from './core/decide.ts';
export type { Audience, ChatEvent, Delivery, HistoryLine, Reply } from './core/events.ts';
export type { ConnId, Intent, LogEntry, NodeId } from './core/intents.ts';
export { ChatState, CHAT_DEFAULTS, type ChatConfig, type Snapshot } from './core/state.ts';
export { checkName, nameKey } from './core/names.ts';
export { checkRoom, roomKey, LOBBY } from './core/rooms.ts';
export { createHub, type Hub, type Port, type Renderer } from './hub/hub.ts';
export type { ChatLog, LogItem } from './hub/log.ts';
export { createMemoryLog } from './hub/memory-log.ts';
export { run, type Driver, type Listener, type Running } from './run.ts';
export { startServer } from './server.ts';
export { lineFrontEnd, type Connection, type FrontEnd, type Output } from './line/front-end.ts';
export { renderLine } from './line/render.ts';
export { step, initialSession, type Session, type SessionInput, type Effect } from './line/session.ts';
export { parseCommand, type Command } from './line/commands.ts';
export { splitLines, createLineDecoder, type Frame } from './framing.ts';
export { pace } from './operators/pace.ts';
export { ircFrontEnd, type IrcConfig } from './irc/front-end.ts';
export { parseMessage, serializeMessage, type IrcMessage } from './irc/message.ts';
export { ircRenderer } from './irc/render.ts';
export { step as ircStep, initialSession as initialIrcSession, type Session as IrcSession } from './irc/session.ts';
export { listenTcp, type TcpListener } from './drivers/tcp-server.ts';
export { listenWeb, wsLines, wsTextFrame, type WebListener, type WebListenerOptions } from './drivers/ws-server.ts';
export { checkHandshake } from './drivers/http-origin.ts';
export { startPage, stepPage, type PageEffect, type PageInput, type PageState } from './web/page.ts';
export { createRedisLog, type RedisLog, type RedisLogOptions } from './drivers/redis-log.ts';
export { createMetrics, type Metrics } from './drivers/metrics.ts';
