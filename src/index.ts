// rxchat: a multi-user TCP chat server and terminal client, built as actors on RxJS streams.
//
// # Layout
// Everything outside `drivers/` and `bin/` is pure: no sockets, stdin, process or real clocks.
//
// Server
// - framing.ts             bytes → lines: bounded, CRLF, UTF-8 split across packets, "too long"
// - protocol/messages.ts   every line the server sends (the only file with wire text)
// - protocol/wire-line.ts  an outgoing line, encoded once however many clients receive it
// - protocol/wire-batch.ts the broadcast lines of one flush, concatenated once for every member
// - protocol/text.ts       control-character stripping (ANSI escapes made inert)
// - protocol/names.ts      name validation and the case-insensitive key that makes names unique
// - protocol/commands.ts   a chatting user's line → a typed command (/who, /msg, /nick, …)
// - protocol/events.ts     the bus vocabulary: intents actors publish, events the room decides
// - protocol/room.ts       the roster and the room reducer: decides every intent, in one order
// - protocol/session.ts    THE connection state machine: (session, input) → (session, effects)
// - operators/pace.ts      flood control: a token bucket that delays, never drops or reorders
// - bus.ts                 the Subject every actor publishes to, trampolined, fanned out to all
// - server.ts              the pure main: runs each connection's actor with scan, carries out effects
// - config.ts              defaults and the server's argv/env parser
// - cli-args.ts            strict flag parsing shared by both command lines
// - drivers/tcp-server.ts  the listener: sockets, connection cap, output budget, pause/resume
// - drivers/outbox.ts      per-socket output: one write per flush, flushes spaced out under load,
//                          the scheduler broadcast batches go out on, the sendq budget
// - drivers/socket.ts      a socket's bytes as an Observable; safe writes
// - bin/chat-server.ts     the `rxchat-server` command: settings, logging, signals, exit codes
//
// Client
// - client/client.ts       THE client state machine: (state, input) → (state, effects)
// - client/chat-client.ts  the client's pure main: driver sources in, effects out
// - client/sanitize.ts     neutralises server text before it reaches the terminal
// - client/roster.ts       who is online, read off the server's lines (for Tab completion)
// - client/complete.ts     Tab completion of command names and users' names
// - client/style.ts        which kind of line a server line is (chat, private, notice, action)
// - client/paint.ts        whether to colour, and the colour of each kind of line
// - client/args.ts         the client's argv parser
// - drivers/tcp-client.ts  the client's socket
// - drivers/terminal.ts    readline: prompt, printing above the input, Ctrl-C / Ctrl-D
// - bin/chat-client.ts     the `rxchat` command
export { createChatServer, type ChatServer, type Connection, type Output, type ServerConfig } from './server.ts';
export { createBus, type Bus } from './bus.ts';
export { splitLines, createLineDecoder, type Frame } from './framing.ts';
export { pace } from './operators/pace.ts';
export { step, initialSession, type Session, type SessionInput, type Effect } from './protocol/session.ts';
export { applyIntent, Roster } from './protocol/room.ts';
export { parseCommand, type Command } from './protocol/commands.ts';
export { checkName, nameKey } from './protocol/names.ts';
export { listenTcp, type TcpListener } from './drivers/tcp-server.ts';
