/**
 * Moddable entry module ("main"; not preloaded): build the ports from the board config and start
 * the tracker. Everything else lives in app/ and the modules it wires. A failure to start (a pin or
 * UART in use, a missing tty on Linux) is logged before it aborts the machine.
 */
import { Tracker } from "./app/tracker";
import { createTrackerPorts, readBoardConfig, readInstallerSettings } from "./platform/moddable/board";
import { startDiagnostics } from "./platform/moddable/diagnostics";

try {
  const board = readBoardConfig();
  const ports = createTrackerPorts(board);
  new Tracker(ports, readInstallerSettings()).start();
  startDiagnostics(ports.log, board.diagnosticsMs);
} catch (e) {
  trace(`[app] error: start failed: ${String(e)}\n`);
  throw e;
}
