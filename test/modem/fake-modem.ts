/**
 * A scripted fake modem for the lifecycle tests, written for these tests: it speaks one profile's
 * dialect (boot URCs, SMS-ready URC, power-key thresholds) over a FakePort, timed by a FakeClock.
 * It models power (off / booting / on), a PWRKEY pin, echo, SIM PIN / PUK, registration after a
 * delay, the PIN counters (AT+SPIC, AT+QPINC), AT+CFUN=1,1, AT+CCLK?, AT+CSQ, SIM removal, a hung UART and a dead modem,
 * registration reports (AT+CxREG=<n>, URCs on a change: setRegistration) and the serving cell
 * (AT+CPSI?, AT+QENG="servingcell", AT+COPS=3,2 / AT+COPS?, CREG/CEREG with <n>=2). Answers come
 * 20 ms after the command (virtual time), in the port's chunking.
 */
import type { OutputPin } from "../../src/platform/ports.ts";
import type { ModemProfile } from "../../src/modem/profiles.ts";
import type { FakeClock, FakePort } from "./fakes.ts";

export interface FakeModemOptions {
  /** Already on and booted at construction (default false: off until the power key is pressed). */
  on?: boolean;
  /** Power key press → first boot URC, ms (default 3000). */
  bootMs?: number;
  /** Spacing of the boot URCs, ms (default 500). */
  urcSpacingMs?: number;
  /** No boot URCs at all (SIM800 with autobaud): only AT answering tells it is up. */
  silentBoot?: boolean;
  /** The SIM's PIN; "" = no PIN lock (default). */
  simPin?: string;
  /** PIN attempts left before the SIM wants its PUK (default 3). */
  pinAttempts?: number;
  /** The SIM is blocked: it wants its PUK. */
  puk?: boolean;
  /** Answer the PIN counter query (SIMCom AT+SPIC, Quectel AT+QPINC="SC") with ERROR (default: the counters). */
  noPinCounter?: boolean;
  /** Say nothing at all to AT+CPIN="..." (its fate unknown to the firmware; no attempt is used). */
  silentOnPin?: boolean;
  /** SIM present (default true). */
  sim?: boolean;
  /** Registration stats once registered (default CREG 1, CEREG 1, CGREG 1). */
  reg?: { CREG: number; CEREG: number; CGREG: number };
  /** First boot URC → registered, ms (default 4000). */
  registrationDelayMs?: number;
  /** AT+CCLK? answer (the quoted value), default "24/03/05,14:30:00+08". */
  cclk?: string;
}

/** Pin that records writes with their times and forwards them. */
export class RecordingPin implements OutputPin {
  readonly writes: Array<{ value: 0 | 1; atMs: number }> = [];
  onWrite: ((value: 0 | 1) => void) | null = null;
  constructor(private readonly clock: FakeClock) {}
  write(value: 0 | 1): void {
    this.writes.push({ value, atMs: this.clock.monotonicMs() });
    this.onWrite?.(value);
  }
  /** Presses as [pressedAtMs, heldMs]. */
  get presses(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let down: number | undefined;
    for (const w of this.writes) {
      if (w.value === 1 && down === undefined) down = w.atMs;
      else if (w.value === 0 && down !== undefined) {
        out.push([down, w.atMs - down]);
        down = undefined;
      }
    }
    return out;
  }
}

export class FakeModem {
  /** Every command line received while on, in order. */
  readonly commands: string[] = [];
  /** Boots so far. */
  boots = 0;
  power: "off" | "booting" | "on" = "off";
  /** Hung: ignores every byte (power key still works unless `dead`). */
  hung = false;
  /** Dead: ignores bytes and the power key. */
  dead = false;
  /** Answer delay, ms. */
  delayMs = 20;
  /** The serving-cell queries find no cell (AT+CPSI?: NO SERVICE; AT+QENG: SEARCH). */
  noCell = false;
  readonly pin: RecordingPin;
  readonly #port: FakePort;
  readonly #clock: FakeClock;
  readonly #profile: ModemProfile;
  readonly #options: FakeModemOptions;
  #line = "";
  #echo = true;
  #epoch = 0;
  #cpin: "READY" | "SIM PIN" | "SIM PUK" = "READY";
  #pinAttempts: number;
  #sim: boolean;
  #smsReady = false;
  #registered = false;
  #pressedAtMs: number | undefined;
  #stats: { CREG: number; CEREG: number; CGREG: number };
  /** <n> of each register (0 after a boot). */
  #regN = { CREG: 0, CEREG: 0, CGREG: 0 };
  #copsNumeric = false;

