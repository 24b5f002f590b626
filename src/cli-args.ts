// Command-line plumbing shared by the server and the client: strict flag parsing that returns a
// value instead of throwing, and whole-number flags checked against a range, with messages that
// name the flag and the bad value. Pure: argv comes in as an argument.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command line asks for: run with these settings, show help, or stop with a message. */
export type ParsedArgs<Settings> =
  | { readonly kind: 'run'; readonly settings: Settings }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'error'; readonly message: string };

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

/** Strict parse (unknown flags, stray arguments and missing values are errors). */
export function parseFlags(argv: readonly string[], options: Options): { readonly values: Values } | { readonly error: string } {
  try {
    const { values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options });
    return { values: values as Values };
  } catch (err) {
    // Node's messages can run on over several sentences and lines: keep the first sentence.
    const message = err instanceof Error ? err.message : String(err);
    return { error: (message.split(/\.(?:\s|$)/)[0] ?? message).trim() };
  }
}

/** A string flag's value, if it was given. */
export function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The whole number `raw` names, `fallback` when absent, or an error sentence naming `flag` and the range. */
export function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number | string {
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return `invalid value for ${flag}: '${raw}' (expected a whole number from ${min} to ${max})`;
  }
  return value;
}
