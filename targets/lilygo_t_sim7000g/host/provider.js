/*
 * Host provider (module "embedded:provider/builtin") for the LilyGO T-SIM7000G (ESP32-WROVER-E,
 * SIMCom SIM7000G with its own GNSS), used with `mcconfig -p esp32:targets/lilygo_t_sim7000g`.
 * Written for this project (ECMA-419 host provider shape); not copied from the Moddable SDK.
 *
 * Pins are GPIO numbers seen from the ESP32 (receive = ESP32 RX), from LilyGO's pin map (see
 * README.md here and docs/boards.md). The firmware reads its wiring from the manifest "config"
 * (platforms."esp32/lilygo_t_sim7000g".config); keep these numbers equal to it
 * (test/platform/board-targets.test.ts checks). RI is not wired to the ESP32 on this board; the
 * GNSS is inside the modem, its active antenna powered from the modem's GPIO 48 (AT+CGPIO).
 */
import Analog from "embedded:io/analog";
import Digital from "embedded:io/digital";
import Serial from "embedded:io/serial";

// Plain objects are frozen one by one (not deep-frozen: that would freeze the io classes too).
const device = Object.freeze({
	io: Object.freeze({ Analog, Digital, Serial }),
	Serial: Object.freeze({
		default: Object.freeze({ io: Serial, port: 1, receive: 26, transmit: 27 })
	}),
	pin: Object.freeze({
		modemRx: 26,
		modemTx: 27,
		modemPwrKey: 4,
		modemDtr: 25,
		led: 12,
		batteryAdc: 35,
		solarAdc: 36
	})
});

export default device;
