/**
 * `tracker flash --port <path> <image> [--baud 460800] [--offset 0x10000] [--no-reset]`: write a
 * firmware image into the ESP32's flash with Espressif's esptool-js (written for Web Serial in a
 * browser; here it drives Node's serialport through WebSerialOverNode) and verify it: esptool-js
 * asks the chip for the MD5 of the written region (SPI_FLASH_MD5) and compares it with the image's.
 *
 * Before anything is written the image is checked: an ESP32 app image starts with 0xE9 and names its
 * chip in the extended header; its app descriptor gives the project name and version, printed so the
 * installer sees what goes on the unit.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ESPLoader, Transport } from "esptool-js";
import { type ParsedArgs, UsageError, numberOption } from "../cli/args.ts";
import { WebSerialOverNode } from "./web-serial-adapter.ts";
import { SerialPortError } from "./serial-open.ts";

/** ESP image header magic, and the app descriptor's. */
const IMAGE_MAGIC = 0xe9;
const APP_DESC_MAGIC = 0xabcd5432;
/** Extended header chip ids (esp_image_header_t.chip_id) → esptool-js chip names. */
const CHIP_IDS: Readonly<Record<number, string>> = Object.freeze({ 0: "ESP32", 2: "ESP32-S2", 5: "ESP32-C3", 9: "ESP32-S3", 12: "ESP32-C2", 13: "ESP32-C6" });

export interface ImageInfo {
  /** Chip the image is built for ("ESP32"...), undefined when the header names an unknown one. */
  chip: string | undefined;
  /** From the app descriptor, when present. */
  project?: string;
  version?: string;
}

/** Read an ESP32 app image's header and descriptor; throws a clear error when it is not one. */
export function inspectImage(image: Uint8Array): ImageInfo {
  if (image.length < 24 || image[0] !== IMAGE_MAGIC) {
    throw new Error(
      `not an ESP32 firmware image (it does not start with 0xE9${image.length ? `; it starts with 0x${image[0]!.toString(16).padStart(2, "0")}` : ": it is empty"}). ` +
        "Flash the application .bin the build wrote (e.g. build/bin/esp32/release/<target>/xs_esp32.bin), not the .elf or a .hex.",
    );
  }
  const chipId = image[12]! | (image[13]! << 8);
  const info: ImageInfo = { chip: CHIP_IDS[chipId] };
  // esp_app_desc_t follows the first segment's 8-byte header, right after the 24-byte image header
  const desc = 24 + 8;
  if (image.length >= desc + 80) {
    const magic = (image[desc]! | (image[desc + 1]! << 8) | (image[desc + 2]! << 16) | (image[desc + 3]! << 24)) >>> 0;
    if (magic === APP_DESC_MAGIC) {
      const text = (at: number) => new TextDecoder().decode(image.subarray(at, at + 32)).replace(/\0.*$/s, "");
      info.version = text(desc + 16);
      info.project = text(desc + 48);
    }
  }
  return info;
}

export interface FlashOptions {
  port: string;
  image: Uint8Array;
  /** Flash address, bytes (default 0x10000: the app partition of the default table). */
  offset?: number;
  /** Baud rate for the transfer (default 460800; the ROM starts at 115200). */
  baud?: number;
  /** Do not toggle DTR/RTS (the board was put in download mode by hand). */
  noReset?: boolean;
  print?: (line: string) => void;
}

/** esptool-js's Transport, whose trace lines ("readLoop exited") go nowhere instead of to the console. */
class QuietTransport extends Transport {
  override trace(): void {}
}

/** The flasher could not reach the bootloader. */
export class NotAnsweringError extends Error {
  override name = "NotAnsweringError";
}