  constructor(port: FakePort, clock: FakeClock, profile: ModemProfile, options: FakeModemOptions = {}) {
    this.#port = port;
    this.#clock = clock;
    this.#profile = profile;
    this.#options = options;
    this.#pinAttempts = options.puk ? 0 : (options.pinAttempts ?? 3);
    this.#sim = options.sim ?? true;
    this.#stats = { ...(options.reg ?? { CREG: 1, CEREG: 1, CGREG: 1 }) };
    this.pin = new RecordingPin(clock);
    this.pin.onWrite = (value) => this.#onKey(value);
    port.onWrite = (bytes) => {
      for (const b of bytes) this.#byte(b);
    };
    if (options.on) {
      this.power = "on";
      this.boots = 1;
      this.#cpin = this.#lockState();
      this.#smsReady = this.#cpin === "READY";
      this.#registered = this.#cpin === "READY";
      this.#echo = true;
    }
  }

  /** Off press threshold: presses at least this long switch a running modem off. */
  get offThresholdMs(): number {
    return Math.round(this.#profile.powerKey.offPulseMs * 0.8);
  }

  /** Push text now (a URC). */
  urc(text: string): void {
    this.#port.push("\r\n" + text + "\r\n");
  }

  /** Unsolicited reboot: silent at once, then the boot sequence. */
  reboot(): void {
    this.#shutdown();
    this.#boot();
  }

  /** Pull the SIM: "+CPIN: NOT INSERTED" (A76xx style "+SIMCARD: NOT AVAILABLE" is handled too). */
  pullSim(urc = "+CPIN: NOT INSERTED"): void {
    this.#sim = false;
    this.#registered = false;
    if (this.power === "on") this.urc(urc);
  }

  /**
   * The stats the registers report once registered (a lost registration: e.g. all 2): a URC for
   * each register whose stat changes and whose reports are on (<n> ≥ 1), unless `urcs` is false.
   */
  setRegistration(stats: { CREG: number; CEREG: number; CGREG: number }, urcs = true): void {
    for (const kind of ["CREG", "CEREG", "CGREG"] as const) {
      const before = this.#stat(kind);
      this.#stats[kind] = stats[kind];
      const after = this.#stat(kind);
      if (urcs && this.power === "on" && this.#regN[kind] > 0 && before !== after) this.urc(`+${kind}: ${this.#regDetail(kind, false)}`);
    }
  }

  #stat(kind: "CREG" | "CEREG" | "CGREG"): number {
    return this.#registered ? this.#stats[kind] : 2;
  }

  #regDetail(kind: "CREG" | "CEREG" | "CGREG", read: boolean): string {
    const stat = this.#stat(kind);
    const n = this.#regN[kind];
    return (read ? `${n},` : "") + stat + (n === 2 && (stat === 1 || stat === 5) ? ',"1A2B","01C2D3E4",7' : "");
  }

