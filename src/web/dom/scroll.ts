// Stick-to-bottom scrolling for the log, as The Lounge and gamja do it: new lines scroll the log
// only while the reader is at the bottom (within STICK_PX); a reader who scrolled up to read stays
// where they are and gets a "new messages below" button instead. Resizing (the phone keyboard
// opening, a rotated screen) keeps a reader at the bottom there.
//
// "At the bottom" is recorded from scroll events, not measured when a line arrives: content that
// grows never fires a scroll event, so the recorded answer is the reader's position before it grew.
// The scroll to the bottom is done once per frame however many lines arrived.

/** How close to the bottom counts as at the bottom, in CSS pixels (The Lounge's tolerance). */
export const STICK_PX = 30;

export interface ScrollKeeper {
  /** Lines were added: follow them if the reader is at the bottom, else count them. */
  added(count: number): void;
  /** Scroll to the bottom and stick there (after the user sends, or asks to jump). */
  toBottom(): void;
  /** Whether the reader is at the bottom. */
  readonly stuck: boolean;
}

/** `onUnseen(n)`: lines added below a reader who scrolled up (0 when they are back at the bottom). */
export function keepScroll(log: HTMLElement, onUnseen: (count: number) => void): ScrollKeeper {
  let stuck = true;
  let unseen = 0;
  let pending = false;
  const atBottom = (): boolean => log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_PX;
  const setUnseen = (count: number): void => {
    if (count === unseen) return;
    unseen = count;
    onUnseen(count);
  };
  const follow = (): void => {
    pending = false;
    if (stuck) log.scrollTop = log.scrollHeight;
  };
  const schedule = (): void => {
    if (pending) return;
    pending = true;
    // A hidden tab gets no animation frames: a timer keeps the log at the bottom there too.
    if (document.hidden) window.setTimeout(follow, 50);
    else window.requestAnimationFrame(follow);
  };
  log.addEventListener('scroll', () => {
    stuck = atBottom();
    if (stuck) setUnseen(0);
  }, { passive: true });
  new ResizeObserver(() => {
    if (stuck) log.scrollTop = log.scrollHeight;
  }).observe(log);
  return {
    added(count) {
      if (stuck) schedule();
      else setUnseen(unseen + count);
    },
    toBottom() {
      stuck = true;
      setUnseen(0);
      log.scrollTop = log.scrollHeight;
    },
    get stuck() {
      return stuck;
    },
  };
}
