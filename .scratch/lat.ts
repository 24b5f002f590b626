// scratch: echo latency with N idle listeners, rxchat vs tuned
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

const [which, nStr] = process.argv.slice(2);
const N = Number(nStr ?? 50);
const cmd = which === 'tuned' ? ['--import', 'tsx', 'bench/baselines/tuned.ts', '--port', '0'] : ['dist/bin/chat-server.js', '--port', '0', '--rate', '0', '--max-clients', '5000'];
const proc = spawn(process.execPath, cmd, { stdio: ['ignore', 'pipe', 'pipe'] });
let port = 0;
await new Promise<void>((res) => {
  const onData = (b: Buffer) => { const m = /(\d{4,5})/.exec(b.toString().split('\n').find((l) => /listening/.test(l)) ?? ''); if (m) { port = Number(m[1]); res(); } };
  proc.stdout.on('data', onData); proc.stderr.on('data', onData);
});
function client(name: string): Promise<{ s: Socket; lines: (cb: (l: string) => void) => void }> {
  return new Promise((res) => {
    const s = connect(port, '127.0.0.1'); s.setNoDelay(true);
    let buf = ''; let cb: (l: string) => void = () => {};
    s.on('data', (d) => { buf += d; let i; while ((i = buf.indexOf('\n')) >= 0) { const l = buf.slice(0, i); buf = buf.slice(i + 1); cb(l); } });
    cb = (l) => { if (l === 'Username?') s.write(name + '\n'); if (l.startsWith('You are now')) { cb = () => {}; res({ s, lines: (f) => { cb = f; } }); } };
  });
}
const sender = await client('sender');
const others = [];
for (let i = 0; i < N; i++) others.push(await client('u' + i));
await new Promise((r) => setTimeout(r, 300));
const lat: number[] = [];
let lastRecv = 0;
others[N - 1]!.lines((l) => { const m = /\) (\d+\.\d+)/.exec(l); if (m) lat.push(performance.now() - Number(m[1])); });
sender.lines(() => {});
for (const o of others.slice(0, -1)) o.lines(() => {});
for (let i = 0; i < 400; i++) {
  sender.s.write(`${performance.now()}\n`);
  await new Promise((r) => setTimeout(r, 10));
}
await new Promise((r) => setTimeout(r, 300));
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.floor(p * (lat.length - 1))]!.toFixed(3);
console.log(which, N, 'n', lat.length, 'p50', q(0.5), 'p90', q(0.9), 'p99', q(0.99), 'max', q(1));
proc.kill(); process.exit(0);