  /** Put the SIM back: "+CPIN: READY" (or SIM PIN when locked). */
  insertSim(): void {
    this.#sim = true;
    this.#cpin = this.#lockState();
    if (this.power !== "on") return;
    this.urc("+CPIN: " + this.#cpin);
    if (this.#cpin === "READY") this.#afterSimReady(this.#epoch);
  }

  /** SIM state at power-up. */
  #lockState(): "READY" | "SIM PIN" | "SIM PUK" {
    if (this.#pinAttempts <= 0 && (this.#options.simPin || this.#options.puk)) return "SIM PUK";
    return this.#options.simPin ? "SIM PIN" : "READY";
  }

  /** PIN attempts left. */
  get pinAttemptsLeft(): number {
    return this.#pinAttempts;
  }

  #onKey(value: 0 | 1): void {
    if (this.dead) return;
    if (value === 1) {
      this.#pressedAtMs ??= this.#clock.monotonicMs();
      return;
    }
    if (this.#pressedAtMs === undefined) return;
    const heldMs = this.#clock.monotonicMs() - this.#pressedAtMs;
    this.#pressedAtMs = undefined;
    if (this.power === "off" && heldMs >= 50) this.#boot();
    else if (this.power !== "off" && heldMs >= this.offThresholdMs) {
      const urc = this.#profile.powerDownUrcs[0];
      if (this.power === "on" && !this.hung) this.urc(urc);
      this.#shutdown();
    }
  }

  #shutdown(): void {
    this.#epoch++;
    this.power = "off";
    this.hung = false;
    this.#smsReady = false;
    this.#registered = false;
    this.#regN = { CREG: 0, CEREG: 0, CGREG: 0 };
    this.#copsNumeric = false;
    this.#echo = true;
    this.#line = "";
  }

  #later(delayMs: number, action: () => void): void {
    const epoch = this.#epoch;
    this.#clock.setTimer(() => {
      if (epoch === this.#epoch) action();
    }, delayMs);
  }

  #boot(): void {
    this.#epoch++;
    this.power = "booting";
    this.boots++;
    this.#cpin = this.#lockState();
    const epoch = this.#epoch;
    const spacing = this.#options.urcSpacingMs ?? 500;
    this.#later(this.#options.bootMs ?? 3000, () => {
      this.power = "on";
      if (this.#options.silentBoot) {
        if (this.#cpin === "READY" && this.#sim) this.#afterSimReady(epoch);
        return;
      }
      const urcs = this.#profile.bootUrcs;
      let at = 0;
      for (const urc of urcs) {
        if (urc.startsWith("+CPIN:")) {
          const state = this.#sim ? this.#cpin : "NOT INSERTED";
          this.#later(at, () => {
            if (state === "READY" && this.#profile.smsReadyUrc === "+CPIN: READY") this.#smsReady = true;
            this.urc("+CPIN: " + state);
          });
          if (state !== "READY") return; // the rest waits for the PIN
          at += spacing;
          continue;
        }
        if (urc === this.#profile.smsReadyUrc) {
          this.#later(at, () => {
            this.#smsReady = true;
            this.urc(urc);
          });
        } else {
          this.#later(at, () => this.urc(urc));
        }
        at += spacing;
      }
      this.#later(this.#options.registrationDelayMs ?? 4000, () => {
        if (this.#cpin === "READY" && this.#sim) this.#registered = true;
      });
    });
  }

  /** After the SIM is unlocked: the SMS-ready URC and registration follow. */
  #afterSimReady(epoch: number): void {
    if (epoch !== this.#epoch) return;
    const smsUrc = this.#profile.smsReadyUrc;
    this.#later(800, () => {
      this.#smsReady = true;
      if (!this.#options.silentBoot && smsUrc !== "+CPIN: READY") this.urc(smsUrc);
    });
    this.#later(this.#options.registrationDelayMs ?? 4000, () => (this.#registered = true));
  }

  #byte(b: number): void {
    if (this.dead || this.hung || this.power !== "on") return;
    if (b === 0x0a) return;
    if (b !== 0x0d) {
      this.#line += String.fromCharCode(b);
      return;
    }
    const command = this.#line;
    this.#line = "";
    if (command === "") return;
    this.commands.push(command);
    const answer = this.#answer(command);
    const text = (this.#echo ? command + "\r" : "") + answer;
    this.#later(this.delayMs, () => this.#port.push(text));
  }

  #answer(command: string): string {
    const OK = "\r\nOK\r\n";
    const ERROR = "\r\nERROR\r\n";
    const info = (line: string) => "\r\n" + line + "\r\n" + OK;
    const cme = (text: string) => "\r\n+CME ERROR: " + text + "\r\n";
    if (command === "AT") return OK;
    if (command === "ATE0") {
      this.#echo = false;
      return OK;
    }
    if (command === "AT+CMEE=2") return OK;
    if (command.startsWith("AT+QURCCFG=")) return this.#profile.vendor === "Quectel" ? OK : ERROR;
    if (command === "AT+CPIN?") {
      if (!this.#sim) return cme("SIM not inserted");
      return info("+CPIN: " + this.#cpin);
    }
    if (command === "AT+SPIC" && this.#profile.vendor === "SIMCom" && !this.#options.noPinCounter) {
      return info(`+SPIC: ${this.#pinAttempts},10,3,10`);
    }
    if (command === 'AT+QPINC="SC"' && this.#profile.vendor === "Quectel" && !this.#options.noPinCounter) {
      return info(`+QPINC: "SC",${this.#pinAttempts},10`);
    }
    const pin = /^AT\+CPIN="(\d+)"$/.exec(command);
    if (pin && this.#options.silentOnPin) return "";
    if (pin) {
      if (!this.#sim) return cme("SIM not inserted");
      if (this.#cpin === "SIM PUK") return cme("SIM PUK required");
      if (this.#cpin !== "SIM PIN") return cme("operation not allowed");
      if (pin[1] === this.#options.simPin) {
        this.#cpin = "READY";
        const epoch = this.#epoch;
        this.#later(300, () => {
          this.urc("+CPIN: READY");
          this.#afterSimReady(epoch);
        });
        return OK;
      }
      this.#pinAttempts--;
      if (this.#pinAttempts <= 0) this.#cpin = "SIM PUK";
      return cme("incorrect password");
    }
    if (/^AT\+(CMGF=[01]|CSCS="GSM"|CSDH=1|CPMS="SM","SM","SM"|CNMI=2,1,0,0,0)$/.test(command)) {
      return this.#smsReady && this.#sim ? OK : this.#profile.name === "A7670" ? ERROR : cme("SIM busy");
    }
    const reg = /^AT\+(CREG|CEREG|CGREG)\?$/.exec(command);
    if (reg) return info(`+${reg[1]}: ${this.#regDetail(reg[1] as "CREG" | "CEREG" | "CGREG", true)}`);
    const regN = /^AT\+(CREG|CEREG|CGREG)=([012])$/.exec(command);
    if (regN) {
      if (regN[1] === "CEREG" && this.#profile.name === "SIM800") return ERROR;
      this.#regN[regN[1] as "CREG" | "CEREG" | "CGREG"] = Number(regN[2]);
      return OK;
    }
    const registered = this.#registered && !this.noCell;
    if (command === "AT+CPSI?" && this.#profile.vendor === "SIMCom" && this.#profile.name !== "SIM800") {
      return info(registered ? "+CPSI: LTE,Online,310-260,0x1A2B,26396162,101,EUTRAN-BAND2,1800,5,5,-94,-1143,-764,11" : "+CPSI: NO SERVICE,Online");
    }
    if (command === 'AT+QENG="servingcell"' && this.#profile.vendor === "Quectel") {
      return info(registered ? '+QENG: "servingcell","NOCONN","LTE","FDD",310,260,192C602,101,1800,2,5,5,1A2B,-94,-11,-64,11,30' : '+QENG: "servingcell","SEARCH"');
    }
    if (command === "AT+COPS=3,2") {
      this.#copsNumeric = true;
      return OK;
    }
    if (command === "AT+COPS?") return info(!registered ? "+COPS: 0" : this.#copsNumeric ? '+COPS: 0,2,"310260",7' : '+COPS: 0,0,"T-Mobile",7');
    if (command === "AT+CSQ") return info("+CSQ: 18,99");
    if (command === "AT+CCLK?") return info(`+CCLK: "${this.#options.cclk ?? "24/03/05,14:30:00+08"}"`);
    if (command === "AT+CFUN=1,1") {
      this.#later(300, () => this.reboot());
      return OK;
    }
    return ERROR;
  }
}
