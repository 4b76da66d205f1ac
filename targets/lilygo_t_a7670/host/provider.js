/*
 * Host provider (module "embedded:provider/builtin") for the LilyGO T-A7670 board target, used with
 * `mcconfig -p esp32:targets/lilygo_t_a7670`. Written for this project (ECMA-419 host provider
 * shape: io classes, <Kind>.default option objects, pin names); not copied from the Moddable SDK.
 *
 * Pins are GPIO numbers seen from the ESP32 (receive = ESP32 RX). The firmware reads its wiring from
 * the manifest "config" (src/platform/moddable/board.ts); keep these numbers equal to it
 * (test/platform/manifest.test.ts checks). UART0 belongs to the console, so the modem is on UART1
 * and the GNSS on UART2. The external GNSS pins differ between board variants and their direction
 * must be verified on the hardware. Analog reads the backup cell on batteryAdc (GPIO 35, 100k/100k
 * divider) and, on boards wired for it, the vehicle supply (manifest config vehicleAdcPin).
 */
import Analog from "embedded:io/analog";
import Digital from "embedded:io/digital";
import Serial from "embedded:io/serial";

// Plain objects are frozen one by one (not deep-frozen: that would freeze the io classes too).
const device = Object.freeze({
	io: Object.freeze({ Analog, Digital, Serial }),
	Serial: Object.freeze({
		default: Object.freeze({ io: Serial, port: 1, receive: 27, transmit: 26 })
	}),
	pin: Object.freeze({
		modemRx: 27,
		modemTx: 26,
		modemPwrKey: 4,
		modemPowerOn: 12,
		modemRing: 33,
		modemReset: 5,
		modemDtr: 25,
		batteryAdc: 35,
		gnssRx: 22,
		gnssTx: 21
	})
});

export default device;
