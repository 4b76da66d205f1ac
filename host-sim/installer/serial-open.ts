/**
 * Opening a real serial port for the installer's tools, with errors an installer can act on: the
 * port is missing (and which ones exist), permission is denied (and the dialout fix), the port is
 * busy (another program has it). Every tool opens its ports through here.
 */
import { accessSync, constants, existsSync, realpathSync } from "node:fs";
import { SerialPort } from "serialport";
import { listSerialPorts } from "./port-list.ts";

/** What went wrong opening a port: "missing", "permission", "busy" or "other". */
export type SerialErrorKind = "missing" | "permission" | "busy" | "other";

/** A port that could not be opened; `message` says what to do about it. */
export class SerialPortError extends Error {
  override name = "SerialPortError";
  constructor(
    readonly kind: SerialErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The dialout fix, as printed with a permission error. */
export const PERMISSION_FIX =
  "Add yourself to the group that owns serial ports, then log out and in again (or reboot):\n" +
  "    sudo usermod -aG dialout $USER\n" +
  "(on Arch and Fedora the group may be 'uucp'; check with: ls -l <port>)";

/** "The serial ports on this computer: ..." (or that there are none, and what that usually means). */
export async function existingPortsText(): Promise<string> {
  let ports: string[] = [];
  try {
    ports = (await listSerialPorts()).map((p) => (p.description ? `${p.path}  (${p.description})` : p.path));
  } catch {
    // listing is a courtesy here: the error message stays useful without it
  }
  if (ports.length === 0) {
    return "No serial ports found on this computer. Is the board plugged in, with a data (not charge-only) USB cable? `tracker ports` lists them.";
  }
  return `Serial ports on this computer:\n${ports.map((p) => `    ${p}`).join("\n")}\n(\`tracker ports\` says what each one probably is.)`;
}

/**
 * Classify an open failure (an errno code or serialport's message text) into a SerialPortError
 * with advice. `what` names the port's role in messages ("the GNSS port").
 */
export function describeOpenError(path: string, what: string, error: { code?: string; message?: string }, portsText: string): SerialPortError {
  const code = error.code ?? "";
  const text = error.message ?? String(error);
  if (code === "ENOENT" || /No such file or directory/i.test(text)) {
    return new SerialPortError("missing", `${capitalized(what)} ${path} does not exist.\n${portsText}`);
  }
  if (code === "EACCES" || code === "EPERM" || /Permission denied/i.test(text)) {
    return new SerialPortError("permission", `Permission denied opening ${what} ${path}.\n${PERMISSION_FIX}`);
  }
  if (code === "EBUSY" || /Resource busy|Cannot lock port/i.test(text)) {
    return new SerialPortError(
      "busy",
      `${capitalized(what)} ${path} is in use by another program (a serial monitor, ModemManager, another tracker command). Close it and try again.`,
    );
  }
  return new SerialPortError("other", `Cannot open ${what} ${path}: ${text}`);
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface OpenOptions {
  /** Line speed, bit/s. */
  baudRate: number;
  /** The port's role in messages, e.g. "the modem port". Default "serial port". */
  what?: string;
}

/** Open `path` (8N1, no flow control); rejects with a SerialPortError carrying the advice. */
export async function openSerial(path: string, options: OpenOptions): Promise<SerialPort> {
  const what = options.what ?? "serial port";
  if (!existsSync(path)) throw describeOpenError(path, what, { code: "ENOENT" }, await existingPortsText());
  try {
    accessSync(realpathSync(path), constants.R_OK | constants.W_OK);
  } catch (e) {
    throw describeOpenError(path, what, e as { code?: string; message?: string }, "");
  }
  const port = new SerialPort({ path, baudRate: options.baudRate, autoOpen: false, lock: true });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve()))).catch(async (e: Error & { code?: string }) => {
    throw describeOpenError(path, what, e, await existingPortsText());
  });
  return port;
}

/** Close a port, ignoring a port already closed. */
export function closeSerial(port: SerialPort): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}

/** Write bytes and resolve once they have left Node (drained into the kernel). */
export function writeSerial(port: SerialPort, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (e) => {
      if (e) reject(e);
      else port.drain(() => resolve());
    });
  });
}
