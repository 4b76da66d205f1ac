/**
 * An emulated ESP32 ROM serial bootloader (download mode), for testing the flasher without a board.
 * Written from Espressif's published serial-protocol documentation (esptool docs, "Serial Protocol"):
 *
 *  - SLIP framing both ways (0xC0 ends a frame; 0xDB 0xDC / 0xDB 0xDD escape 0xC0 / 0xDB);
 *  - command packet: direction 0x00, opcode, data length (u16 LE), checksum (u32 LE; XOR of the data
 *    payload seeded with 0xEF, for the *_DATA commands), data;
 *  - response: direction 0x01, the same opcode, data length, a value (u32 LE: READ_REG's register),
 *    data, then status bytes: failed (0/1) and an error code; the ESP32 ROM sends 4 status bytes,
 *    the flasher stub 2;
 *  - commands: SYNC (answered 8 times by the ROM), READ_REG / WRITE_REG (a register file with the
 *    chip-detect magic 0x00F01D83 at 0x40001000, efuse words for the MAC, the UART clock divider, and
 *    the SPI controller's user command so a flash-ID read (0x9F) works), SPI_ATTACH, SPI_SET_PARAMS,
 *    FLASH_BEGIN / FLASH_DATA / FLASH_END, FLASH_DEFL_BEGIN / _DATA / _END (zlib stream), SPI_FLASH_MD5
 *    (ROM: 32 hex characters; stub: 16 bytes), CHANGE_BAUDRATE, MEM_BEGIN / MEM_DATA / MEM_END (the
 *    stub upload; after MEM_END with an entry point the "stub" greets with the frame "OHAI" and from
 *    then on answers as the stub). Anything else (GET_SECURITY_INFO, which the ESP32 ROM lacks) fails
 *    with error 0x05, "received message is invalid".
 *
 * Faults for tests: corrupt a flash byte after it is written (the MD5 check must catch it), garble a
 * data packet's payload once (the checksum check must catch it; the flasher retries), stay silent.
 */
import { createHash } from "node:crypto";
import { constants as zlibConstants, inflateSync } from "node:zlib";
import type { SerialPort } from "serialport";

const SLIP_END = 0xc0;
const SLIP_ESC = 0xdb;
const SLIP_ESC_END = 0xdc;
const SLIP_ESC_ESC = 0xdd;

/** Opcodes of the ROM loader protocol. */
export const Op = Object.freeze({
  FLASH_BEGIN: 0x02,
  FLASH_DATA: 0x03,
  FLASH_END: 0x04,
  MEM_BEGIN: 0x05,
  MEM_END: 0x06,
  MEM_DATA: 0x07,
  SYNC: 0x08,
  WRITE_REG: 0x09,
  READ_REG: 0x0a,
  SPI_SET_PARAMS: 0x0b,
  SPI_ATTACH: 0x0d,
  CHANGE_BAUDRATE: 0x0f,
  FLASH_DEFL_BEGIN: 0x10,
  FLASH_DEFL_DATA: 0x11,
  FLASH_DEFL_END: 0x12,
  SPI_FLASH_MD5: 0x13,
});

/** Error codes of the status bytes. */
const ERR_INVALID_MESSAGE = 0x05;
const ERR_FAILED_TO_ACT = 0x06;
const ERR_INVALID_CRC = 0x07;

/** Frame `payload` with SLIP. */
export function slipEncode(payload: Uint8Array): Uint8Array {
  const out: number[] = [SLIP_END];
  for (const b of payload) {
    if (b === SLIP_END) out.push(SLIP_ESC, SLIP_ESC_END);
    else if (b === SLIP_ESC) out.push(SLIP_ESC, SLIP_ESC_ESC);
    else out.push(b);
  }
  out.push(SLIP_END);
  return new Uint8Array(out);
}

/** Splits a byte stream into SLIP frames (bytes outside frames are ignored; empty frames skipped). */
export class SlipDecoder {
  private frame: number[] | undefined;
  private escaping = false;

  constructor(private readonly onFrame: (payload: Uint8Array) => void) {}

