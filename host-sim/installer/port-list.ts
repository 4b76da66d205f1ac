/**
 * The serial ports on this computer, with their USB ids and a guess of what is attached.
 *
 * serialport's SerialPort.list() asks `udevadm info -e` on Linux; where udevadm is missing (minimal
 * containers) or its database is empty it fails or returns no USB ids. So on Linux the ports are
 * read from sysfs directly (/sys/class/tty/<name>/device, walking up to the USB device that holds
 * idVendor / idProduct), and SerialPort.list() only adds ports sysfs does not show (other OSes:
 * only SerialPort.list()).
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SerialPort } from "serialport";

export interface PortInfo {
  /** Device path, e.g. /dev/ttyUSB0. */
  path: string;
  /** USB vendor and product ids (undefined when not a USB port). */
  vendorId?: number;
  productId?: number;
  /** USB interface number: which port of a multi-port device (modems have several). */
  interfaceNumber?: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  /** The kernel driver (cp210x, ch341, cdc_acm, option, ftdi_sio...). */
  driver?: string;
  /** What is probably attached ("" when no guess). */
  description: string;
}

/** Known USB ids → what is attached. `pid` undefined: any product of the vendor. */
const USB_GUESSES: ReadonlyArray<{ vid: number; pid?: number; what: string }> = [
  { vid: 0x10c4, pid: 0xea60, what: "Silicon Labs CP210x USB-UART: an ESP32 board's USB port (LilyGO T-A7670/T-SIM7600 use it)" },
  { vid: 0x1a86, pid: 0x7523, what: "WCH CH340 USB-UART: an ESP32 board's USB port" },
  { vid: 0x1a86, pid: 0x55d4, what: "WCH CH9102 USB-UART: an ESP32 board's USB port (newer LilyGO boards)" },
  { vid: 0x1a86, pid: 0x55d3, what: "WCH CH343 USB-UART: an ESP32 board's USB port" },
  { vid: 0x303a, pid: 0x1001, what: "Espressif USB-Serial/JTAG: an ESP32-S3/C3 board's native USB port" },
  { vid: 0x303a, what: "Espressif native USB: an ESP32-S2/S3 board" },
  { vid: 0x0403, what: "FTDI USB-UART: a generic adapter (an ESP32 board, or a GNSS or modem breakout on its pins)" },
  { vid: 0x067b, what: "Prolific PL2303 USB-UART: a generic adapter (many USB GNSS pucks use it)" },
  { vid: 0x1e0e, what: "SIMCom modem's own USB (several ports: AT, NMEA, diagnostics; try the interface numbers)" },
  { vid: 0x2c7c, what: "Quectel modem's own USB (several ports: AT, NMEA, diagnostics)" },
  { vid: 0x1546, what: "u-blox GNSS receiver (NMEA on this port)" },
];

/** A guess of what is attached from USB ids ("" when unknown or not USB). */
export function guessAttached(vendorId: number | undefined, productId: number | undefined): string {
  if (vendorId === undefined) return "";
  const exact = USB_GUESSES.find((g) => g.vid === vendorId && g.pid === productId);
  const vendor = USB_GUESSES.find((g) => g.vid === vendorId && g.pid === undefined);
  return (exact ?? vendor)?.what ?? "";
}

/** "10c4:ea60". */
export function usbIdText(port: Pick<PortInfo, "vendorId" | "productId">): string {
  if (port.vendorId === undefined) return "";
  const hex = (n: number | undefined) => (n === undefined ? "????" : n.toString(16).padStart(4, "0"));
  return `${hex(port.vendorId)}:${hex(port.productId)}`;
}

/** tty names that are real serial ports worth listing (not virtual consoles). */
const SERIAL_NAME = /^(ttyUSB|ttyACM|ttyAMA|ttyTHS|ttyXRUSB|rfcomm)\d+$/;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Read one tty's USB details from sysfs (`sysRoot`/class/tty/<name>). */
export function readSysfsPort(name: string, sysRoot = "/sys"): PortInfo | undefined {
  const deviceLink = join(sysRoot, "class", "tty", name, "device");
  if (!existsSync(deviceLink)) return undefined;
  const info: PortInfo = { path: `/dev/${name}`, description: "" };
  let dir: string;
  try {
    dir = realpathSync(deviceLink);
  } catch {
    return info;
  }
  const driverLink = join(dir, "driver");
  if (existsSync(driverLink)) info.driver = basename(realpathSync(driverLink));
  // walk up to the USB interface (bInterfaceNumber) and the USB device (idVendor)
  for (let d = dir, depth = 0; depth < 6 && d !== dirname(d); d = dirname(d), depth++) {
    const iface = readText(join(d, "bInterfaceNumber"));
    if (iface !== undefined && info.interfaceNumber === undefined) info.interfaceNumber = parseInt(iface, 16);
    const vid = readText(join(d, "idVendor"));
    if (vid !== undefined) {
      info.vendorId = parseInt(vid, 16);
      const pid = readText(join(d, "idProduct"));
      if (pid !== undefined) info.productId = parseInt(pid, 16);
      info.manufacturer = readText(join(d, "manufacturer"));
      info.product = readText(join(d, "product"));
      info.serialNumber = readText(join(d, "serial"));
      break;
    }
  }
  info.description = guessAttached(info.vendorId, info.productId);
  return info;
}

/** Ports from sysfs (Linux), sorted by path. */
export function listSysfsPorts(sysRoot = "/sys"): PortInfo[] {
  let names: string[];
  try {
    names = readdirSync(join(sysRoot, "class", "tty"));
  } catch {
    return [];
  }
  return names
    .filter((n) => SERIAL_NAME.test(n))
    .map((n) => readSysfsPort(n, sysRoot))
    .filter((p): p is PortInfo => p !== undefined)
    .sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
}

/** Every serial port: sysfs first (Linux), then what SerialPort.list() adds. Never throws. */
export async function listSerialPorts(): Promise<PortInfo[]> {
  const ports = process.platform === "linux" ? listSysfsPorts() : [];
  const known = new Set(ports.map((p) => p.path));
  try {
    for (const p of await SerialPort.list()) {
      if (known.has(p.path)) continue;
      const vendorId = p.vendorId ? parseInt(p.vendorId, 16) : undefined;
      const productId = p.productId ? parseInt(p.productId, 16) : undefined;
      ports.push({
        path: p.path,
        ...(vendorId !== undefined ? { vendorId } : {}),
        ...(productId !== undefined ? { productId } : {}),
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
        ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
        description: guessAttached(vendorId, productId),
      });
    }
  } catch {
    // udevadm missing or failing: sysfs gave what there is
  }
  return ports;
}

/** The USB ids of the port at `path` (a symlink is followed), or {} when not USB / unknown. */
export function usbIdsOf(path: string): { vendorId?: number; productId?: number } {
  if (process.platform !== "linux") return {};
  let name: string;
  try {
    name = basename(realpathSync(path));
  } catch {
    return {};
  }
  const info = readSysfsPort(name);
  return info?.vendorId === undefined ? {} : { vendorId: info.vendorId, ...(info.productId !== undefined ? { productId: info.productId } : {}) };
}
