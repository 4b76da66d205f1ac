/** `tracker ports`: the serial ports on this computer, their USB ids and what is probably attached. */
import { listSerialPorts, usbIdText, type PortInfo } from "./port-list.ts";

/** One line per port: path, USB id, interface, driver, the guess (and the USB product name). */
export function formatPorts(ports: readonly PortInfo[]): string {
  if (ports.length === 0) {
    return [
      "No serial ports found.",
      "Plug the board in with a data USB cable (charge-only cables are common), then run this again.",
      "`dmesg | tail` shows whether the kernel saw it (look for cp210x, ch341, cdc_acm).",
    ].join("\n");
  }
  const lines = ports.map((p) => {
    const id = usbIdText(p);
    const details = [
      id ? `USB ${id}` : "not USB",
      p.interfaceNumber !== undefined ? `interface ${p.interfaceNumber}` : "",
      p.driver ? `driver ${p.driver}` : "",
      p.product ? `"${[p.manufacturer, p.product].filter(Boolean).join(" ")}"` : "",
      p.serialNumber ? `serial ${p.serialNumber}` : "",
    ].filter(Boolean);
    return `${p.path.padEnd(16)} ${details.join(", ")}\n${"".padEnd(17)}${p.description || "(unknown device)"}`;
  });
  return lines.join("\n");
}

export async function runPortsCommand(): Promise<number> {
  console.log(formatPorts(await listSerialPorts()));
  return 0;
}
