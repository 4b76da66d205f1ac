/**
 * Checks a parsed YAML document against a Spec (spec.ts) and reports every problem with its line
 * and column: "timeline[2].fault: expected one of gnss-outage, ..., got 'gnss-outag'".
 */
import { type LineCounter, type Node, type Pair, isMap, isScalar, isSeq, type YAMLMap } from "yaml";
import { parseDuration } from "./duration.ts";
import { type KeyedSpec, type Property, smsPattern, type Spec, type TaggedSpec, expected } from "./spec.ts";

export interface SpecProblem {
  /** Where in the document: `timeline[2].send`. */
  path: string;
  /** 1-based line and column of the offending node. */
  line: number;
  col: number;
  message: string;
}

/** Check `node` (a document's contents) against `spec`; an empty list when it fits. */
export function validateNode(node: unknown, spec: Spec, lines: LineCounter): SpecProblem[] {
  const problems: SpecProblem[] = [];
  new Checker(lines, problems).check(node, spec, "", undefined);
  return problems;
}

/** A short rendering of a scalar for messages. */
function shown(value: unknown): string {
  if (typeof value === "string") return `'${value.length > 40 ? value.slice(0, 37) + "..." : value}'`;
  if (value === null) return "null (nothing)";
  return String(value);
}

function kindOf(node: unknown): string {
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return shown(node.value);
  return "nothing";
}

/** The YAML shape a spec takes: a mapping, a list, or a scalar. */
function shapeOf(spec: Spec): "map" | "seq" | "scalar" {
  if (spec.type === "object" || spec.type === "keyed" || spec.type === "tagged") return "map";
  return spec.type === "array" || spec.type === "point" ? "seq" : "scalar";
}

function shapeOfNode(node: unknown): "map" | "seq" | "scalar" {
  return isMap(node) ? "map" : isSeq(node) ? "seq" : "scalar";
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
}

class Checker {
  constructor(
    private readonly lines: LineCounter,
    private readonly problems: SpecProblem[],
  ) {}

  private report(node: unknown, fallbackOffset: number | undefined, path: string, message: string): void {
    const offset = (node as Node | undefined)?.range?.[0] ?? fallbackOffset ?? 0;
    const { line, col } = this.lines.linePos(offset);
    this.problems.push({ path: path === "" ? "(top level)" : path, line, col, message });
  }

  private mismatch(node: unknown, spec: Spec, path: string, at: number | undefined): void {
    this.report(node, at, path, `expected ${expected(spec)}, got ${kindOf(node)}`);
  }

  /** `at`: the offset to blame when `node` is missing (a key with no value). */
  check(node: unknown, spec: Spec, path: string, at: number | undefined): void {
    switch (spec.type) {
      case "string": {
        if (!isScalar(node)) return this.mismatch(node, spec, path, at);
        const v = node.value;
        if (v === null && spec.nullable) return;
        if (typeof v !== "string") return this.mismatch(node, spec, path, at);
        if (spec.enum && !spec.enum.includes(v)) return this.mismatch(node, spec, path, at);
        if (spec.pattern && !new RegExp(spec.pattern).test(v)) return this.mismatch(node, spec, path, at);
        return;
      }
      case "number": {
        const v = isScalar(node) ? node.value : undefined;
        const ok =
          typeof v === "number" &&
          Number.isFinite(v) &&
          (!spec.integer || Number.isInteger(v)) &&
          (spec.minimum === undefined || v >= spec.minimum) &&
          (spec.maximum === undefined || v <= spec.maximum);
        if (!ok) this.mismatch(node, spec, path, at);
        return;
      }
      case "boolean":
        if (!isScalar(node) || typeof node.value !== "boolean") this.mismatch(node, spec, path, at);
        return;
      case "duration":
        if (!isScalar(node) || parseDuration(node.value) === undefined) this.mismatch(node, spec, path, at);
        return;
      case "regex": {
        if (!isScalar(node) || typeof node.value !== "string") return this.mismatch(node, spec, path, at);
        try {
          smsPattern(node.value);
        } catch (e) {
          this.report(node, at, path, `not a valid regular expression: ${(e as Error).message}`);
        }
        return;
      }
      case "point": {
        const ok =
          isSeq(node) &&
          node.items.length === 2 &&
          node.items.every((item, i) => isScalar(item) && typeof item.value === "number" && Math.abs(item.value) <= (i === 0 ? 90 : 180));
        if (!ok) this.mismatch(node, spec, path, at);
        return;
      }
      case "array": {
        if (!isSeq(node)) return this.mismatch(node, spec, path, at);
        if (spec.minItems !== undefined && node.items.length < spec.minItems) {
          this.report(node, at, path, `expected at least ${spec.minItems} item(s), got ${node.items.length}`);
        }
        node.items.forEach((item, i) => this.check(item, spec.items, join(path, i), node.range?.[0]));
        return;
      }
      case "object":
        if (!isMap(node)) return this.mismatch(node, spec, path, at);
        return this.properties(node, spec.properties, spec.additional, path);
      case "keyed":
        return this.keyed(node, spec, path, at);
      case "tagged":
        return this.tagged(node, spec, path, at);
      case "anyOf": {
        for (const option of spec.options) {
          const trial: SpecProblem[] = [];
          new Checker(this.lines, trial).check(node, option, path, at);
          if (trial.length === 0) return;
        }
        // A mapping or list that fits no option: report against the one option of its shape, if
        // there is exactly one, so the message points inside it.
        const sameShape = spec.options.filter((o) => shapeOf(o) === shapeOfNode(node));
        if (sameShape.length === 1 && shapeOfNode(node) !== "scalar") return this.check(node, sameShape[0]!, path, at);
        return this.mismatch(node, spec, path, at);
      }
    }
  }

