// The page bundles src/line/messages.ts, whose WireLine can encode itself into a Node Buffer for
// the server's sockets. The page never calls encode(); this declares just enough of Buffer for the
// type check of that file, instead of all of Node's types (which would let Node-only code into the
// page unnoticed: the page is checked against the DOM alone).
declare class Buffer extends Uint8Array {
  static from(text: string, encoding: 'utf8'): Buffer;
}
