/**
 * The commands about the vehicle rather than who may use the tracker: TRACK (periodic positions),
 * FENCE (leave/enter alerts), SPEED (overspeed alert), UNITS and TZ (how replies read). Each reply
 * is one SMS. TRACK is anyone's (the positions go to the number that asked); FENCE, SPEED, UNITS
 * and TZ change what every number gets, so they are the owner's and admins'. The owner is told when
 * an admin changes the fence or the speed limit. Changes take effect at once and survive a reboot
 * (settings); the rules are told through `changed`.
 */
import type { Settings } from "../store/settings";
import type { Fix } from "../gnss/fix";
import type { Member } from "../auth/user-list";
import { maskNumber } from "../auth/phone-number";
import { fenceProblem, fenceText, MAX_SPEED_LIMIT_KMH, MIN_SPEED_LIMIT_KMH, readFence, type Fence } from "../alerts/plans";
import { parseDistanceM, parseTrackRequest, type Tracking } from "../alerts/tracking";
import type { Outcome } from "./access-commands";
import { KMH_PER_MPH, speedText, unitsOf } from "./units";


/** What the vehicle commands need from the tracker. */
export interface VehicleCommandsContext {
  readonly settings: Settings;
  readonly tracking: Tracking;
  /** The live fix now (valid and fresh), else undefined. */
  readonly liveFix: () => Fix | undefined;
  /** The owner's number ("" while unclaimed). */
  readonly owner: () => string;
  /** The fence or the speed limit changed (the rules start afresh). */
  readonly changed: (what: "fence" | "speed") => void;
  /** A time zone as typed → the stored text, or a reason starting with "!" (commands/local-time). */
  readonly parseZone: (text: string) => string;
}

function answer(reply: string): Outcome {
  return { reply, notices: [] };
}

/** "ON"/"OFF" and the like, upper case. */
function word(arg: string | undefined): string {
  return (arg ?? "").toUpperCase();
}

/** "37.33491,-121.88811" or "37.33491", "-121.88811" → degrees; undefined when not a centre. */
function readCentre(args: readonly string[]): { latDeg: number; lonDeg: number; used: number } | undefined {
  const number = /^-?[0-9]{1,3}(\.[0-9]{1,7})?$/;
  const first = (args[0] ?? "").replace(/,$/, "");
  const pair = first.split(",");
  if (pair.length === 2 && number.test(pair[0]!) && number.test(pair[1]!)) return { latDeg: Number(pair[0]), lonDeg: Number(pair[1]), used: 1 };
  if (pair.length === 1 && number.test(first) && number.test(args[1] ?? "") && args.length >= 3) return { latDeg: Number(first), lonDeg: Number(args[1]), used: 2 };
  return undefined;
}

export class VehicleCommands {
  readonly #context: VehicleCommandsContext;

  constructor(context: VehicleCommandsContext) {
    this.#context = context;
  }

  /** TRACK <minutes> (count) (distance) | TRACK OFF | TRACK (what runs). Positions go to `member`. */
  track(member: Member, args: readonly string[]): Outcome {
    const tracking = this.#context.tracking;
    if (word(args[0]) === "OFF") return answer(tracking.stop());
    if (args.length === 0) {
      const summary = tracking.summary;
      return answer(summary ? `Now ${summary}. TRACK OFF stops it.` : "Not tracking. Send TRACK <minutes> (count) (distance), e.g. TRACK 5 20 500m.");
    }
    const request = parseTrackRequest(args);
    if ("problem" in request) return answer(request.problem);
    return answer(tracking.start(member.number, request));
  }

