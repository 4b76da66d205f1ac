/**
 * Wires the provisioning console (provisioning-console.ts) to a started Tracker: its settings,
 * PIN check and lockout, modem, GNSS, power readings and SMS. Called by main.ts on the device (when
 * the build opens a console port) and by the simulator's firmware guest. Call after
 * tracker.start(): it chains itself in front of the tracker's URC handler.
 */
import type { Clock, Logger, RandomSource, SerialPort } from "../platform/ports";
import type { Tracker } from "../app/tracker";
import { FIRMWARE_VERSION } from "../app/build-info";
import { hashPin } from "../auth/pin";
import { maskNumber } from "../auth/phone-number";
import { signalWords } from "../modem/modem-lifecycle";
import { LIVE_FIX_MAX_AGE_MS } from "../commands/where-reply";
import { ProvisioningConsole, type ConsoleContext } from "./provisioning-console";
import { answerValue } from "./self-test";

/** Timeout of the IMEI query (ms). */
const IMEI_QUERY_MS = 2000;

/** What the console needs besides the tracker. */
export interface ConsolePorts {
  readonly port: SerialPort;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: Logger;
}

/** Millivolts as "12.6 V", or "not measured". */
function volts(mv: number): string {
  return Number.isFinite(mv) ? `${(mv / 1000).toFixed(2)} V` : "not measured";
}

/** Start the console on `ports.port` for `tracker`. */
export function attachConsole(tracker: Tracker, ports: ConsolePorts): ProvisioningConsole {
  const { clock, random } = ports;
  const { settings, numbers, chat, modem, gnss } = tracker;
  let imei = "";
  let smsTaps: ((sender: string, text: string) => boolean)[] = [];
  let urcTaps: ((line: string) => boolean)[] = [];
  tracker.smsTap = (sender, text) => smsTaps.some((tap) => tap(sender, text));
  const trackerUrc = chat.onUrc;
  chat.onUrc = (line) => {
    if (!urcTaps.some((tap) => tap(line))) trackerUrc?.(line);
  };
  const context: ConsoleContext = {
    clock,
    random,
    firmwareVersion: FIRMWARE_VERSION,
    unclaimed: () => numbers.unclaimed,
    hasPin: () => settings.get("pinHash") !== "",
    checkPin: (pin, command) => {
      const owner = numbers.all()[0];
      if (!owner) return "no owner";
      return tracker.access.checkPin(owner, pin, command)?.reply ?? undefined;
    },
    readImei: (then) => {
      if (imei !== "") return then(imei);
      chat.send({ command: "AT+CGSN", timeoutMs: IMEI_QUERY_MS }, (response) => {
        const value = answerValue(response, "+CGSN:");
        if (/^[0-9]{14,17}$/.test(value)) imei = value;
        then(imei);
      });
    },
    setPin: (pin) => settings.set("pinHash", hashPin(pin, random)),
    setOwner: (number) => {
      const saved = settings.set("ownerNumber", number);
      if (!saved.ok) return saved;
      tracker.access.cancelPending();
      return { ok: true, reason: "", number: settings.get("ownerNumber") };
    },
    setSetting: (key, value) => settings.set(key, value),
    setting: (key) => settings.get(key),
    normalise: (number) => numbers.normalise(number),
    factoryReset: () => {
      const erased = settings.eraseUserData();
      if (!erased.ok) return erased;
      tracker.access.cancelPending();
      tracker.forgetRam();
      return erased;
    },
    status: () => {
      const nowMs = clock.monotonicMs();
      const fix = gnss.latest();
      const fresh = fix !== undefined && nowMs - fix.receivedAtMs <= LIVE_FIX_MAX_AGE_MS;
      const cell = modem.lastServingCell;
      const power = tracker.watch.reading;
      const owner = settings.get("ownerNumber");
      return [
        ["state", tracker.state],
        ["modem", `${modem.state}, profile ${modem.profile.name}`],
        ["sim", modem.state === "no-sim" ? "absent" : modem.state === "ready" ? "ready" : "unknown"],
        ["network", `${modem.registration}${cell && cell.rat ? `, ${cell.rat}` : ""}`],
        ["signal", modem.signalDbm === undefined ? "unknown" : `${modem.signalDbm} dBm, ${signalWords(modem.signalDbm)}`],
        ["gnss", !fresh ? "silent" : fix.valid ? "fix" : "no fix"],
        ["satellites", fresh ? `${Math.max(fix.satellitesUsed, 0)} used, ${Math.max(fix.satellitesInView, 0)} in view` : "unknown"],
        ["vehicle", volts(power.vehicleMv)],
        ["battery", volts(power.batteryMv)],
        ["sms-left-today", String(tracker.budget.left(nowMs))],
        ["owner", owner === "" ? "none" : maskNumber(owner)],
        ["country", settings.get("homeCountryCode")],
        ["setupcode", settings.get("setupCode") === "" ? "none" : "set"],
        ["uptime-s", String(Math.floor(nowMs / 1000))],
      ];
    },
    selfTest: {
      at: (command, timeoutMs, done) => chat.send({ command, timeoutMs }, done),
      modemState: () => modem.state,
      registration: () => modem.registration,
      servingCell: (then) => modem.queryServingCell(then),
      gnssLatest: () => gnss.latest(),
      power: () => tracker.watch.reading,
      sendSms: (to, text) => tracker.outbox.send(to, text),
      watchSms: (seen) => {
        smsTaps = [...smsTaps, seen];
        return () => {
          smsTaps = smsTaps.filter((tap) => tap !== seen);
        };
      },
      watchUrc: (seen) => {
        urcTaps = [...urcTaps, seen];
        return () => {
          urcTaps = urcTaps.filter((tap) => tap !== seen);
        };
      },
    },
    log: (level, message) => ports.log.log(level, "console", message),
  };
  const provisioning = new ProvisioningConsole(ports.port, context);
  provisioning.start();
  return provisioning;
}
