// Chat traffic for cluster tests: clients saying numbered lines, and waiting until every line is
// accounted for (read by everyone, or answered `*** Not delivered` to its sender), on events only.
import { pause, type Client } from './redis-cluster.ts';

/** Each client says `count` lines `<name>-<n>`, `gapMs` apart (flood control allows 20/s). */
export async function chatter(clients: readonly Client[], count: number, gapMs: number): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      for (let n = 0; n < count; n++) {
        if (client.closed) return;
        client.say(`${client.name}-${n}`);
        await pause(gapMs);
      }
    }),
  );
}

/**
 * Waits until every line each client said is settled: its sender read it back (`(<name>) <text>`)
 * or was told `*** Not delivered: <text>`; then until every other client read each delivered one.
 * Returns the lines not delivered, by sender.
 */
export async function settle(clients: readonly Client[], timeoutMs: number): Promise<Map<string, string[]>> {
  const refused = new Map<string, string[]>();
  await Promise.all(
    clients.map(async (sender) => {
      for (const text of sender.said) {
        const answer = await sender.waitFor((l) => l === `(${sender.name}) ${text}` || l === `*** Not delivered: ${text}`, timeoutMs);
        if (answer.startsWith('*** Not delivered')) refused.set(sender.name, [...(refused.get(sender.name) ?? []), text]);
      }
    }),
  );
  await Promise.all(
    clients.flatMap((sender) =>
      sender.said
        .filter((text) => !(refused.get(sender.name) ?? []).includes(text))
        .map((text) => Promise.all(clients.map((reader) => reader.waitFor(`(${sender.name}) ${text}`, timeoutMs)))),
    ),
  );
  return refused;
}

/** Each client's chat lines (`(<name>) <text>`), in the order it read them. */
export function chatLines(client: Client): string[] {
  return client.lines.filter((l) => /^\(\S+\) /.test(l));
}
