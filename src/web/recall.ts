// The Message field's history, as in a terminal: Up recalls the lines sent before, Down comes back
// to the newest and then to what was being typed (the draft). Pure.

/** At most this many sent lines are kept. */
export const MAX_RECALL = 100;

export interface Recall {
  /** Lines sent, oldest first. */
  readonly lines: readonly string[];
  /** Which line the field shows: lines.length means the draft. */
  readonly at: number;
  /** What was in the field before the first Up. */
  readonly draft: string;
}

export const EMPTY_RECALL: Recall = Object.freeze({ lines: Object.freeze([]), at: 0, draft: '' });

/** After a line was sent: it is the newest, and the field is a fresh draft. Blank lines and repeats are not kept twice. */
export function sent(recall: Recall, line: string): Recall {
  const keep = line.trim() !== '' && recall.lines.at(-1) !== line;
  const lines = keep ? [...recall.lines, line].slice(-MAX_RECALL) : recall.lines;
  return { lines, at: lines.length, draft: '' };
}

/** Up (-1) or Down (+1) from the field showing `field`: the next state and what the field shows then. */
export function move(recall: Recall, direction: -1 | 1, field: string): { readonly recall: Recall; readonly field: string } {
  const at = Math.min(recall.lines.length, Math.max(0, recall.at + direction));
  if (at === recall.at) return { recall, field };
  const draft = recall.at === recall.lines.length ? field : recall.draft;
  return { recall: { ...recall, at, draft }, field: at === recall.lines.length ? draft : (recall.lines[at] ?? '') };
}