/** Write and verify; resolves with the chip's description. Throws NotAnsweringError, SerialPortError or an Error. */
export async function flashFirmware(options: FlashOptions): Promise<string> {
  const print = options.print ?? ((line: string) => console.log(line));
  const offset = options.offset ?? 0x10000;
  const info = inspectImage(options.image);
  print(`image: ${options.image.length} bytes${info.project ? `, ${info.project} ${info.version}` : ""}, for ${info.chip ?? "an unknown chip"}; writing at 0x${offset.toString(16)}`);
  const device = new WebSerialOverNode(options.port);
  device.onNotice = (text) => print(`note: ${text}`);
  const transport = new QuietTransport(device as never, false);
  const terminal = {
    clean: () => {},
    writeLine: (text: string) => {
      if (text.trim() && !text.startsWith("Writing at")) print(`  ${text.trim()}`);
    },
    write: () => {},
  };
  const loader = new ESPLoader({ transport, baudrate: options.baud ?? 460_800, romBaudrate: 115_200, terminal, debugLogging: false });
  const started = Date.now();
  let chip: string;
  try {
    chip = await loader.main(options.noReset ? "no_reset" : "default_reset");
  } catch (e) {
    await transport.disconnect().catch(() => {});
    if (e instanceof SerialPortError) throw e;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    throw new NotAnsweringError(
      `no answer from the ESP32's bootloader on ${options.port} after ${seconds} s (${(e as Error).message}). Check:\n` +
        "  - the port: `tracker ports` (a CP210x/CH340/CH9102 is the board; a modem's own USB is not)\n" +
        "  - the cable carries data (charge-only cables are common)\n" +
        "  - download mode: hold BOOT, press and release EN/RST, release BOOT, then run this again with --no-reset\n" +
        "  - nothing else has the port open (a serial monitor, tracker console)",
    );
  }
  try {
    const boardChip = (loader as unknown as { chip?: { CHIP_NAME?: string } }).chip?.CHIP_NAME;
    if (info.chip && boardChip && boardChip !== info.chip) {
      throw new Error(`wrong firmware for this board: the image is built for ${info.chip}, the board is ${chip}. Build the firmware for the board's chip`);
    }
    let lastTenth = -1;
    await loader.writeFlash({
      fileArray: [{ data: options.image, address: offset }],
      flashMode: "keep",
      flashFreq: "keep",
      flashSize: "keep",
      eraseAll: false,
      compress: true,
      reportProgress: (_file: number, written: number, total: number) => {
        const tenth = Math.floor((10 * written) / total);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          print(`  writing... ${tenth * 10} %`);
        }
      },
      calculateMD5Hash: (image: Uint8Array) => createHash("md5").update(image).digest("hex"),
    }).catch((e: Error) => {
      if (!/MD5 of file does not match/.test(e.message)) throw e;
      throw new Error(
        `verification FAILED: the flash from 0x${offset.toString(16)} does not hold the image (its MD5 differs). The unit must not be installed like this. ` +
          "Flash again, at a lower speed (--baud 115200) and with a short USB cable; if it fails again, the board's flash may be faulty.",
      );
    });
    print(`written and verified (MD5 of the flash region matches the image) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (!options.noReset) await loader.after("hard_reset");
  } finally {
    await transport.disconnect().catch(() => {});
  }
  return chip;
}

/** Parse "0x10000" or "65536". */
function offsetOption(raw: string | true | undefined): number {
  if (raw === undefined) return 0x10000;
  const value = raw === true ? NaN : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value % 0x1000 !== 0) {
    throw new UsageError(`--offset must be a flash address on a 4 kB boundary (e.g. 0x10000), got ${raw === true ? "nothing" : `'${raw}'`}`);
  }
  return value;
}

/** `tracker flash` from parsed arguments. */
export async function runFlashCommand(args: ParsedArgs): Promise<number> {
  const port = args.options.get("port");
  const file = args.positional[1];
  if (port === undefined || port === true) throw new UsageError("tracker flash needs --port <path> (see tracker ports)");
  if (!file) throw new UsageError("tracker flash needs the image file (e.g. build/bin/esp32/release/lilygo_t_a7670/xs_esp32.bin)");
  let image: Uint8Array;
  try {
    image = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    await flashFirmware({
      port,
      image,
      offset: offsetOption(args.options.get("offset")),
      baud: numberOption(args, "baud", 460_800, 9600, 3_000_000),
      noReset: args.options.has("no-reset"),
    });
    return 0;
  } catch (e) {
    console.error(`tracker flash: ${(e as Error).message}`);
    return 1;
  }
}
