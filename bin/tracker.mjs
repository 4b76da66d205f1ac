#!/usr/bin/env node
// The `tracker` command: loads the TypeScript host tools through tsx and runs the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../host-sim/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
