/*
 * Host provider (module "embedded:provider/builtin") for a generic ESP32 board, used with
 * `mcconfig -p esp32:targets/esp32_generic [modemRx=.. modemTx=.. modemProfile=SIM7600 ...]`.
 * Written for this project (ECMA-419 host provider shape); not copied from the Moddable SDK.
 *
 * Every pin comes from the build configuration (manifest config, overridden on the mcconfig command
 * line, where values arrive as strings), so this provider names the same pins the firmware opens.
 */
import Analog from "embedded:io/analog";
import Digital from "embedded:io/digital";
import Serial from "embedded:io/serial";
import config from "mc/config";

/** An integer from config (number or numeric string), else -1. */
function pinOf(key) {
	const raw = config[key];
	const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
	return typeof value === "number" && Number.isInteger(value) ? value : -1;
}

// Plain objects are frozen one by one (not deep-frozen: that would freeze the io classes too).
const device = Object.freeze({
	io: Object.freeze({ Analog, Digital, Serial }),
	Serial: Object.freeze({
		default: Object.freeze({ io: Serial, port: pinOf("modemPort"), receive: pinOf("modemRx"), transmit: pinOf("modemTx") })
	}),
	pin: Object.freeze({
		modemRx: pinOf("modemRx"),
		modemTx: pinOf("modemTx"),
		modemPwrKey: pinOf("modemPwrKey"),
		modemPowerOn: pinOf("modemPowerOn"),
		modemRing: pinOf("modemRing"),
		modemReset: pinOf("modemReset"),
		modemDtr: pinOf("modemDtr"),
		modemFlight: pinOf("modemFlight"),
		batteryAdc: pinOf("batteryAdcPin"),
		gnssRx: pinOf("gnssRx"),
		gnssTx: pinOf("gnssTx")
	})
});

export default device;
