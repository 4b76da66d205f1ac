/**
 * One day of the day benchmark in a process of its own, so that what ran before in the bench (an
 * hour of NMEA, the Moddable runtime, the other engine's day) leaves nothing behind that the figure
 * would measure: `node --import tsx day-run.ts <node|xs> <dayMs> <exchanges>` prints the DayRun as
 * JSON on its last line (printDayBench starts it).
 */
import { daySimulation, measureDay } from "./day-bench.ts";

const [engine, dayMsText, exchangesText] = process.argv.slice(2);
if ((engine !== "node" && engine !== "xs") || !(Number(dayMsText) > 0) || !(Number(exchangesText) > 0)) {
  process.stderr.write("usage: day-run.ts <node|xs> <dayMs> <exchanges>\n");
  process.exit(2);
}
const dayMs = Number(dayMsText);
const run = await measureDay(daySimulation(dayMs, Number(exchangesText)), engine, dayMs);
process.stdout.write(`\n${JSON.stringify(run)}\n`);
