// The web page's entry point: the page reducer (../page.ts, around the terminal client's reducer)
// run with `scan` over one merged stream of everything that happens, its effects carried out by
// small drivers: the WebSocket, timers, sessionStorage and the DOM. Cycle's shape, as in the
// terminal client (src/client/chat-client.ts):
//
//   socket events ───────────┐
//   timers ──────────────────┤
//   Enter, room clicks ──────┼─▶ scan(stepPage) ─▶ effects ─▶ socket, timers, storage, log
//   visibility, online ──────┘                  └─▶ state ───▶ status, title, rooms, members
//
// Keyboard: Enter sends; Tab completes names, commands and rooms (only when there is something to
// complete, so Tab still leaves the field otherwise); Up/Down recall sent lines; Alt+Up/Down switch
// rooms; PageUp/PageDown scroll the log; Escape jumps to the newest line.
import { Observable, Subject, fromEvent, map, merge, scan } from 'rxjs';
import { roomsOf, rosterOf } from '../../client/client.ts';
import { commonPrefix, complete } from '../../client/complete.ts';
import { MEMORY_KEY, decodeMemory, encodeMemory, type Memory } from '../memory.ts';
import { roomListOf, startPage, stepPage, type PageConfig, type PageEffect, type PageInput, type PageState, type PageTransition, type TimerName } from '../page.ts';
import { EMPTY_RECALL, move, sent } from '../recall.ts';
import { chatUrl, socketDriver } from './socket.ts';
import { createView, findElements } from './view.ts';

const GOODBYE_TIMEOUT_MS = 2000;

const el = findElements(document);
const view = createView(document, el);
const config: PageConfig = { server: location.host, goodbyeTimeoutMs: GOODBYE_TIMEOUT_MS };
const inputs = new Subject<PageInput>();
const emit = (input: PageInput): void => inputs.next(input);
const socket = socketDriver(chatUrl(location), emit);

// ---------------------------------------------------------------------------------------------
// Drivers

/** sessionStorage, which a browser may refuse (privacy settings): then nothing is remembered. */
const storage = {
  read(): Memory {
    try {
      return decodeMemory(window.sessionStorage.getItem(MEMORY_KEY));
    } catch {
      return decodeMemory(null);
    }
  },
  write(memory: Memory): void {
    try {
      window.sessionStorage.setItem(MEMORY_KEY, encodeMemory(memory));
    } catch {
      // Not remembered: a reload asks for the name again.
    }
  },
};

const timers = new Map<TimerName, number>();
function startTimer(timer: TimerName, ms: number): void {
  stopTimer(timer);
  timers.set(timer, window.setTimeout(() => {
    timers.delete(timer);
    emit({ kind: 'timer', timer });
  }, ms));
}
function stopTimer(timer: TimerName): void {
  const handle = timers.get(timer);
  if (handle !== undefined) window.clearTimeout(handle);
  timers.delete(timer);
}

let recall = EMPTY_RECALL;

function perform(effect: PageEffect): void {
  switch (effect.kind) {
    case 'connect':
      socket.connect(effect.session);
      break;
    case 'send':
      socket.send(effect.text);
      break;
    case 'disconnect':
      socket.disconnect();
      break;
    case 'show':
      view.line(effect.text, effect.style, effect.room, new Date());
      break;
    case 'gap':
      view.gap(new Date(effect.from), new Date(effect.to));
      break;
    case 'start-timer':
      startTimer(effect.timer, effect.ms);
      break;
    case 'stop-timer':
      stopTimer(effect.timer);
      break;
    case 'remember':
      storage.write(effect.memory);
      break;
    case 'take-input':
      recall = sent(recall, el.input.value);
      el.input.value = '';
      view.toBottom(); // sending shows the newest lines, wherever the reader was
      break;
  }
}

// ---------------------------------------------------------------------------------------------
// Sources

const submit$: Observable<PageInput> = fromEvent<SubmitEvent>(el.form, 'submit').pipe(
  map((event) => {
    event.preventDefault();
    return { kind: 'user-line', text: el.input.value };
  }),
);
const roomClick$: Observable<PageInput> = new Observable<PageInput>((subscriber) => {
  const onClick = (event: MouseEvent): void => {
    const button = event.target instanceof Element ? event.target.closest('button[data-room]') : null;
    const room = button instanceof HTMLElement ? button.dataset.room : undefined;
    if (room === undefined) return;
    subscriber.next({ kind: 'switch-room', room });
    el.app.classList.remove('show-members');
    el.input.focus();
  };
  el.roomList.addEventListener('click', onClick);
  el.otherList.addEventListener('click', onClick);
  return () => {
    el.roomList.removeEventListener('click', onClick);
    el.otherList.removeEventListener('click', onClick);
  };
});
const visibility$: Observable<PageInput> = fromEvent(document, 'visibilitychange').pipe(map(() => ({ kind: 'visibility', hidden: document.hidden })));
const online$: Observable<PageInput> = fromEvent(window, 'online').pipe(map(() => ({ kind: 'online' })));

