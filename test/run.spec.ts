// run(hub, drivers) from the outside: a server built from src/index.ts's exports alone, with two
// line-protocol front ends on one hub (two TCP ports). Users on either port share one chat, one
// order and one name space; connection ids are unique across the two; shutdown reaches both.
import { afterEach, describe, expect, it } from 'vitest';
import { createHub, createMemoryLog, lineFrontEnd, listenTcp, run, type Driver, type Running } from '../src/index.ts';
import { connectPrompted, joinAs } from './helpers/tcp.ts';

let running: Running | undefined;
afterEach(async () => {
  await running?.shutdown(0);
  running = undefined;
});

describe('run: a hub with two front ends', () => {
  it('should serve one chat on two ports, with ids unique across them and shutdown reaching both', async () => {
    const hub = createHub(createMemoryLog('n9'));
    const line = lineFrontEnd(hub, { maxLineBytes: 4096, nameTimeoutMs: 60_000, rate: 20, burst: 40 });
    const ids: string[] = [];
    const newId = (): string => {
      const id = hub.newConn();
      ids.push(id);
      return id;
    };
    const tcp = (name: string): Driver => async () => ({
      name,
      ...(await listenTcp(
        { host: '127.0.0.1', port: 0, maxLineBytes: 4096, sendqBytes: 1 << 20, admit: () => hub.connections() < 100, full: Buffer.from('*** Server full\n'), newId },
        line.connect,
        () => {},
      )),
    });
    running = await run(hub, [tcp('first'), tcp('second')]);
    const [first, second] = running.listeners;
    expect(first!.port).not.toBe(second!.port);

    const ann = await joinAs(first!.port, 'Ann');
    const bob = await joinAs(second!.port, 'Bob');
    await ann.expectLines(['*** Bob joined the chat']);
    const taken = await connectPrompted(second!.port);
    await taken.send('ANN');
    await taken.expectLines(['*** Username ANN is taken', 'Username?']);
    await ann.send('one chat');
    await ann.expectLines(['(Ann) one chat']);
    await bob.expectLines(['(Ann) one chat']);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id.startsWith('n9/'))).toBe(true);
    expect(running.connections()).toBe(3);

    const closing = running.shutdown(1000);
    for (const client of [ann, bob, taken]) expect(await client.waitForClose()).toEqual(['*** Server is shutting down']);
    await closing;
  });

  it('should close the listeners already started when one cannot listen', async () => {
    const hub = createHub(createMemoryLog('n9'));
    const failing: Driver = () => Promise.reject(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }));
    let closed = false;
    const fine: Driver = async () => ({ name: 'fine', host: '127.0.0.1', port: 1, connections: () => 0, close: async () => void (closed = true) });
    await expect(run(hub, [fine, failing])).rejects.toThrow('EADDRINUSE');
    expect(closed).toBe(true);
  });
});
