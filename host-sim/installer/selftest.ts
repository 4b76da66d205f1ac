/**
 * `tracker selftest`: the unit's self-test over its console, printed as a checklist with the
 * advice of every check that is not a plain pass. Opens a claimed unit with --pin (and locks it
 * again at the end). Exit status 1 when a check failed.
 */
import type { ConsoleClient } from "./console-client.ts";

export interface SelfTestToolOptions {
  /** The PIN, when the unit is claimed (its console is locked). */
  pin?: string;
  /** How long the GNSS may take for a fix, s (default 120). */
  fixWithinS?: number;
  /** How long the SMS loopback may take, s (default 120). */
  loopbackWithinS?: number;
  /** The SIM's own number for the loopback (else the modem's AT+CNUM). */
  selfNumber?: string;
  /** The operator's balance code (USSD), e.g. *100#. */
  ussd?: string;
  print?: (line: string) => void;
}

/** One parsed `+check:` line. */
export interface CheckLine {
  verdict: "PASS" | "WARN" | "FAIL" | "SKIP";
  id: string;
  detail: string;
  advice: string;
}

/** Parse the value of a `+check:` line ("PASS signal -71 dBm -- advice"). */
export function parseCheck(value: string): CheckLine | undefined {
  const match = /^(PASS|WARN|FAIL|SKIP) ([a-z0-9-]+) (.*?)(?: -- (.*))?$/.exec(value);
  if (!match) return undefined;
  return { verdict: match[1] as CheckLine["verdict"], id: match[2]!, detail: match[3]!, advice: match[4] ?? "" };
}

/** A check as a checklist line (and its advice on the next). */
export function checklistLines(check: CheckLine): string[] {
  const mark = { PASS: "[ OK ]", WARN: "[WARN]", FAIL: "[FAIL]", SKIP: "[SKIP]" }[check.verdict];
  const lines = [`${mark} ${check.id.padEnd(15)} ${check.detail}`];
  if (check.advice) lines.push(`       ${"".padEnd(15)} -> ${check.advice}`);
  return lines;
}

/** Run the self-test; resolves with the exit code (0: no FAIL) and the checks. */
export async function runSelfTestTool(client: ConsoleClient, options: SelfTestToolOptions): Promise<{ exitCode: number; checks: CheckLine[] }> {
  const print = options.print ?? ((line: string) => console.log(line));
  const facts = await client.hello();
  print(`Tracker on ${client.path}: firmware ${facts["firmware"]}, IMEI ${facts["imei"]}`);
  let unlocked = false;
  if (facts["locked"] === "yes") {
    if (!options.pin) throw new Error("the unit has an owner and its console is locked: give its PIN with --pin");
    const answer = await client.command(`UNLOCK ${options.pin}`);
    if (!answer.ok) throw new Error(`UNLOCK refused: ${answer.error || answer.summary}`);
    unlocked = true;
  }
  try {
    if (options.selfNumber) {
      const answer = await client.command(`SET SELFNUMBER ${options.selfNumber}`);
      if (!answer.ok) throw new Error(`--self-number refused: ${answer.error || answer.summary}`);
    }
    if (options.ussd) {
      const answer = await client.command(`SET USSD ${options.ussd}`);
      if (!answer.ok) throw new Error(`--ussd refused: ${answer.error || answer.summary}`);
    }
    const fix = options.fixWithinS ?? 120;
    const loopback = options.loopbackWithinS ?? 120;
    print(`Self-test (a fix within ${fix} s, the SMS loopback within ${loopback} s)...`);
    const checks: CheckLine[] = [];
    client.onLine = (line) => {
      if (!line.startsWith("+check: ")) return;
      const check = parseCheck(line.slice(8));
      if (!check) return;
      checks.push(check);
      for (const l of checklistLines(check)) print(l);
    };
    // the longest silence between two results: the fix wait, the loopback wait, or the USSD answer
    const answer = await client.command(`SELFTEST ${fix} ${loopback}`, (Math.max(fix, loopback, 30) + 30) * 1000);
    client.onLine = null;
    if (!answer.ok) throw new Error(`SELFTEST refused: ${answer.error || answer.summary}`);
    const failed = checks.filter((c) => c.verdict === "FAIL").length;
    const warned = checks.filter((c) => c.verdict === "WARN").length;
    print(failed > 0 ? `${failed} check(s) FAILED: fix them before the unit leaves the vehicle.` : warned > 0 ? `Passed, with ${warned} warning(s).` : "All checks passed.");
    return { exitCode: failed > 0 ? 1 : 0, checks };
  } finally {
    if (unlocked) await client.command("LOCK").catch(() => undefined);
  }
}
