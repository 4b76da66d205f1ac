/**
 * Moddable entry module ("main"; not preloaded): build the ports from the board config and start
 * the tracker. Everything else lives in app/ and the modules it wires. A failure to start (a pin or
 * UART in use, a missing tty on Linux) is logged before it aborts the machine.
 */
import { Tracker } from "./app/tracker";
import { createTrackerPorts, readInstallerSettings } from "./platform/moddable/board";

try {
  new Tracker(createTrackerPorts(), readInstallerSettings()).start();
} catch (e) {
  trace(`[app] error: start failed: ${String(e)}\n`);
  throw e;
}