  private properties(node: YAMLMap, properties: Readonly<Record<string, Property>>, additional: Spec | undefined, path: string, ignore: readonly string[] = []): void {
    const seen = new Set<string>();
    for (const pair of node.items as Pair[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.report(pair.key, node.range?.[0], path, "a key must be a plain word");
        continue;
      }
      seen.add(key);
      if (ignore.includes(key)) continue;
      const property = properties[key];
      const keyOffset = (pair.key as Node).range?.[0];
      if (property) this.check(pair.value, property.spec, join(path, key), keyOffset);
      else if (additional) this.check(pair.value, additional, join(path, key), keyOffset);
      else {
        const known = Object.keys(properties);
        const hint = known.length > 0 ? ` (expected one of: ${known.join(", ")})` : "";
        this.report(pair.key, node.range?.[0], join(path, key), `unknown key '${key}'${hint}`);
      }
    }
    for (const [key, property] of Object.entries(properties)) {
      if (property.required && !seen.has(key)) this.report(node, undefined, path, `missing '${key}' (${expected(property.spec)})`);
    }
  }

  private keyed(node: unknown, spec: KeyedSpec, path: string, at: number | undefined): void {
    if (!isMap(node)) return this.mismatch(node, spec, path, at);
    const keys = (node.items as Pair[]).map((p) => (isScalar(p.key) ? String(p.key.value) : ""));
    const kinds = keys.filter((k) => k in spec.kinds);
    if (kinds.length !== 1) {
      const what = Object.keys(spec.kinds).join(", ");
      const message = kinds.length === 0 ? `expected one of the keys ${what}` : `only one of ${kinds.join(", ")} may be given in one item`;
      return this.report(node, at, path, message);
    }
    const kind = spec.kinds[kinds[0]!]!;
    if (kind.type === "tagged") return this.tagged(node, { ...kind, common: { ...spec.common, ...kind.common } }, path, at);
    this.properties(node, { ...spec.common, ...kind.properties }, undefined, path);
  }

  private tagged(node: unknown, spec: TaggedSpec, path: string, at: number | undefined): void {
    if (!isMap(node)) return this.mismatch(node, spec, path, at);
    const tagPair = (node.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === spec.key);
    const tag = tagPair && isScalar(tagPair.value) ? tagPair.value.value : undefined;
    const variant = typeof tag === "string" ? spec.variants[tag] : undefined;
    if (!variant) {
      const names = Object.keys(spec.variants).join(", ");
      return this.report(tagPair?.value ?? node, at, join(path, spec.key), `expected one of ${names}, got ${tag === undefined ? "nothing" : shown(tag)}`);
    }
    this.properties(node, { ...spec.common, ...variant.properties }, undefined, path, [spec.key]);
  }
}