  push(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === SLIP_END) {
        if (this.frame && this.frame.length > 0) this.onFrame(new Uint8Array(this.frame));
        this.frame = [];
        this.escaping = false;
      } else if (!this.frame) {
        // noise between frames
      } else if (this.escaping) {
        this.escaping = false;
        this.frame.push(b === SLIP_ESC_END ? SLIP_END : b === SLIP_ESC_ESC ? SLIP_ESC : b);
      } else if (b === SLIP_ESC) {
        this.escaping = true;
      } else {
        this.frame.push(b);
      }
    }
  }
}

/** XOR checksum of the ROM protocol (seed 0xEF). */
export function romChecksum(data: Uint8Array): number {
  let state = 0xef;
  for (const b of data) state ^= b;
  return state;
}

const u32 = (d: Uint8Array, at: number) => ((d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0);

/** ESP32 register addresses the emulation gives values to. */
const CHIP_DETECT_MAGIC_REG = 0x40001000;
const ESP32_MAGIC = 0x00f01d83;
const UART_CLKDIV_REG = 0x3ff40014;
const EFUSE_BLK0 = 0x3ff5a000;
const SPI_BASE = 0x3ff42000;
const SPI_CMD_REG = SPI_BASE;
const SPI_USR2_REG = SPI_BASE + 0x24;
const SPI_W0_REG = SPI_BASE + 0x80;
const SPI_CMD_USR = 1 << 18;
const SPIFLASH_RDID = 0x9f;

export interface RomFaults {
  /** Flip the bits of the flash byte at this address each time a write covers it (a bad flash cell). */
  corruptFlashAt?: number;
  /** Garble the payload of the FLASH_DATA / FLASH_DEFL_DATA packet with this sequence number, once. */
  garblePacketSeq?: number;
  /** Never answer (a board not in download mode). */
  silent?: boolean;
}

export interface RomBootloaderOptions {
  /** Flash size, bytes (default 4 MB). */
  flashBytes?: number;
  faults?: RomFaults;
  /** The baud rate the host asked for with CHANGE_BAUDRATE. */
  onBaudRate?: (baud: number) => void;
}

type DataPacket = { seq: number; data: Uint8Array };

export class RomBootloader {
  /** The emulated SPI flash (erased: 0xFF). */
  readonly flash: Uint8Array;
  /** Opcodes received, in order (tests check the flow). */
  readonly commands: number[] = [];
  /** Checksum failures seen on data packets. */
  checksumErrors = 0;
  /** True once the uploaded stub "runs". */
  stubRunning = false;
  /** Where the host's bytes go back out. */
  send: (bytes: Uint8Array) => void = () => {};
  private readonly decoder = new SlipDecoder((frame) => this.onPacket(frame));
  private readonly regs = new Map<number, number>([
    [CHIP_DETECT_MAGIC_REG, ESP32_MAGIC],
    [UART_CLKDIV_REG, Math.round(40_000_000 / 115_200)], // a 40 MHz crystal at the ROM's 115200 baud
    [EFUSE_BLK0 + 4, 0x56789abc], // MAC (low word)
    [EFUSE_BLK0 + 8, 0x00001234], // MAC (high bytes)
  ]);
  private readonly faults: RomFaults;
  private garbled = false;
  private write: { offset: number; blockSize: number; deflate: boolean; compressed: Uint8Array[]; inflated: number; nextSeq: number } | undefined;
  private mem: { nextSeq: number } | undefined;

  constructor(private readonly options: RomBootloaderOptions = {}) {
    this.flash = new Uint8Array(options.flashBytes ?? 4 * 1024 * 1024).fill(0xff);
    this.faults = options.faults ?? {};
  }

  /** Bytes from the host. */
  receive(bytes: Uint8Array): void {
    if (this.faults.silent) return;
    this.decoder.push(bytes);
  }

  /** Serve on an open serial port (the other end of the flasher's). */
  attach(port: SerialPort): void {
    this.send = (bytes) => void port.write(Buffer.from(bytes));
    port.on("data", (data: Buffer) => this.receive(new Uint8Array(data)));
  }

  private onPacket(p: Uint8Array): void {
    if (p.length < 8 || p[0] !== 0x00) return; // not a command
    const op = p[1]!;
    const size = p[2]! | (p[3]! << 8);
    const checksum = u32(p, 4);
    const data = p.subarray(8, 8 + size);
    this.commands.push(op);
    if (data.length !== size) return this.fail(op, ERR_INVALID_MESSAGE);
    switch (op) {
      case Op.SYNC: {
        const ok = size === 36 && data[0] === 0x07 && data[1] === 0x07 && data[2] === 0x12 && data[3] === 0x20 && data.subarray(4).every((b) => b === 0x55);
        if (!ok) return this.fail(op, ERR_INVALID_MESSAGE);
        // the ROM answers a SYNC 8 times, with a non-zero value (the stub once, with 0)
        for (let i = 0; i < (this.stubRunning ? 1 : 8); i++) this.reply(op, this.stubRunning ? 0 : 0x20120707);
        return;
      }
      case Op.READ_REG:
        return this.reply(op, this.regs.get(u32(data, 0)) ?? 0);
      case Op.WRITE_REG:
        for (let at = 0; at + 16 <= data.length; at += 16) this.writeReg(u32(data, at), u32(data, at + 4), u32(data, at + 8));
        return this.reply(op);
      case Op.SPI_ATTACH:
      case Op.SPI_SET_PARAMS:
        return this.reply(op);
      case Op.CHANGE_BAUDRATE:
        this.reply(op);
        this.options.onBaudRate?.(u32(data, 0));
        return;
      case Op.FLASH_BEGIN:
      case Op.FLASH_DEFL_BEGIN:
        return this.flashBegin(op, data);
      case Op.FLASH_DATA:
      case Op.FLASH_DEFL_DATA:
        return this.flashData(op, data, checksum);
      case Op.FLASH_END:
      case Op.FLASH_DEFL_END:
        this.write = undefined;
        return this.reply(op);
      case Op.SPI_FLASH_MD5:
        return this.md5(op, data);
      case Op.MEM_BEGIN:
        this.mem = { nextSeq: 0 };
        return this.reply(op);
      case Op.MEM_DATA: {
        const packet = this.dataPacket(data, checksum);
        if (!this.mem || !packet) return this.fail(op, packet ? ERR_FAILED_TO_ACT : ERR_INVALID_CRC);
        this.mem.nextSeq = packet.seq + 1;
        return this.reply(op);
      }
      case Op.MEM_END: {
        const runEntry = size >= 8 && u32(data, 0) === 0;
        this.mem = undefined;
        this.reply(op);
        if (runEntry) {
          this.stubRunning = true;
          this.send(slipEncode(new TextEncoder().encode("OHAI")));
        }
        return;
      }
      default:
        return this.fail(op, ERR_INVALID_MESSAGE);
    }
  }

  private writeReg(addr: number, value: number, mask: number): void {
    const old = this.regs.get(addr) ?? 0;
    const next = ((old & ~mask) | (value & mask)) >>> 0;
    if (addr === SPI_CMD_REG && next & SPI_CMD_USR) {
      // run the SPI user command at once, then clear the busy bit
      if (((this.regs.get(SPI_USR2_REG) ?? 0) & 0xff) === SPIFLASH_RDID) this.regs.set(SPI_W0_REG, this.jedecId());
      this.regs.set(addr, (next & ~SPI_CMD_USR) >>> 0);
      return;
    }
    this.regs.set(addr, next);
  }

  /** JEDEC id as the SPI controller's W0 holds it: manufacturer, memory type, capacity (2^n bytes). */
  private jedecId(): number {
    const capacity = Math.round(Math.log2(this.flash.length));
    return (0xef | (0x40 << 8) | (capacity << 16)) >>> 0; // a Winbond W25Q-class part
  }

  private flashBegin(op: number, data: Uint8Array): void {
    if (data.length < 16) return this.fail(op, ERR_INVALID_MESSAGE);
    const eraseSize = u32(data, 0);
    const blockSize = u32(data, 8);
    const offset = u32(data, 12);
    if (offset + eraseSize > this.flash.length) return this.fail(op, ERR_FAILED_TO_ACT);
    const deflate = op === Op.FLASH_DEFL_BEGIN;
    // erase whole 4 kB sectors covering the region (DEFL: the uncompressed size)
    const start = offset - (offset % 4096);
    const end = Math.min(this.flash.length, Math.ceil((offset + eraseSize) / 4096) * 4096);
    this.flash.fill(0xff, start, end);
    this.write = { offset, blockSize, deflate, compressed: [], inflated: 0, nextSeq: 0 };
    this.reply(op);
  }

  /** A *_DATA packet's header and payload, or undefined when its checksum is wrong. */
  private dataPacket(data: Uint8Array, checksum: number): DataPacket | undefined {
    if (data.length < 16) return undefined;
    const length = u32(data, 0);
    const seq = u32(data, 4);
    let payload = data.subarray(16, 16 + length);
    if (this.faults.garblePacketSeq === seq && !this.garbled && this.write) {
      this.garbled = true;
      payload = payload.slice();
      payload[payload.length >> 1]! ^= 0x10;
    }
    if (payload.length !== length || romChecksum(payload) !== (checksum & 0xff)) {
      this.checksumErrors++;
      return undefined;
    }
    return { seq, data: payload };
  }

  private flashData(op: number, data: Uint8Array, checksum: number): void {
    const w = this.write;
    if (!w || w.deflate !== (op === Op.FLASH_DEFL_DATA)) return this.fail(op, ERR_FAILED_TO_ACT);
    const packet = this.dataPacket(data, checksum);
    if (!packet) return this.fail(op, ERR_INVALID_CRC);
    if (packet.seq !== w.nextSeq) return this.fail(op, ERR_FAILED_TO_ACT);
    w.nextSeq++;
    if (!w.deflate) {
      this.program(w.offset + packet.seq * w.blockSize, packet.data);
      return this.reply(op);
    }
    w.compressed.push(packet.data);
    let plain: Buffer;
    try {
      plain = inflateSync(Buffer.concat(w.compressed), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      return this.fail(op, 0x0b); // deflate error
    }
    this.program(w.offset + w.inflated, plain.subarray(w.inflated));
    w.inflated = plain.length;
    this.reply(op);
  }

  /** Write bytes into the flash (the region was erased by *_BEGIN). */
  private program(address: number, bytes: Uint8Array): void {
    const room = Math.max(0, Math.min(bytes.length, this.flash.length - address));
    this.flash.set(bytes.subarray(0, room), address);
    const bad = this.faults.corruptFlashAt;
    if (bad !== undefined && bad >= address && bad < address + room) this.flash[bad]! ^= 0x01;
  }

  private md5(op: number, data: Uint8Array): void {
    if (data.length < 8) return this.fail(op, ERR_INVALID_MESSAGE);
    const addr = u32(data, 0);
    const size = u32(data, 4);
    if (addr + size > this.flash.length) return this.fail(op, ERR_FAILED_TO_ACT);
    const digest = createHash("md5").update(this.flash.subarray(addr, addr + size)).digest();
    // the ROM sends the digest as 32 hex characters, the stub as 16 bytes
    this.reply(op, 0, this.stubRunning ? new Uint8Array(digest) : new TextEncoder().encode(digest.toString("hex")));
  }

  private reply(op: number, value = 0, body: Uint8Array = new Uint8Array(0), failed = 0, error = 0): void {
    const status = this.stubRunning ? [failed, error] : [failed, error, 0, 0];
    const length = body.length + status.length;
    const packet = new Uint8Array(8 + length);
    packet.set([0x01, op, length & 0xff, length >> 8, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24]);
    packet.set(body, 8);
    packet.set(status, 8 + body.length);
    this.send(slipEncode(packet));
  }

  private fail(op: number, error: number): void {
    this.reply(op, 0, new Uint8Array(0), 1, error);
  }
}