// ---------------------------------------------------------------------------------------------
// The loop

const start = startPage(storage.read());
let current: PageState = start.state;
const run = ({ state, effects }: PageTransition): void => {
  current = state;
  for (const effect of effects) perform(effect);
  view.render(state, Date.now());
};
run(start);
merge(inputs, submit$, roomClick$, visibility$, online$)
  .pipe(scan((previous: PageTransition, input: PageInput) => stepPage(previous.state, input, config), start))
  .subscribe(run);
if (document.hidden) emit({ kind: 'visibility', hidden: true });

// The countdown in the status line while waiting to reconnect.
window.setInterval(() => {
  if (current.link.phase === 'waiting') view.render(current, Date.now());
}, 1000);

// Leaving the page closes the connection at once, so the server frees the name for a reload.
window.addEventListener('pagehide', () => socket.disconnect());
// Back from the back/forward cache: the connection was closed on the way out.
window.addEventListener('pageshow', (event) => {
  if (event.persisted) emit({ kind: 'socket-closed', session: current.session, at: Date.now(), random: Math.random() });
});

// ---------------------------------------------------------------------------------------------
// Keyboard

let completing: { readonly candidates: readonly string[]; readonly start: number; next: number } | null = null;

el.input.addEventListener('keydown', (event) => {
  const plain = !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  if (event.key !== 'Tab') completing = null;
  switch (event.key) {
    case 'Tab':
      if (plain && completeWord()) event.preventDefault();
      break;
    case 'ArrowUp':
    case 'ArrowDown': {
      const direction = event.key === 'ArrowUp' ? -1 : 1;
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        switchRoom(direction);
      } else if (plain) {
        event.preventDefault();
        const moved = move(recall, direction, el.input.value);
        recall = moved.recall;
        el.input.value = moved.field;
      }
      break;
    }
    case 'PageUp':
    case 'PageDown':
      event.preventDefault();
      el.log.scrollBy({ top: (event.key === 'PageUp' ? -0.9 : 0.9) * el.log.clientHeight });
      break;
    case 'Escape':
      el.app.classList.remove('show-members');
      el.membersToggle.setAttribute('aria-expanded', 'false');
      view.toBottom();
      break;
  }
});

/** Tab: completes the word before the cursor; repeated Tab cycles through the candidates. False: nothing to complete. */
function completeWord(): boolean {
  const input = el.input;
  const cursor = input.selectionStart ?? input.value.length;
  if (completing !== null) {
    const { candidates, start } = completing;
    const candidate = candidates[completing.next % candidates.length] ?? '';
    completing.next++;
    input.setRangeText(candidate, start, cursor, 'end');
    return true;
  }
  const before = input.value.slice(0, cursor);
  const [candidates, word] = complete(before, rosterOf(current.client), roomsOf(current.client));
  if (candidates.length === 0) return false;
  const start = cursor - word.length;
  if (candidates.length === 1) {
    input.setRangeText(candidates[0] ?? '', start, cursor, 'end');
    return true;
  }
  const common = commonPrefix(candidates);
  if (common.length > word.length) {
    input.setRangeText(common, start, cursor, 'end');
    return true;
  }
  completing = { candidates, start, next: 1 };
  input.setRangeText(candidates[0] ?? '', start, cursor, 'end');
  return true;
}

/** Alt+Up/Down: the previous or next of my rooms. */
function switchRoom(direction: -1 | 1): void {
  const rooms = roomListOf(current);
  if (rooms.length < 2) return;
  const at = rooms.findIndex((r) => r.current);
  const next = rooms[(at + direction + rooms.length) % rooms.length];
  if (next !== undefined) emit({ kind: 'switch-room', room: next.room });
}

el.membersToggle.addEventListener('click', () => {
  const open = el.app.classList.toggle('show-members');
  el.membersToggle.setAttribute('aria-expanded', String(open));
});

// A pointer that can hover (a desktop): the field is ready to type in. On a phone the keyboard
// would cover half the page on every load, so it opens only when the user taps the field.
if (window.matchMedia('(pointer: fine)').matches) el.input.focus();
