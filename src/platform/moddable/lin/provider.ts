/**
 * Host provider (module "embedded:provider/builtin") of the `lin` build: Moddable's Linux runtime
 * under mcsim, which the simulator drives over pseudo-terminals. Serial is the runtime's own (a tty
 * opened by `device` path). The runtime has no GPIO, so Digital is a stand-in (below) that logs each
 * output level. Pin numbers are the LilyGO T-A7670's (the manifest config), so logs read as on the
 * board. (This file is the only module of its folder: a relative import from it would resolve
 * against "embedded:provider/", not against this folder.)
 */
import Serial from "embedded:io/serial";

/**
 * Stand-in for ECMA-419 Digital: an output pin that reports every level it is given as a log
 * line, `[pin] info: gpio <n> = <0|1>`, which the simulator reads to play the modem's PWRKEY and
 * POWERON. The opening level is reported too (the ESP32 driver sets it before it enables the
 * output). Inputs read 0.
 */
class TracedDigital {
  static readonly Input = 0;
  static readonly Output = 8;
  readonly #pin: number;

  constructor(options: { pin: number; mode: number; initialValue?: 0 | 1 }) {
    this.#pin = options.pin;
    if (options.mode === TracedDigital.Output) this.write(options.initialValue === 1 ? 1 : 0);
  }

  read(): 0 | 1 {
    return 0;
  }

  write(value: 0 | 1): void {
    trace(`[pin] info: gpio ${this.#pin} = ${value ? 1 : 0}\n`);
  }

  close(): void {}
}

const device = Object.freeze({
  io: Object.freeze({ Digital: TracedDigital, Serial }),
  pin: Object.freeze({ modemPwrKey: 4, modemPowerOn: 12 }),
});

export default device;
