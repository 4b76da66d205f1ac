/**
 * tracker flash over a real pseudo-terminal: esptool-js (through the Web Serial adapter) against the
 * emulated ESP32 ROM bootloader on the other end. The emulated flash must hold exactly the image; a
 * garbled packet is retried; a corrupted flash cell is caught by the MD5 check; a wrong-chip image
 * and a silent board are refused with advice.
 */
import { expect } from "chai";
import { SerialPort } from "serialport";
import { RomBootloader, Op, type RomFaults } from "../../host-sim/installer/rom-bootloader.ts";
import { NotAnsweringError, flashFirmware, inspectImage } from "../../host-sim/installer/flash-command.ts";
import { closeSerial } from "../../host-sim/installer/serial-open.ts";
import { ptyFolder, ptyPair, removeFolder, skipWithoutSocat, type PtyPair } from "./pty-pair.ts";


/** A fake app image: ESP header (magic 0xE9, chip id at 12), an app descriptor, then seeded random bytes. */
function makeImage(bytes: number, chipId = 0, seed = 7): Uint8Array {
  const image = new Uint8Array(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    image[i] = x & 0xff;
  }
  image.set([0xe9, 1, 2, 0x20]);
  image[12] = chipId;
  image[13] = 0;
  image.set([0x32, 0x54, 0xcd, 0xab], 32); // esp_app_desc_t magic, little-endian
  const text = (at: number, s: string) => {
    image.fill(0, at, at + 32);
    image.set(new TextEncoder().encode(s), at);
  };
  text(48, "0.1.0-test");
  text(80, "sms-tracker");
  return image;
}

describe("installer: tracker flash against an emulated ESP32 ROM bootloader on a pty", function () {
  this.timeout(30_000);
  let dir: string;
  let pair: PtyPair;
  let romPort: SerialPort;
  let rom: RomBootloader;

  before(skipWithoutSocat);

  async function startRom(faults: RomFaults = {}): Promise<void> {
    dir = ptyFolder();
    pair = await ptyPair(dir, "usb");
    rom = new RomBootloader({ faults });
    romPort = new SerialPort({ path: pair.a, baudRate: 115_200 });
    await new Promise((resolve) => romPort.once("open", resolve));
    rom.attach(romPort);
  }

  afterEach(async () => {
    if (romPort) await closeSerial(romPort);
    pair?.close();
    if (dir) removeFolder(dir);
  });

  it("writes the image with the stub over the deflate commands, and the flash holds exactly its bytes", async () => {
    await startRom();
    rom.flash.fill(0x00); // old contents: the write must erase what it covers, and only that
    const image = makeImage(200_000);
    const lines: string[] = [];
    const chip = await flashFirmware({ port: pair.b, image, offset: 0x10000, print: (l) => lines.push(l) });
    expect(chip).to.match(/^ESP32/);
    expect(Buffer.from(rom.flash.subarray(0x10000, 0x10000 + image.length)).equals(Buffer.from(image))).to.equal(true);
    const sectorEnd = 0x10000 + Math.ceil(image.length / 4096) * 4096;
    expect(rom.flash[0x10000 + image.length], "the rest of the last sector: erased").to.equal(0xff);
    expect(rom.flash[sectorEnd], "the next sector: untouched").to.equal(0x00);
    expect(rom.flash[0xffff], "before the offset: untouched").to.equal(0x00);
    expect(rom.stubRunning, "esptool-js uploaded and started the stub").to.equal(true);
    for (const op of [Op.SYNC, Op.READ_REG, Op.MEM_BEGIN, Op.MEM_END, Op.CHANGE_BAUDRATE, Op.FLASH_DEFL_BEGIN, Op.FLASH_DEFL_DATA, Op.FLASH_DEFL_END, Op.SPI_FLASH_MD5]) {
      expect(rom.commands, `opcode 0x${op.toString(16)}`).to.include(op);
    }
    expect(lines.join("\n")).to.include("sms-tracker 0.1.0-test").and.include("written and verified");
  });

  it("a data packet garbled on the line fails its checksum and is sent again: the flash still holds the image", async () => {
    await startRom({ garblePacketSeq: 1 });
    const image = makeImage(120_000, 0, 11);
    await flashFirmware({ port: pair.b, image, print: () => {} });
    expect(rom.checksumErrors).to.equal(1);
    expect(Buffer.from(rom.flash.subarray(0x10000, 0x10000 + image.length)).equals(Buffer.from(image))).to.equal(true);
  });

  it("a flash cell that does not hold its byte is caught by the MD5 check: verification FAILED, not success", async () => {
    await startRom({ corruptFlashAt: 0x10000 + 5000 });
    const image = makeImage(60_000, 0, 3);
    const lines: string[] = [];
    let error: Error | undefined;
    await flashFirmware({ port: pair.b, image, print: (l) => lines.push(l) }).catch((e: Error) => (error = e));
    expect(error?.message).to.include("verification FAILED").and.include("--baud 115200");
    expect(lines.join("\n")).not.to.include("written and verified");
  });

  it("an image built for another chip (ESP32-S3) is refused before anything is written", async () => {
    await startRom();
    const image = makeImage(40_000, 9);
    let error: Error | undefined;
    await flashFirmware({ port: pair.b, image, print: () => {} }).catch((e: Error) => (error = e));
    expect(error?.message).to.include("wrong firmware for this board").and.include("ESP32-S3");
    expect(rom.commands).not.to.include(Op.FLASH_DEFL_BEGIN);
    expect(rom.flash.subarray(0x10000, 0x10000 + 100).every((b) => b === 0xff)).to.equal(true);
  });

  it("a board that does not answer (not in download mode) is reported with what to check", async () => {
    await startRom({ silent: true });
    let error: Error | undefined;
    await flashFirmware({ port: pair.b, image: makeImage(4096), noReset: true, print: () => {} }).catch((e: Error) => (error = e));
    expect(error).to.be.instanceOf(NotAnsweringError);
    expect(error?.message).to.match(/no answer from the ESP32's bootloader .* after \d+ s/).and.include("hold BOOT").and.include("tracker ports");
  });
});

describe("installer: firmware image checks", () => {
  it("reads the chip, project and version of an ESP32 app image", () => {
    expect(inspectImage(makeImage(1000))).to.deep.equal({ chip: "ESP32", version: "0.1.0-test", project: "sms-tracker" });
    expect(inspectImage(makeImage(1000, 5)).chip).to.equal("ESP32-C3");
  });

  it("refuses what is not an app image (an ELF, an empty file) with what to flash instead", () => {
    const elf = new Uint8Array(100);
    elf.set([0x7f, 0x45, 0x4c, 0x46]);
    expect(() => inspectImage(elf)).to.throw(/not an ESP32 firmware image .*0x7f.*xs_esp32\.bin/);
    expect(() => inspectImage(new Uint8Array(0))).to.throw(/it is empty/);
  });
});
