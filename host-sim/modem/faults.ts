/**
 * Fault injection vocabulary of the virtual modem. One-shot command faults are `FaultSpec`s given to
 * `injectFault`; state faults are methods on the modem (rebootAt / rebootAfter, removeSim,
 * requirePin or the simPin option, loseRegistration, fillStorage, startNoise).
 */

/**
 * Fault reply: bare ERROR, +CMS ERROR: n, +CME ERROR: n (both shaped by CMEE), no answer at all
 * ("timeout"), a reboot instead of the answer ("reboot"), the normal answer with junk bytes in its
 * middle ("garbage"), or — at stage "submit" — success only after the profile's maximum CMGS
 * response time minus 1 s ("slow": 59 s SIMCom, 119 s Quectel).
 */
export type FaultReply = "ERROR" | "timeout" | "reboot" | "garbage" | "slow" | `cms:${number}` | `cme:${number}`;

export interface FaultSpec {
  /** Command line to hit: a RegExp tested on the line, or a case-insensitive prefix ("AT+CMGS"). */
  match: RegExp | string;
  reply: FaultReply;
  /** How many matching commands it hits. Default 1 (Infinity for all). */
  times?: number;
  /**
   * "command" (default): answer the command line itself; its effect does not happen.
   * "submit": for AT+CMGS, show the prompt, take the text, then answer with the fault after Ctrl-Z
   * instead of sending (nothing reaches the network).
   * "result": for AT+CMGS, the network GETS the message (recorded, delivered, `unconfirmed` set on
   * the record, `confirmed: false` in `modem.submissions`) but the +CMGS result is lost: "timeout"
   * says nothing, an error reply answers that error, "reboot" reboots. The "sent but not confirmed" case.
   */
  stage?: "command" | "submit" | "result";
}

/** Random junk on the modem → firmware line. */
export interface NoiseOptions {
  /** Gap between bursts, random in [min, max] ms. Default [2000, 10000]. */
  intervalMs?: [number, number];
  /** Burst length 1..maxBytes. Default 4. */
  maxBytes?: number;
  /** Probability (0..1) that a response gets a burst in its middle. Default 0. */
  insideResponses?: number;
  /** Allow CR and LF in junk (can fake line ends). Default false. */
  lineBreaks?: boolean;
}
