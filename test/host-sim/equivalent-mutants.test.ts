import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Every .ts file under src/, relative to the project root. */
function sources(dir = "src"): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("docs/equivalent-mutants.md", () => {
  const rows = readFileSync(join(ROOT, "docs/equivalent-mutants.md"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("| src/"))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      return { file: cells[1]!, code: cells[2]!.replace(/^`|`$/g, "").replaceAll("\\|", "|"), why: cells[4]! };
    });

  it("lists each Stryker disable comment in src/ once, with the code it marks and a reason", () => {
    const comments = sources().flatMap((file) => {
      const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
      return lines.flatMap((line, k) => (/\/\/ Stryker disable /.test(line) ? [{ file, code: lines[k + 1]!.trim() }] : []));
    });
    expect(rows.map((r) => `${r.file}: ${r.code}`)).to.deep.equal(comments.map((c) => `${c.file}: ${c.code}`));
    for (const row of rows) expect(row.why.length, row.code).to.be.greaterThan(20);
  });

  it("every block that disables mutants restores them", () => {
    for (const file of sources()) {
      const text = readFileSync(join(ROOT, file), "utf8");
      const disabled = (text.match(/\/\/ Stryker disable all/g) ?? []).length;
      const restored = (text.match(/\/\/ Stryker restore all/g) ?? []).length;
      expect(restored, file).to.equal(disabled);
    }
  });
});
