/** How the report names and colours the alert kinds (story-sms.ts) and the state bands' values. */

const ALERTS: Record<string, { label: string; colour: string }> = {
  movement: { label: "movement", colour: "#d62828" },
  "fence-exit": { label: "fence exit", colour: "#7b2cbf" },
  "fence-enter": { label: "fence enter", colour: "#9d4edd" },
  speed: { label: "speed", colour: "#f77f00" },
  "power-cut": { label: "power cut", colour: "#b5179e" },
  "power-restored": { label: "power restored", colour: "#2a9d8f" },
  battery: { label: "battery low", colour: "#e76f51" },
  engine: { label: "engine", colour: "#bc4749" },
  jamming: { label: "jamming", colour: "#264653" },
};

/** A kind's words on the page. */
export function alertLabel(kind: string): string {
  return ALERTS[kind]?.label ?? kind;
}

/** A kind's marker colour. */
export function alertColour(kind: string): string {
  return ALERTS[kind]?.colour ?? "#d62828";
}

/** Band values that mean "working", "on the way" and "not working" (the rest are neutral). */
const GOOD = new Set(["on", "ready", "home", "roaming", "moving"]);
const BUSY = new Set(["booting", "searching", "modem-init", "starting", "stopping", "pin", "puk"]);
const BAD = new Set(["cut", "denied", "absent", "blocked", "modem-failed", "not registered", "unknown"]);

/** The fill of a band value. */
export function bandColour(value: string): string {
  if (GOOD.has(value)) return "#90be6d";
  if (BUSY.has(value)) return "#f9c74f";
  if (BAD.has(value)) return "#f94144";
  if (value === "off" || value === "—" || value === "no" || value === "parked") return "#dee2e6";
  return "#8ecae6";
}
