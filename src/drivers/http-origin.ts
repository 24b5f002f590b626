// Who may open a WebSocket session: the handshake's Origin and Host against the page's own. Pure.
//
// Browsers let any page open a WebSocket to any server (no same-origin policy), so a foreign page
// could open a chat session in its visitor's browser (Cross-Site WebSocket Hijacking). RFC 6455
// §10.2 and OWASP ASVS 4.4.2: check `Origin`, refuse a foreign one with 403.
//   - no Origin at all: not a browser (a script, the bench): accepted, as a TCP client would be;
//   - the page's own origin, `http(s)://<Host>`: accepted (PROTOCOL.md "Web front end");
//   - an origin given with `--web-origin`: accepted;
//   - anything else, `null` (sandboxed frames, file: pages) included: refused.
// DNS rebinding: a page at http://evil.example:7780 whose name the attacker points at 127.0.0.1 has
// an Origin equal to its Host. So while the server listens on a loopback address only, the Host
// must be a loopback name as well (localhost, 127.0.0.0/8, ::1): the page's own origin is then one
// the attacker cannot own.

/** What the handshake carried and how the server listens. */
export interface Handshake {
  /** The `Origin` header; undefined when the client sent none. */
  readonly origin: string | undefined;
  /** The `Host` header. */
  readonly host: string | undefined;
  /** True when the server listens on a loopback address only. */
  readonly loopbackOnly: boolean;
  /** `--web-origin` values, as given. */
  readonly allowed: readonly string[];
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = Object.freeze({ ok: true });

/** Whether a WebSocket handshake may proceed; the reason goes to the server's log. */
export function checkHandshake({ origin, host, loopbackOnly, allowed }: Handshake): Verdict {
  if (origin === undefined) return OK;
  const from = originOf(origin);
  if (from === null) return { ok: false, reason: `unusable Origin ${JSON.stringify(origin)}` };
  if (allowed.some((a) => originOf(a) === from)) return OK;
  const own = host === undefined ? null : hostOf(host);
  if (own === null) return { ok: false, reason: `Origin ${from} with no usable Host` };
  if (from !== `http://${own}` && from !== `https://${own}`) return { ok: false, reason: `foreign Origin ${from} (the page is at ${own})` };
  if (loopbackOnly && !isLoopbackHost(own)) return { ok: false, reason: `Host ${own} is not a loopback name` };
  return OK;
}

/** `scheme://host[:port]` in canonical form (lower case, default port left out), or null. */
export function originOf(text: string): string | null {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** A Host header's `host[:port]` in canonical form (as URL.host has it), or null. */
export function hostOf(header: string): string | null {
  if (header === '' || /[\s/?#@]/u.test(header)) return null;
  try {
    return new URL(`http://${header}`).host;
  } catch {
    return null;
  }
}

/** True for `localhost` (and `*.localhost`), 127.0.0.0/8 and [::1], with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/u, '');
  return name === 'localhost' || name.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/u.test(name) || name === '[::1]';
}

/** True for an address the OS treats as loopback (what `--host` binds to). */
export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127(?:\.\d{1,3}){3}$/u.test(address) || /^::ffff:127\./u.test(address);
}
