/**
 * XS guest for the NMEA micro-benchmarks (nmea-micro.ts): exposes the firmware's NmeaParser,
 * NmeaLineReader and GnssReceiver on globalThis so that snippets evaluated in the realm can meter
 * them one by one.
 */
import { NmeaLineReader, xorChecksum } from "../../src/gnss/nmea-line-reader.ts";
import { NmeaParser } from "../../src/gnss/nmea-parser.ts";
import { GnssReceiver } from "../../src/gnss/fix-tracker.ts";

const g = globalThis as unknown as Record<string, unknown>;
g.NmeaParser = NmeaParser;
g.NmeaLineReader = NmeaLineReader;
g.GnssReceiver = GnssReceiver;
g.xorChecksum = xorChecksum;
g.handleCommand = () => new ArrayBuffer(0);
