/**
 * The story's SMS: every message the network carried, told apart by what it is (a command to the
 * tracker, its reply, an alert and its kinds, a position it sent, a notice) from its text as the
 * firmware writes it, each reply paired with the command it answers.
 */

/** What a message is in the story. */
export type SmsRole = "command" | "reply" | "alert" | "position" | "notice" | "message";

/** One SMS of the story. Times in ms of the simulation's clock. */
export interface StorySms {
  /** The network's sequence number (from 1). */
  id: number;
  atMs: number;
  deliveredAtMs?: number;
  from: string;
  to: string;
  text: string;
  /** The network's status at the end (delivered, waiting, in-flight, undeliverable). */
  status: string;
  role: SmsRole;
  /** An alert's kinds (a coalesced message may hold several): movement, fence-exit, power-cut... */
  alertKinds?: string[];
  /** The command's id for a reply; a command's own id for a command that was answered. */
  pairId?: number;
  /** The map link's position in the text, when it has one (degrees). */
  link?: { latDeg: number; lonDeg: number };
}

/** Alert kinds by the first words the firmware gives them (src/app/vehicle-watch.ts, src/alerts). */
const ALERT_KINDS: readonly (readonly [string, RegExp])[] = [
  ["movement", /MOVEMENT ALERT/],
  ["fence-exit", /FENCE ALERT: the vehicle left/],
  ["fence-enter", /FENCE: the vehicle is back inside/],
  ["speed", /SPEED ALERT/],
  ["power-cut", /POWER ALERT: power cut/],
  ["power-restored", /POWER: the vehicle's power is back/],
  ["battery", /BATTERY LOW/],
  ["engine", /ENGINE ALERT/],
  ["jamming", /POSSIBLE JAMMING/],
];

/** Positions the tracker sends by itself (after a movement alert, TRACK). */
const POSITION = /^(After the movement alert|TRACK \(|TRACK ended)/;
/** Notices: the daily budget, unconfirmed sends, the stranger digest. */
const NOTICE = /SMS budget|may not have been sent/;

/** The alert kinds named in `text`, in the order above. */
export function alertKinds(text: string): string[] {
  return ALERT_KINDS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
}

/** The position of a map link in `text` ("https://maps.google.com/?q=lat,lon"), if any. */
export function linkPosition(text: string): { latDeg: number; lonDeg: number } | undefined {
  const m = /maps\.google\.com\/\?q=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/.exec(text);
  return m ? { latDeg: Number(m[1]), lonDeg: Number(m[2]) } : undefined;
}

/** A network log record, as much of it as the story reads. */
export interface LoggedSms {
  id: number;
  from: string;
  to: string;
  text: string;
  submittedAtMs: number;
  deliveredAtMs: number | undefined;
  status: string;
  kind?: string;
}

/**
 * The network's log as the story's SMS: roles from the texts; a reply is the first message from
 * the tracker to a phone after that phone's command that is not an alert, a position or a notice
 * (and before its next command).
 */
export function storySms(log: readonly LoggedSms[], trackerNumber: string): StorySms[] {
  const waiting = new Map<string, StorySms>();
  return log.map((record) => {
    const sms: StorySms = {
      id: record.id,
      atMs: Math.round(record.submittedAtMs),
      ...(record.deliveredAtMs !== undefined ? { deliveredAtMs: Math.round(record.deliveredAtMs) } : {}),
      from: record.from,
      to: record.to,
      text: record.kind ? `[${record.kind}] ${record.text}` : record.text,
      status: record.status,
      role: "message",
    };
    const link = linkPosition(record.text);
    if (link) sms.link = link;
    if (record.to === trackerNumber) {
      sms.role = "command";
      waiting.set(record.from, sms);
    } else if (record.from === trackerNumber) {
      const kinds = alertKinds(record.text);
      if (kinds.length > 0) {
        sms.role = "alert";
        sms.alertKinds = kinds;
      } else if (POSITION.test(record.text)) {
        sms.role = "position";
      } else if (NOTICE.test(record.text) && !waiting.has(record.to)) {
        sms.role = "notice";
      } else {
        const command = waiting.get(record.to);
        sms.role = command ? "reply" : "message";
        if (command) {
          command.pairId = command.id;
          sms.pairId = command.id;
          waiting.delete(record.to);
        }
      }
    }
    return sms;
  });
}
