/**
 * A small vocabulary for describing the shape of a scenario file, from which both the checker with
 * line numbers (validate.ts) and the JSON Schema for editors (json-schema.ts) are made: one source,
 * so the two never disagree.
 */

interface Described {
  /** Shown in editors (JSON Schema description) and in error messages as what was expected. */
  readonly description?: string;
}

export interface StringSpec extends Described {
  readonly type: "string";
  readonly enum?: readonly string[];
  /** A regular expression the whole string must match, with `patternHelp` saying it in words. */
  readonly pattern?: string;
  readonly patternHelp?: string;
  /** null is allowed too. */
  readonly nullable?: boolean;
}

export interface NumberSpec extends Described {
  readonly type: "number";
  readonly integer?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface BooleanSpec extends Described {
  readonly type: "boolean";
}

/** A duration: seconds as a number, or "500ms", "30s", "5m", "1h30m", "2d". */
export interface DurationSpec extends Described {
  readonly type: "duration";
}

/**
 * A pattern an SMS text must match: a JavaScript regular expression given as a string, where `.`
 * also matches a line break (a reply's lines are one text). See smsPattern.
 */
export interface RegexSpec extends Described {
  readonly type: "regex";
}

/** [latitude, longitude] in degrees. */
export interface PointSpec extends Described {
  readonly type: "point";
}

export interface Property {
  readonly spec: Spec;
  readonly required?: boolean;
}

export interface ObjectSpec extends Described {
  readonly type: "object";
  readonly properties: Readonly<Record<string, Property>>;
  /** Free-form values under any key (the properties list is then only what editors suggest). */
  readonly additional?: Spec;
}

export interface ArraySpec extends Described {
  readonly type: "array";
  readonly items: Spec;
  readonly minItems?: number;
}

/**
 * An object whose kind is told by which one of `keys` it holds (a timeline step holds `send`, or
 * `fault`, or `wait` ...): each kind has its own properties; `common` properties go with any kind.
 */
export interface KeyedSpec extends Described {
  readonly type: "keyed";
  /** A kind is an object (its key's value is checked by the property of the same name) or tagged by its key's value. */
  readonly kinds: Readonly<Record<string, ObjectSpec | TaggedSpec>>;
  readonly common: Readonly<Record<string, Property>>;
}

/**
 * An object whose kind is told by the string value of its `key` (a fault step's `fault: gnss-outage`):
 * each value has its own properties besides `key` and `common`.
 */
export interface TaggedSpec extends Described {
  readonly type: "tagged";
  readonly key: string;
  readonly variants: Readonly<Record<string, ObjectSpec>>;
  readonly common: Readonly<Record<string, Property>>;
}

/** One of several shapes (e.g. `vehicle: none` or an object). The first that fits wins. */
export interface AnyOfSpec extends Described {
  readonly type: "anyOf";
  readonly options: readonly Spec[];
}

export type Spec =
  | StringSpec
  | NumberSpec
  | BooleanSpec
  | DurationSpec
  | RegexSpec
  | PointSpec
  | ObjectSpec
  | ArraySpec
  | KeyedSpec
  | TaggedSpec
  | AnyOfSpec;

/** Shorthands for writing specs. */
export const s = {
  string: (description?: string, more: Omit<StringSpec, "type" | "description"> = {}): StringSpec => ({ type: "string", description, ...more }),
  oneOf: (values: readonly string[], description?: string): StringSpec => ({ type: "string", enum: values, description }),
  number: (description?: string, more: Omit<NumberSpec, "type" | "description"> = {}): NumberSpec => ({ type: "number", description, ...more }),
  integer: (description?: string, minimum?: number, maximum?: number): NumberSpec => ({ type: "number", integer: true, description, minimum, maximum }),
  boolean: (description?: string): BooleanSpec => ({ type: "boolean", description }),
  duration: (description?: string): DurationSpec => ({ type: "duration", description }),
  regex: (description?: string): RegexSpec => ({ type: "regex", description }),
  point: (description?: string): PointSpec => ({ type: "point", description }),
  array: (items: Spec, description?: string, minItems?: number): ArraySpec => ({ type: "array", items, description, minItems }),
  object: (properties: Record<string, Property>, description?: string): ObjectSpec => ({ type: "object", properties, description }),
  optional: (spec: Spec): Property => ({ spec }),
  required: (spec: Spec): Property => ({ spec, required: true }),
};

/** What `spec` expects, in words, for error messages. */
export function expected(spec: Spec): string {
  switch (spec.type) {
    case "string":
      if (spec.enum) return `one of ${spec.enum.join(", ")}`;
      return spec.patternHelp ?? (spec.nullable ? "a string or null" : "a string");
    case "number": {
      const kind = spec.integer ? "a whole number" : "a number";
      if (spec.minimum !== undefined && spec.maximum !== undefined) return `${kind} from ${spec.minimum} to ${spec.maximum}`;
      if (spec.minimum !== undefined) return `${kind} ≥ ${spec.minimum}`;
      return kind;
    }
    case "boolean":
      return "true or false";
    case "duration":
      return "a duration (seconds, or like 500ms, 30s, 5m, 1h30m, 2d)";
    case "regex":
      return "a regular expression";
    case "point":
      return "[latitude, longitude] in degrees";
    case "object":
    case "keyed":
    case "tagged":
      return "a mapping (key: value lines)";
    case "array":
      return "a list (lines starting with '- ')";
    case "anyOf":
      return spec.options.map(expected).join(", or ");
  }
}

/** The RegExp of a pattern written in a scenario file: `.` matches line breaks too (flag s). */
export function smsPattern(source: string): RegExp {
  return new RegExp(source, "s");
}
