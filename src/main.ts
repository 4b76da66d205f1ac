/**
 * Moddable entry module ("main"; not preloaded): build the ports from the board config and start
 * the tracker. Everything else lives in app/ and the modules it wires.
 */
import { Tracker } from "./app/tracker";
import { createTrackerPorts, readInstallerSettings } from "./platform/moddable/board";

new Tracker(createTrackerPorts(), readInstallerSettings()).start();
