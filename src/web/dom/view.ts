// The page's DOM: the log (one <li> per server line, text nodes only), the gap marker, the room and
// member lists, the status line, the title and the field's placeholder.
//
// Lines are appended as they come (effects); everything else is a view of the state, redrawn only
// when what it shows changed. No markup is ever built from text: every string goes into a text
// node or an attribute, so a line is inert whatever it holds.
import type { PrintStyle } from '../../client/client.ts';
import { nameKey } from '../../core/names.ts';
import { membersOf, otherRoomsOf, placeholderOf, roomListOf, statusOf, titleOf, type PageState, type RoomEntry } from '../page.ts';
import { segments } from '../segments.ts';
import { keepScroll, type ScrollKeeper } from './scroll.ts';

/** The log keeps at most this many lines; older ones are dropped (memory stays bounded). */
export const MAX_LOG_LINES = 5000;

export interface Elements {
  readonly app: HTMLElement;
  readonly status: HTMLElement;
  readonly log: HTMLElement;
  readonly lines: HTMLOListElement;
  readonly jump: HTMLButtonElement;
  readonly roomList: HTMLUListElement;
  readonly otherTitle: HTMLElement;
  readonly otherList: HTMLUListElement;
  readonly memberTitle: HTMLElement;
  readonly memberList: HTMLUListElement;
  readonly membersToggle: HTMLButtonElement;
  readonly form: HTMLFormElement;
  readonly input: HTMLInputElement;
}

/** Finds the page's elements (index.html); throws if one is missing. */
export function findElements(doc: Document): Elements {
  const get = <T extends HTMLElement>(id: string, type: new () => T): T => {
    const element = doc.getElementById(id);
    if (!(element instanceof type)) throw new Error(`index.html has no #${id}`);
    return element;
  };
  return {
    app: get('app', HTMLElement),
    status: get('status', HTMLElement),
    log: get('log', HTMLElement),
    lines: get('lines', HTMLOListElement),
    jump: get('jump', HTMLButtonElement),
    roomList: get('room-list', HTMLUListElement),
    otherTitle: get('others-title', HTMLElement),
    otherList: get('other-list', HTMLUListElement),
    memberTitle: get('members-title', HTMLElement),
    memberList: get('member-list', HTMLUListElement),
    membersToggle: get('members-toggle', HTMLButtonElement),
    form: get('composer', HTMLFormElement),
    input: get('message', HTMLInputElement),
  };
}

export interface View {
  /** Appends one server line. */
  line(text: string, style: PrintStyle, room: string | undefined, at: Date): void;
  /** Appends the gap marker: lines between `from` and `to` were not received. */
  gap(from: Date, to: Date): void;
  /** Redraws what the state shows (only the parts that changed). */
  render(state: PageState, now: number): void;
  /** Scroll to the newest line and stay there. */
  toBottom(): void;
  readonly scroll: ScrollKeeper;
}

const timeOf = (at: Date): string => at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

export function createView(doc: Document, el: Elements): View {
  const scroll = keepScroll(el.log, (unseen) => {
    el.jump.hidden = unseen === 0;
    el.jump.textContent = unseen === 1 ? '1 new message below' : `${unseen} new messages below`;
  });
  el.jump.addEventListener('click', () => {
    scroll.toBottom();
    el.input.focus();
  });

  const append = (item: HTMLLIElement): void => {
    el.lines.append(item);
    while (el.lines.childElementCount > MAX_LOG_LINES) el.lines.firstElementChild?.remove();
    scroll.added(1);
  };

  let drawn: { status: string; link: string; title: string; placeholder: string; rooms: string; others: string; members: string } | null = null;

  return {
    scroll,
    line(text, style, room, at) {
      const item = doc.createElement('li');
      item.className = `line ${style}`;
      item.dataset.time = timeOf(at);
      for (const piece of segments(text, style, room)) {
        if (piece.kind === 'text') {
          item.append(doc.createTextNode(piece.text));
          continue;
        }
        const span = doc.createElement('span');
        span.className = piece.colour === undefined ? piece.kind : `${piece.kind} nick-${piece.colour}`;
        span.textContent = piece.text;
        item.append(span);
      }
      append(item);
    },
    gap(from, to) {
      const item = doc.createElement('li');
      item.className = 'gap';
      item.setAttribute('role', 'separator');
      const text = `Reconnected at ${timeOf(to)}: lines said since ${timeOf(from)} were not received`;
      item.setAttribute('aria-label', text);
      item.textContent = text;
      append(item);
    },
    render(state, now) {
      const link = state.link.phase;
      const status = statusOf(state, now);
      const title = titleOf(state);
      const placeholder = placeholderOf(state);
      const rooms = roomListOf(state);
      const members = membersOf(state);
      const others = otherRoomsOf(state);
      const next = {
        status,
        link,
        title,
        placeholder,
        rooms: JSON.stringify(rooms),
        others: JSON.stringify(others),
        members: JSON.stringify(members),
      };
      if (drawn?.status !== next.status) el.status.textContent = status;
      if (drawn?.link !== next.link) el.status.dataset.link = link;
      if (drawn?.title !== next.title) doc.title = title;
      if (drawn?.placeholder !== next.placeholder) el.input.placeholder = placeholder;
      if (drawn?.rooms !== next.rooms) drawRooms(doc, el.roomList, rooms);
      if (drawn?.others !== next.others) {
        drawRooms(doc, el.otherList, others);
        el.otherList.hidden = others.length === 0;
        el.otherTitle.hidden = others.length === 0;
      }
      if (drawn?.members !== next.members) drawMembers(doc, el, members);
      drawn = next;
    },
    toBottom: () => scroll.toBottom(),
  };
}

/** A list of rooms as buttons (the room list, the other rooms); `data-room` says which room a click means. */
function drawRooms(doc: Document, list: HTMLUListElement, rooms: readonly RoomEntry[]): void {
  const items = rooms.map((entry) => {
    const item = doc.createElement('li');
    const button = doc.createElement('button');
    button.type = 'button';
    button.dataset.room = entry.room;
    if (entry.current) button.setAttribute('aria-current', 'true');
    const name = doc.createElement('span');
    name.textContent = entry.room;
    button.append(name);
    if (entry.unread > 0) {
      const badge = doc.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(entry.unread);
      const label = doc.createElement('span');
      label.className = 'visually-hidden';
      label.textContent = entry.unread === 1 ? ' unread line' : ' unread lines';
      badge.append(label);
      button.append(badge);
    } else if (entry.users !== undefined) {
      const count = doc.createElement('span');
      count.className = 'count';
      count.textContent = String(entry.users);
      button.append(count);
    }
    item.append(button);
    return item;
  });
  list.replaceChildren(...items);
}

function drawMembers(doc: Document, el: Elements, { names, known, me }: ReturnType<typeof membersOf>): void {
  const sorted = [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  const items = sorted.map((name) => {
    const item = doc.createElement('li');
    item.textContent = name;
    if (me !== null && nameKey(name) === nameKey(me)) {
      const you = doc.createElement('span');
      you.className = 'you';
      you.textContent = ' (you)';
      item.append(you);
    }
    return item;
  });
  if (!known && names.length > 0) {
    const more = doc.createElement('li');
    more.className = 'incomplete';
    more.textContent = 'and others…';
    items.push(more);
  }
  el.memberList.replaceChildren(...items);
  const title = known ? `Members (${names.length})` : 'Members';
  el.memberTitle.textContent = title;
  el.membersToggle.textContent = known ? `Members (${names.length})` : 'Members';
}
