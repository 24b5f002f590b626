// Marble-test helper for the pure client: give it the sources a test cares about, the rest stay
// silent (NEVER); timers use asyncScheduler, which runs on virtual time inside TestScheduler.run.
import { NEVER, asyncScheduler } from 'rxjs';
import { chatClient, type ClientSinks, type ClientSources } from '../../src/client/chat-client.ts';
import type { ClientConfig } from '../../src/client/client.ts';

export const SERVER = '127.0.0.1:7777';

/** Runs the client with `config` over `base`, with the given sources and config overrides. */
export function runClient(
  base: ClientConfig,
  sources: Partial<Omit<ClientSources, 'scheduler'>>,
  config: Partial<ClientConfig> = {},
): ClientSinks {
  return chatClient(
    {
      connected$: NEVER,
      serverFrame$: NEVER,
      serverClosed$: NEVER,
      userLine$: NEVER,
      userEof$: NEVER,
      interrupt$: NEVER,
      scheduler: asyncScheduler,
      ...sources,
    },
    { ...base, ...config },
  );
}
