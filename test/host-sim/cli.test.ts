import { expect } from "chai";
import { main, runAndReport } from "../../host-sim/cli/main.ts";
import { SCENARIOS, SCENARIO_GROUPS, type Scenario } from "../../host-sim/scenario/scenarios.ts";
import { capture } from "../support/capture-console.ts";


const OPTIONS = { seed: 1, chunk: 64, verbose: false } as const;

describe("host-sim CLI", () => {
  describe("main", () => {
    it("--help (and -h, help) prints the usage and exits 0", async () => {
      for (const argv of [["--help"], ["-h"], ["help"], ["run", "--help"]]) {
        const { result, out } = await capture(() => main(argv));
        expect(result, argv.join(" ")).to.equal(0);
        expect(out, argv.join(" ")).to.include("Usage:");
        expect(out).to.include("tracker run <scenario|group|file|dir>");
      }
    });

    it("no arguments prints the usage and exits 2", async () => {
      const { result, out } = await capture(() => main([]));
      expect(result).to.equal(2);
      expect(out).to.include("Usage:");
    });

    const usageErrors: [string[], RegExp][] = [
      [["run"], /needs a scenario name/],
      [["run", "no-such"], /no scenario or group named 'no-such'/],
      [["frobnicate"], /unknown command 'frobnicate'/],
      [["run", "help-and-unknown", "--chunk", "0"], /--chunk must be a number/],
      [["run", "help-and-unknown", "--chunk", "lots"], /--chunk must be a number/],
      [["run", "help-and-unknown", "--seed", "-1"], /'--seed' argument is ambiguous/],
      [["run", "help-and-unknown", "--seed=-1"], /--seed must be a number from 0 to 4294967295, got '-1'/],
      [["run", "where-with-fix", "--engin", "xs"], /Unknown option '--engin' \(this command takes --engine <value>/],
      [["start", "--bogus"], /Unknown option '--bogus'/],
      [["start", "--unclaimed=yes"], /'--unclaimed' does not take an argument/],
      [["start", "--owner", "12345"], /--owner '12345' is not a valid phone number/],
      [["start", "--owner", "+14085550199", "--unclaimed"], /contradict each other/],
      [["start", "--nmea", "/nonexistent.log"], /--nmea: no file '\/nonexistent.log'/],
      [["start", "extra"], /tracker start does not take 'extra'/],
      [["list", "extra"], /tracker list does not take 'extra'/],
      [["bench", "--verbose"], /Unknown option '--verbose' \(this command takes no options\)/],
      [["run", "help-and-unknown", "--engine", "v8"], /--engine must be node, xs, moddable or both/],
      [["start", "--engine", "both"], /--engine must be node, xs$/m],
      [["start", "--owner"], /'--owner <value>' argument missing/],
      [["start", "--speed", "0"], /--speed must be a number/],
    ];
    for (const [argv, message] of usageErrors) {
      it(`${JSON.stringify(argv)} is a usage error: exit 2 with a message on stderr`, async () => {
        const { result, out, err } = await capture(() => main(argv));
        expect(result).to.equal(2);
        expect(err).to.match(message);
        expect(err).to.include("tracker --help");
        expect(out).to.not.match(/passed, \d+ failed/); // nothing was run
      });
    }

    it("run takes several scenario names, as words or with commas, and runs each once", async () => {
      const { result, out } = await capture(() => main(["run", "help-and-unknown", "where-with-fix,help-and-unknown"]));
      expect(result).to.equal(0);
      expect(out.match(/^PASS {2}\S+/gm)).to.deep.equal(["PASS  help-and-unknown", "PASS  where-with-fix"]);
      expect(out).to.match(/^2 passed, 0 failed$/m);
    });

    it("list prints every scenario name with its description and exits 0", async () => {
      const { result, out } = await capture(() => main(["list"]));
      expect(result).to.equal(0);
      const lines = out.split("\n");
      expect(lines).to.have.length(SCENARIOS.length + 2); // and a blank line and the groups
      expect(lines.at(-1)).to.equal(`Groups: all (${SCENARIOS.length}), core (${SCENARIO_GROUPS.core!.length})`);
      expect(SCENARIOS.length).to.be.greaterThan(5);
      SCENARIOS.forEach((s, i) => {
        expect(lines[i]!.startsWith(s.name + " ")).to.equal(true);
        expect(lines[i]).to.include(s.description);
      });
    });
  });

  describe("runAndReport", () => {
    it("exits 1 and reports the failure when a scenario records a failing check", async () => {
      const failing: Scenario = {
        name: "custom-failing",
        description: "records one failing expectation",
        async run(_sim, check) {
          check.ok(false, "the impossible happened", "it did not");
        },
      };
      const { result, out } = await capture(() => runAndReport([failing], ["node"], OPTIONS));
      expect(result).to.equal(1);
      expect(out).to.match(/^FAIL {2}custom-failing \[node\]/m);
      expect(out).to.include("✗ the impossible happened: it did not");
      expect(out.trimEnd().split("\n").at(-1)).to.equal("0 passed, 1 failed");
    });

    it("exits 1 when a scenario throws (reported as a failed expectation)", async () => {
      const throwing: Scenario = {
        name: "custom-throwing",
        description: "throws",
        async run() {
          throw new Error("scenario blew up");
        },
      };
      const { result, out } = await capture(() => runAndReport([throwing], ["node"], OPTIONS));
      expect(result).to.equal(1);
      expect(out).to.include("scenario blew up");
      expect(out).to.include("0 passed, 1 failed");
    });

    it("exits 0 for a trivially passing scenario", async () => {
      let ran = 0;
      const passing: Scenario = {
        name: "custom-passing",
        description: "records one passing expectation",
        async run(sim, check) {
          ran++;
          await sim.runFor(1000);
          check.ok(true, "one second went by");
        },
      };
      const { result, out } = await capture(() => runAndReport([passing], ["node"], { ...OPTIONS, verbose: true }));
      expect(result).to.equal(0);
      expect(ran).to.equal(1);
      expect(out).to.match(/^PASS {2}custom-passing \[node\]/m);
      expect(out).to.include("✓ one second went by"); // verbose lists passing expectations
      expect(out.trimEnd().split("\n").at(-1)).to.equal("1 passed, 0 failed");
    });

    it("counts passes and failures over several scenarios", async () => {
      const make = (name: string, ok: boolean): Scenario => ({
        name,
        description: name,
        async run(_sim, check) {
          check.ok(ok, name);
        },
      });
      const { result, out } = await capture(() =>
        runAndReport([make("a", true), make("b", false), make("c", true)], ["node"], OPTIONS),
      );
      expect(result).to.equal(1);
      expect(out).to.include("2 passed, 1 failed");
    });
  });
});
