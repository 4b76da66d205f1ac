/**
 * Moddable entry module ("main"; not preloaded): build the ports from the board config and start
 * the tracker. Everything else lives in app/ and the modules it wires. A failure to start (a pin or
 * UART in use, a missing tty on Linux) is logged before it aborts the machine.
 */
import { Tracker } from "./app/tracker";
import { createTrackerPorts, readBoardConfig, readInstallerSettings } from "./platform/moddable/board";
import { startDiagnostics } from "./platform/moddable/diagnostics";
import { attachConsole } from "./console/attach-console";

try {
  const board = readBoardConfig();
  const ports = createTrackerPorts(board);
  const tracker = new Tracker(ports, readInstallerSettings());
  tracker.start();
  if (ports.console) attachConsole(tracker, { port: ports.console, clock: ports.clock, random: ports.random, log: ports.log });
  startDiagnostics(ports.log, board.diagnosticsMs);
} catch (e) {
  trace(`[app] error: start failed: ${String(e)}\n`);
  throw e;
}