  /** FENCE <radius> | FENCE <lat>,<lon> <radius> | FENCE OFF | FENCE (the fence now). */
  fence(member: Member, args: readonly string[]): Outcome {
    const refused = this.#onlyOwnerAndAdmins("FENCE", member);
    if (refused) return refused;
    const settings = this.#context.settings;
    if (args.length === 0) {
      const fence = readFence(settings.get("fence"));
      return answer(fence ? `Fence: ${fence.radiusM} m around ${fenceText(fence).split(",").slice(0, 2).join(",")}. FENCE OFF removes it.` : "No fence. Send FENCE <radius m> to set one around the vehicle.");
    }
    if (word(args[0]) === "OFF") {
      const had = settings.get("fence") !== "";
      const saved = settings.set("fence", "");
      if (!saved.ok) return answer(`FENCE OFF failed: ${saved.reason}.`);
      this.#context.changed("fence");
      return { reply: had ? "Fence removed." : "There was no fence.", notices: this.#tellOwner(member, "removed the fence") };
    }
    const usage = "Send FENCE <radius m> (around the vehicle now) or FENCE <lat>,<lon> <radius m>, or FENCE OFF.";
    const centre = readCentre(args);
    const radiusWords = args.slice(centre ? centre.used : 0);
    if (radiusWords.length !== 1) return answer(usage);
    const radiusM = parseDistanceM(radiusWords[0]!);
    if (!Number.isFinite(radiusM)) return answer(`'${radiusWords[0]!.slice(0, 12)}' is not a radius. ${usage}`);
    let fence: Fence;
    if (centre) {
      fence = { latDeg: centre.latDeg, lonDeg: centre.lonDeg, radiusM };
    } else {
      const fix = this.#context.liveFix();
      if (!fix) return answer("No live position to centre the fence on. Try again in open sky, or send FENCE <lat>,<lon> <radius m>.");
      fence = { latDeg: fix.latitudeDeg, lonDeg: fix.longitudeDeg, radiusM };
    }
    const problem = fenceProblem(fence);
    if (problem) return answer(`Fence not set: ${problem}.`);
    const saved = settings.set("fence", fenceText(fence));
    if (!saved.ok) return answer(`FENCE failed: ${saved.reason}.`);
    this.#context.changed("fence");
    const where = fenceText(fence).split(",").slice(0, 2).join(",");
    return {
      reply: `Fence set: ${radiusM} m around ${where}. You get an alert when the vehicle leaves it or comes back. FENCE OFF removes it.`,
      notices: this.#tellOwner(member, `set a fence of ${radiusM} m`),
    };
  }

  /** SPEED <limit> (in the owner's units, or with kmh/mph) | SPEED OFF | SPEED (the limit now). */
  speed(member: Member, args: readonly string[]): Outcome {
    const refused = this.#onlyOwnerAndAdmins("SPEED", member);
    if (refused) return refused;
    const settings = this.#context.settings;
    const units = unitsOf(settings.get("units"));
    const imperial = units === "imperial";
    const shown = (kmh: number) => speedText(kmh, units);
    const limitKmh = Number(settings.get("speedLimitKmh"));
    if (args.length === 0) return answer(limitKmh > 0 ? `Speed limit: ${shown(limitKmh)}. SPEED OFF removes it.` : "No speed limit. Send SPEED <limit>, e.g. SPEED 110.");
    if (word(args[0]) === "OFF") {
      const saved = settings.set("speedLimitKmh", "0");
      if (!saved.ok) return answer(`SPEED OFF failed: ${saved.reason}.`);
      this.#context.changed("speed");
      return { reply: limitKmh > 0 ? "Speed limit removed." : "There was no speed limit.", notices: this.#tellOwner(member, "removed the speed limit") };
    }
    const match = args.length === 1 || args.length === 2 ? /^([0-9]{1,3})(KMH|KM\/H|KPH|MPH)?$/.exec(word(args.join(""))) : null;
    if (!match) return answer("Send SPEED <limit>, e.g. SPEED 110 (or 70mph), or SPEED OFF.");
    const inMph = match[2] === "MPH" || (match[2] === undefined && imperial);
    const kmh = inMph ? Math.round(Number(match[1]) * KMH_PER_MPH) : Number(match[1]);
    if (kmh < MIN_SPEED_LIMIT_KMH || kmh > MAX_SPEED_LIMIT_KMH) {
      return answer(`The limit must be ${shown(MIN_SPEED_LIMIT_KMH)} to ${shown(MAX_SPEED_LIMIT_KMH)}.`);
    }
    const saved = settings.set("speedLimitKmh", String(kmh));
    if (!saved.ok) return answer(`SPEED failed: ${saved.reason}.`);
    this.#context.changed("speed");
    return {
      reply: `Speed limit ${shown(kmh)}: an alert with the top speed and where, once per time it is passed. SPEED OFF removes it.`,
      notices: this.#tellOwner(member, `set a speed limit of ${shown(kmh)}`),
    };
  }

  /** UNITS METRIC | UNITS IMPERIAL | UNITS (now). */
  units(member: Member, args: readonly string[]): Outcome {
    const refused = this.#onlyOwnerAndAdmins("UNITS", member);
    if (refused) return refused;
    const settings = this.#context.settings;
    const choice = word(args[0]);
    if (args.length === 0) return answer(`Units: ${settings.get("units")}. Send UNITS METRIC or UNITS IMPERIAL.`);
    const units = choice === "METRIC" || choice === "KM" ? "metric" : choice === "IMPERIAL" || choice === "MILES" ? "imperial" : "";
    if (units === "" || args.length > 1) return answer("Send UNITS METRIC (km/h, m) or UNITS IMPERIAL (mph, ft).");
    const saved = settings.set("units", units);
    return answer(saved.ok ? `Units: ${units === "metric" ? "km/h and metres" : "mph and feet"} from now on.` : `UNITS failed: ${saved.reason}.`);
  }

  /** TZ <zone> | TZ (now). */
  timeZone(member: Member, args: readonly string[]): Outcome {
    const refused = this.#onlyOwnerAndAdmins("TZ", member);
    if (refused) return refused;
    const settings = this.#context.settings;
    if (args.length === 0) return answer(`Time zone: ${settings.get("timeZone")}. Send TZ <zone>, e.g. TZ CET, TZ PACIFIC, TZ +05:30, TZ UTC.`);
    const stored = this.#context.parseZone(args.join(" "));
    if (stored.startsWith("!")) return answer(`${stored.charAt(1).toUpperCase()}${stored.slice(2)}. Send TZ <zone>, e.g. TZ CET, TZ PACIFIC, TZ +05:30, TZ UTC.`);
    const saved = settings.set("timeZone", stored);
    return answer(saved.ok ? `Time zone: ${stored}. Times in replies and alerts use it from now on.` : `TZ failed: ${saved.reason}.`);
  }

  #onlyOwnerAndAdmins(name: string, member: Member): Outcome | undefined {
    return member.role === "user" ? answer(`${name} is for the owner and admins. Send HELP for the commands you can use.`) : undefined;
  }

  /** The owner is told when an admin changes what alerts everyone gets. */
  #tellOwner(member: Member, what: string): { to: string; text: string }[] {
    const owner = this.#context.owner();
    if (member.role === "owner" || owner === "") return [];
    return [{ to: owner, text: `${member.name} (${maskNumber(member.number)}) ${what}.` }];
  }
}
