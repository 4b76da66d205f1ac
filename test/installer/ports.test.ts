/**
 * Port listing without udevadm (a fake sysfs tree: a CP210x board, a SIMCom modem's second
 * interface, a platform UART), the guesses of what is attached, and the open errors' advice.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guessAttached, listSysfsPorts, usbIdText } from "../../host-sim/installer/port-list.ts";
import { formatPorts } from "../../host-sim/installer/ports-command.ts";
import { PERMISSION_FIX, describeOpenError, openSerial, SerialPortError } from "../../host-sim/installer/serial-open.ts";

/** A sysfs tree with /class/tty/<name>/device → a device folder under a USB device with ids. */
function fakeSysfs(): string {
  const root = mkdtempSync(join(tmpdir(), "tracker-sysfs-"));
  const usb = (bus: string, vid: string, pid: string, product: string, iface: number, tty: string, driver: string) => {
    const device = join(root, "devices", "usb1", bus);
    const intf = join(device, `${bus}:1.${iface}`);
    const port = join(intf, tty);
    mkdirSync(port, { recursive: true });
    writeFileSync(join(device, "idVendor"), `${vid}\n`);
    writeFileSync(join(device, "idProduct"), `${pid}\n`);
    writeFileSync(join(device, "product"), `${product}\n`);
    writeFileSync(join(intf, "bInterfaceNumber"), `0${iface}\n`);
    mkdirSync(join(root, "drivers", driver), { recursive: true });
    symlinkSync(join(root, "drivers", driver), join(port, "driver"));
    mkdirSync(join(root, "class", "tty", tty), { recursive: true });
    symlinkSync(port, join(root, "class", "tty", tty, "device"));
  };
  usb("1-1", "10c4", "ea60", "CP2104 USB to UART Bridge Controller", 0, "ttyUSB0", "cp210x");
  usb("1-2", "1e0e", "9001", "SimTech, Incorporated", 2, "ttyUSB3", "option");
  mkdirSync(join(root, "class", "tty", "tty1"), { recursive: true }); // a virtual console: not listed
  return root;
}

describe("installer: serial port listing and open errors", () => {
  it("reads ports, USB ids, interface and driver from sysfs (no udevadm) and guesses what is attached", () => {
    const root = fakeSysfs();
    try {
      const ports = listSysfsPorts(root);
      expect(ports.map((p) => p.path)).to.deep.equal(["/dev/ttyUSB0", "/dev/ttyUSB3"]);
      expect(ports[0]).to.include({ vendorId: 0x10c4, productId: 0xea60, interfaceNumber: 0, driver: "cp210x" });
      expect(ports[0]!.description).to.match(/CP210x.*ESP32 board/);
      expect(ports[1]).to.include({ vendorId: 0x1e0e, interfaceNumber: 2, driver: "option" });
      expect(ports[1]!.description).to.match(/SIMCom modem/);
      const text = formatPorts(ports);
      expect(text).to.include("/dev/ttyUSB0").and.include("USB 10c4:ea60, interface 0, driver cp210x");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("guesses the attached device from the USB ids: USB-UART bridges, modems, GNSS", () => {
    expect(guessAttached(0x1a86, 0x55d4)).to.match(/CH9102/);
    expect(guessAttached(0x1a86, 0x7523)).to.match(/CH340/);
    expect(guessAttached(0x2c7c, 0x0125)).to.match(/Quectel modem/);
    expect(guessAttached(0x1546, 0x01a8)).to.match(/u-blox GNSS/);
    expect(guessAttached(0x0403, 0x6001)).to.match(/FTDI/);
    expect(guessAttached(0x1234, 0x5678)).to.equal("");
    expect(guessAttached(undefined, undefined)).to.equal("");
    expect(usbIdText({ vendorId: 0x10c4, productId: 0xea60 })).to.equal("10c4:ea60");
    expect(formatPorts([])).to.include("No serial ports found").and.include("data USB cable");
  });

  it("a missing port names the ports that exist; permission denied gives the dialout fix; busy says who to close", async () => {
    let error: unknown;
    await openSerial("/dev/ttyUSB-does-not-exist", { baudRate: 9600, what: "the modem port" }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(SerialPortError);
    expect((error as SerialPortError).kind).to.equal("missing");
    expect((error as Error).message).to.match(/^The modem port \/dev\/ttyUSB-does-not-exist does not exist\.\n(Serial ports on this computer|No serial ports found)/);

    const denied = describeOpenError("/dev/ttyUSB0", "the GNSS port", { code: "EACCES" }, "");
    expect(denied.kind).to.equal("permission");
    expect(denied.message).to.include("Permission denied opening the GNSS port /dev/ttyUSB0").and.include(PERMISSION_FIX);
    expect(PERMISSION_FIX).to.include("sudo usermod -aG dialout $USER").and.include("log out and in");
    expect(describeOpenError("/dev/ttyUSB0", "x", { message: "Error: Permission denied, cannot open /dev/ttyUSB0" }, "").kind).to.equal("permission");
    expect(describeOpenError("/dev/ttyUSB0", "the modem port", { message: "Error Resource temporarily unavailable Cannot lock port" }, "").message).to.match(
      /^The modem port \/dev\/ttyUSB0 is in use by another program/,
    );
  });
});

describe("installer: the commands on the tracker command line", () => {
  /** Run main() with console output captured. */
  async function run(argv: string[]): Promise<{ code: number; out: string }> {
    const { main } = await import("../../host-sim/cli/main.ts");
    const saved = { log: console.log, error: console.error };
    let out = "";
    console.log = (...a: unknown[]) => void (out += `${a.join(" ")}\n`);
    console.error = console.log;
    try {
      return { code: await main(argv), out };
    } finally {
      Object.assign(console, saved);
    }
  }

  it("tracker ports lists; usage mistakes exit 2; a missing port exits 1 with the ports that exist", async () => {
    expect((await run(["ports"])).code).to.equal(0);
    expect(await run(["flash", "--port", "/dev/x"])).to.deep.include({ code: 2 });
    expect((await run(["flash", "image.bin"])).out).to.include("needs --port");
    expect((await run(["device", "--gnss", "/dev/a"])).out).to.include("needs --gnss <port> and --modem <port>");
    expect((await run(["serve-modem", "--port", "/dev/x", "--profile", "nokia"])).code).to.equal(2);
    const missing = await run(["serve-gnss", "--port", "/dev/ttyUSB-nope"]);
    expect(missing.code).to.equal(1);
    expect(missing.out).to.include("The GNSS port /dev/ttyUSB-nope does not exist");
    expect((await run(["--help"])).out).to.include("tracker flash --port P IMAGE").and.include("tracker serve-modem --port P");
  });
});
