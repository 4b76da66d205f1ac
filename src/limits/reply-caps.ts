/**
 * Caps on the SMS the tracker sends, so that nothing (an auto-responder, a flood of commands, a bug)
 * can make it send without end: each cap allows at most `maxReplies` replies in a window of
 * `windowMs` that opens with the first reply decided on, either to each sender separately or to all
 * senders together. Once a cap is reached, each refused sender gets one notice in that window (the
 * caller sends it: it is an SMS too, so it is the only one beyond the cap), then nothing until the
 * window ends.
 *
 * The caps are read from a function at each decision, so they follow the settings; a policy adds a
 * cap (a daily budget, say) by returning one more. Windows live in RAM: a restart opens new ones.
 * Times are monotonic ms.
 */

/** One cap: at most maxReplies replies per window of windowMs, per sender or for all senders. */
export interface ReplyCap {
  /** Short name for logs and notices ("per-number hourly"). */
  readonly name: string;
  readonly maxReplies: number;
  readonly windowMs: number;
  readonly perSender: boolean;
}

/** A decision on one reply: send it, send the cap's notice instead, or send nothing. */
export type CapDecision =
  | { readonly send: "reply" }
  | { readonly send: "notice"; readonly cap: ReplyCap }
  | { readonly send: "nothing"; readonly cap: ReplyCap };

/** A window of one cap for one sender (or for all). */
interface Window {
  cap: string;
  sender: string;
  openedMs: number;
  replies: number;
  /** Senders told this window that the cap was reached. */
  noticed: string[];
}

/** Windows kept at most (caps × senders: the registered numbers are few); the oldest goes first. */
const MAX_WINDOWS = 32;

export class ReplyCaps {
  readonly #caps: () => readonly ReplyCap[];
  readonly #windows: Window[] = [];

  constructor(caps: () => readonly ReplyCap[]) {
    this.#caps = caps;
  }

  /**
   * Decide on one reply to `sender` at `nowMs`; a reply is counted in every cap's window, a
   * notice only marks the sender as told.
   */
  decide(sender: string, nowMs: number): CapDecision {
    const caps = this.#caps();
    const windows: Window[] = [];
    for (let i = 0; i < caps.length; i++) {
      const cap = caps[i]!;
      const window = this.#window(cap, cap.perSender ? sender : "", nowMs);
      if (window.replies >= cap.maxReplies) {
        if (window.noticed.indexOf(sender) >= 0) return { send: "nothing", cap };
        window.noticed.push(sender);
        return { send: "notice", cap };
      }
      windows.push(window);
    }
    for (let i = 0; i < windows.length; i++) windows[i]!.replies++;
    return { send: "reply" };
  }

  /** The open window of `cap` for `sender` ("" = all), a new one when none is open at `nowMs`. */
  #window(cap: ReplyCap, sender: string, nowMs: number): Window {
    const windows = this.#windows;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (window.cap !== cap.name || window.sender !== sender) continue;
      if (nowMs - window.openedMs < cap.windowMs) return window;
      windows.splice(i, 1);
      break;
    }
    const opened: Window = { cap: cap.name, sender, openedMs: nowMs, replies: 0, noticed: [] };
    windows.push(opened);
    if (windows.length > MAX_WINDOWS) windows.shift();
    return opened;
  }
}
