/**
 * `tracker merge-junit --out ALL.xml SHARD.xml ...`: the JUnit files of a suite run in shards (one
 * per CI machine, `tracker run --shard i/n --junit ...`) as one document: testsuites of the same name
 * (the engine) become one, their counts and times summed, their test cases in name order; the shard
 * property is dropped, the others kept. Parsed with fast-xml-parser, written back with its builder.
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";

type Node = Record<string, unknown>;

const ARRAYS = new Set(["testsuites.testsuite", "testsuites.testsuite.testcase", "testsuites.testsuite.properties.property"]);
const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  // (the path is a plain string unless the parser is asked for matchers, which it is not here)
  isArray: (_name: string, path: unknown) => typeof path === "string" && ARRAYS.has(path),
};

function count(node: Node, key: string): number {
  const value = Number(node[`@_${key}`] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** One JUnit document from several (each given as its text, `names` for error messages). */
export function mergeJunit(documents: readonly string[], names: readonly string[] = documents.map((_, i) => `#${i + 1}`)): string {
  const parser = new XMLParser(OPTIONS);
  const suites = new Map<string, { attrs: Node; properties: Node[]; cases: Node[] }>();
  let rootName = "tracker run";
  documents.forEach((text, i) => {
    const doc = parser.parse(text) as Node;
    const root = doc["testsuites"] as Node | undefined;
    if (!root || typeof root !== "object") throw new Error(`${names[i]}: not a JUnit file (no <testsuites>)`);
    rootName = String(root["@_name"] ?? rootName);
    for (const suite of (root["testsuite"] as Node[] | undefined) ?? []) {
      const name = String(suite["@_name"] ?? "");
      const entry = suites.get(name) ?? { attrs: { "@_name": name }, properties: [], cases: [] };
      for (const key of ["tests", "failures", "errors", "skipped"]) entry.attrs[`@_${key}`] = count(entry.attrs, key) + count(suite, key);
      entry.attrs["@_time"] = (count(entry.attrs, "time") + count(suite, "time")).toFixed(3);
      const properties = ((suite["properties"] as Node | undefined)?.["property"] as Node[] | undefined) ?? [];
      for (const p of properties) if (p["@_name"] !== "shard" && !entry.properties.some((q) => q["@_name"] === p["@_name"])) entry.properties.push(p);
      entry.cases.push(...((suite["testcase"] as Node[] | undefined) ?? []));
      suites.set(name, entry);
    }
  });
  const merged = [...suites.values()].map((s) => ({
    ...s.attrs,
    ...(s.properties.length > 0 ? { properties: { property: s.properties } } : {}),
    testcase: [...s.cases].sort((a, b) => String(a["@_name"]).localeCompare(String(b["@_name"]))),
  }));
  const total = (key: string) => merged.reduce((sum, s) => sum + count(s, key), 0);
  const root = {
    "@_name": rootName,
    "@_tests": total("tests"),
    "@_failures": total("failures"),
    "@_errors": total("errors"),
    "@_skipped": total("skipped"),
    "@_time": total("time").toFixed(3),
    testsuite: merged,
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, indentBy: "  ", suppressEmptyNode: true, processEntities: true });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ testsuites: root }) as string}`;
}
