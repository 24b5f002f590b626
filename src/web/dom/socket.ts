// The page's WebSocket driver: opens a connection per session, turns its events into page inputs,
// sends lines. One text message is one line each way (PROTOCOL.md "Web front end"); a message that
// holds several LF-separated lines (not what rxchat sends, but harmless) is read as several.
//
// Events are tagged with their session, so the page ignores whatever an old socket still says
// after a reconnect. Only one socket is open at a time: a new session closes the old one.
import type { PageInput } from '../page.ts';

/** The longest message read as lines; a longer one is reported as too long (the server's lines are at most a few KiB). */
const MAX_MESSAGE_CHARS = 1 << 20;

export interface SocketDriver {
  connect(session: number): void;
  send(text: string): void;
  disconnect(): void;
}

/** `emit` receives the inputs; the URL is the page's own host, path /chat (ws: or wss: as the page). */
export function socketDriver(url: string, emit: (input: PageInput) => void): SocketDriver {
  let socket: WebSocket | null = null;

  const drop = (): void => {
    if (socket === null) return;
    const old = socket;
    socket = null;
    old.onopen = old.onmessage = old.onclose = old.onerror = null;
    if (old.readyState === WebSocket.CONNECTING || old.readyState === WebSocket.OPEN) old.close(1000);
  };

  return {
    connect(session) {
      drop();
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch {
        // A malformed URL or a blocked port: as good as a refused connection.
        window.setTimeout(() => emit({ kind: 'socket-closed', session, at: Date.now(), random: Math.random() }), 0);
        return;
      }
      socket = ws;
      ws.onopen = () => emit({ kind: 'socket-open', session });
      ws.onmessage = (event: MessageEvent<unknown>) => {
        const at = Date.now();
        if (typeof event.data !== 'string') return; // the server only sends text
        if (event.data.length > MAX_MESSAGE_CHARS) return;
        const lines = event.data.split('\n');
        if (lines.length > 1 && lines.at(-1) === '') lines.pop();
        for (const text of lines) emit({ kind: 'socket-line', session, text: text.endsWith('\r') ? text.slice(0, -1) : text, at });
      };
      ws.onclose = () => {
        if (socket === ws) socket = null;
        emit({ kind: 'socket-closed', session, at: Date.now(), random: Math.random() });
      };
    },
    send(text) {
      if (socket !== null && socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    disconnect: drop,
  };
}

/** The chat's WebSocket URL for a page at `location`. */
export function chatUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/chat`;
}
