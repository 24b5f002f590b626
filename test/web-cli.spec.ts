// The web front end from the command line: `rxchat-server --web-port 0` logs the page's address
// next to `listening on`, serves the page and the WebSocket there, and tells WebSocket users on
// SIGTERM; `--web-port off` turns it off (PROTOCOL.md "Server command line").
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../src/web/build.ts';
import { closeAllWebSockets, connectWeb } from './helpers/browser-socket.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../src/bin/chat-server.ts', import.meta.url));
const WAIT_MS = 8000;

const children: ChildProcess[] = [];
afterEach(() => {
  closeAllWebSockets();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
beforeAll(() => buildPage(), 30_000);

/** The server as a process; `stderr()` is what it logged so far, `until` waits for a pattern in it. */
function serve(args: readonly string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, '--host', '127.0.0.1', '--port', '0', '--irc-port', 'off', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const until = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const look = (): void => {
        const match = pattern.exec(err);
        if (match !== null) return resolve(match);
        if (child.exitCode !== null || Date.now() - started > WAIT_MS) return reject(new Error(`no ${pattern} in ${JSON.stringify(err)}`));
        setTimeout(look, 20);
      };
      look();
    });
  return { child, stderr: () => err, until, exited };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('rxchat-server and the web front end', () => {
  it('should log the page\'s address, serve the page and the chat there, and say goodbye on SIGTERM', async () => {
    const server = serve(['--web-port', '0']);
    await server.until(/^listening on 127\.0\.0\.1:\d+$/m);
    const web = Number((await server.until(/^web on http:\/\/127\.0\.0\.1:(\d+)\/$/m))[1]);
    const page = await get(web, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('role="log"');
    const ann = await connectWeb(web);
    await ann.expectLines(['Username?']);
    await ann.send('Ann');
    await ann.expectLines(['You are now connected, Ann!']);
    server.child.kill('SIGTERM');
    expect(await ann.waitForClose(5000)).toEqual({ code: 1000, unread: ['*** Server is shutting down'] });
    expect(await server.exited).toBe(0);
  }, 20_000);

  it('should not serve the web with --web-port off', async () => {
    const server = serve(['--web-port', 'off']);
    await server.until(/^listening on 127\.0\.0\.1:\d+$/m);
    await server.until(/^limits: /m); // logged after every listener's line
    expect(server.stderr()).not.toMatch(/^web on /m);
  }, 20_000);
});
