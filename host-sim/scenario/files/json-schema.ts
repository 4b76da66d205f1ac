/**
 * The JSON Schema (draft 2020-12) of scenario files, made from the same spec as the checker, for
 * editors: a file that starts with `# yaml-language-server: $schema=<path>/scenario.schema.json`
 * gets completion and checking in VS Code's YAML extension and others.
 * `tracker schema` prints it; test/scenario-files checks the committed copy is current.
 */
import { DURATION_PATTERN } from "./duration.ts";
import { SCENARIO_FILE_SPEC } from "./file-schema.ts";
import type { Property, Spec } from "./spec.ts";

type Json = { [key: string]: unknown };

function withDescription(schema: Json, spec: Spec): Json {
  return spec.description ? { description: spec.description, ...schema } : schema;
}

function objectSchema(properties: Readonly<Record<string, Property>>, additional: Spec | undefined, extra: Json = {}): Json {
  const required = Object.entries(properties).filter(([, p]) => p.required).map(([k]) => k);
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, toJsonSchema(p.spec)])),
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: additional ? toJsonSchema(additional) : false,
    ...extra,
  };
}

/** The JSON Schema of one spec. */
export function toJsonSchema(spec: Spec): Json {
  switch (spec.type) {
    case "string": {
      const schema: Json = { type: spec.nullable ? ["string", "null"] : "string" };
      if (spec.enum) schema["enum"] = [...spec.enum];
      if (spec.pattern) schema["pattern"] = spec.pattern;
      return withDescription(schema, spec);
    }
    case "number":
      return withDescription(
        { type: spec.integer ? "integer" : "number", ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}), ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}) },
        spec,
      );
    case "boolean":
      return withDescription({ type: "boolean" }, spec);
    case "duration":
      return withDescription({ anyOf: [{ type: "number", minimum: 0 }, { type: "string", pattern: DURATION_PATTERN }] }, spec);
    case "regex":
      return withDescription({ type: "string", format: "regex" }, spec);
    case "point":
      return withDescription({ type: "array", prefixItems: [{ type: "number", minimum: -90, maximum: 90 }, { type: "number", minimum: -180, maximum: 180 }], minItems: 2, maxItems: 2 }, spec);
    case "object":
      return withDescription(objectSchema(spec.properties, spec.additional), spec);
    case "array":
      return withDescription({ type: "array", items: toJsonSchema(spec.items), ...(spec.minItems !== undefined ? { minItems: spec.minItems } : {}) }, spec);
    case "keyed":
      return withDescription(
        {
          oneOf: Object.entries(spec.kinds).map(([key, kind]) =>
            kind.type === "tagged"
              ? toJsonSchema({ ...kind, common: { ...spec.common, ...kind.common } })
              : objectSchema({ ...spec.common, ...kind.properties }, undefined, { required: [key], ...(kind.description ? { description: kind.description } : {}) }),
          ),
        },
        spec,
      );
    case "tagged":
      return withDescription(
        {
          oneOf: Object.entries(spec.variants).map(([value, variant]) =>
            objectSchema({ [spec.key]: { spec: { type: "string", enum: [value] }, required: true }, ...spec.common, ...variant.properties }, undefined, variant.description ? { description: variant.description } : {}),
          ),
        },
        spec,
      );
    case "anyOf":
      return withDescription({ anyOf: spec.options.map(toJsonSchema) }, spec);
  }
}

/** The whole schema document. */
export function scenarioJsonSchema(): Json {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://github.com/sms-tracker/firmware/scenario.schema.json",
    title: "Tracker scenario file",
    ...toJsonSchema(SCENARIO_FILE_SPEC),
  };
}
