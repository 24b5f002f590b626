// Broadcast batches: the bus gathers the lines every member gets and hands them out together when
// the output scheduler says (in the listener: just before the sockets' next flush). Batching must
// never change what a connection sees or in which order; these tests hold the batches back with a
// scheduler that runs only when told, and check each client's lines while they wait.
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../src/framing.ts';
import { createChatServer, type Output } from '../src/server.ts';
import { CONFIG, L, lineTexts } from './helpers/chat.ts';
import { HeldScheduler } from './helpers/held-scheduler.ts';

interface Client {
  readonly input: Subject<Frame>;
  /** Each output as the list of lines it carries: a batch shows as several lines in one entry. */
  readonly outputs: string[][];
  /** Every line so far, in order. */
  lines(): string[];
  /** The lines received since the last call. */
  take(): string[];
}

function room(): { connect(id: number): Client; output: HeldScheduler } {
  const output = new HeldScheduler();
  const chat = createChatServer({ ...CONFIG, rate: 0 }, { outputScheduler: output });
  return {
    output,
    connect(id) {
      const input = new Subject<Frame>();
      const outputs: string[][] = [];
      let taken = 0;
      chat.connect({ id, frame$: input }).subscribe((o: Output) => {
        const lines = lineTexts(o);
        if (lines.length > 0) outputs.push(lines);
      });
      const lines = (): string[] => outputs.flat();
      return {
        input,
        outputs,
        lines,
        take() {
          const all = lines();
          const fresh = all.slice(taken);
          taken = all.length;
          return fresh;
        },
      };
    },
  };
}

/** Ann and Bob, both chatting, with every line so far handed out. */
function annAndBob(): { ann: Client; bob: Client; output: HeldScheduler } {
  const { connect, output } = room();
  const ann = connect(1);
  const bob = connect(2);
  ann.input.next(L('Ann'));
  bob.input.next(L('Bob'));
  output.run();
  return { ann, bob, output };
}

describe('broadcast batches', () => {
  it('should hand the lines said between two flushes to each member in one output', () => {
    const { connect, output } = room();
    const ann = connect(1);
    ann.input.next(L('Ann'));
    output.run();
    ann.take();
    ann.input.next(L('one'));
    ann.input.next(L('two'));
    ann.input.next(L('three'));
    expect(ann.take()).toEqual([]); // held until the flush
    expect(output.waiting).toBe(1); // one hand-out asked for, however many lines
    output.run();
    expect(ann.outputs.at(-1)).toEqual(['(Ann) one', '(Ann) two', '(Ann) three']);
  });

  it('should give a member who joins while lines are gathering only the lines after its join', () => {
    const { connect, output } = room();
    const ann = connect(1);
    ann.input.next(L('Ann'));
    output.run();
    ann.take();
    ann.input.next(L('before Bob'));
    const bob = connect(2);
    bob.input.next(L('Bob'));
    ann.input.next(L('after Bob'));
    const cy = connect(3);
    cy.input.next(L('Cy'));
    bob.input.next(L('hi all'));
    // The welcome is Bob's own line: it does not wait for the batch.
    expect(bob.take()).toEqual(['Username?', 'You are now connected, Bob!']);
    output.run();
    expect(ann.take()).toEqual(['(Ann) before Bob', '*** Bob joined the chat', '(Ann) after Bob', '*** Cy joined the chat', '(Bob) hi all']);
    expect(bob.take()).toEqual(['(Ann) after Bob', '*** Cy joined the chat', '(Bob) hi all']);
    expect(cy.take()).toEqual(['Username?', 'You are now connected, Cy!', '(Bob) hi all']);
  });

  it('should deliver the gathered lines before a line for one member, so it never overtakes them', () => {
    const { ann, bob, output } = annAndBob();
    ann.take();
    bob.take();
    ann.input.next(L('first'));
    bob.input.next(L('/who')); // a reply from the room
    expect(bob.take()).toEqual(['(Ann) first', '*** Users online (2): Ann, Bob']);
    ann.input.next(L('second'));
    bob.input.next(L('/nope')); // a reply from Bob's own session
    expect(bob.take()).toEqual(['(Ann) second', '*** Unknown command: /nope (try /help)']);
    ann.input.next(L('third'));
    ann.input.next(L('/msg bob psst')); // a whisper
    expect(bob.take()).toEqual(['(Ann) third', '[Ann -> Bob] psst']);
    ann.input.next(L('last words'));
    bob.input.next(L('exit'));
    expect(bob.take()).toEqual(['(Ann) last words', 'Goodbye Bob!']);
    expect(ann.take()).toEqual(['(Ann) first', '(Ann) second', '(Ann) third', '[Ann -> Bob] psst', '(Ann) last words']);
    output.run();
    expect(ann.take()).toEqual(['*** Bob left the chat']);
  });

  it('should hand a member who hangs up the lines said before it left (a half-closed client still reads)', () => {
    const { ann, bob, output } = annAndBob();
    bob.take();
    ann.input.next(L('said before'));
    bob.input.complete(); // Bob's side ends (EOF)
    expect(bob.take()).toEqual(['(Ann) said before']);
    ann.input.next(L('said after'));
    output.run();
    expect(bob.take()).toEqual([]);
    expect(ann.take().slice(-3)).toEqual(['(Ann) said before', '*** Bob left the chat', '(Ann) said after']);
  });
});
