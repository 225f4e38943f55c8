/**
 * The schema-level rules of alembic's value space. The host only sends
 * schemas that pass them; the conformance runner applies them to case schemas, where they fail
 * even when no object is present.
 *
 * @module
 */

import { byCodePoint } from "../identity/uids.ts";
import {
  type FieldFormat,
  fieldKind,
  type FieldSchema,
  type FieldType,
  type Schema,
} from "../wire/schema.ts";
import { compilePattern, formatCheck } from "./_formats.ts";
import { fieldTypeLabel, type ValueProblem } from "./problems.ts";

/** Orders `[name, value]` entries as {@linkcode byCodePoint} orders their names. */
const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => byCodePoint(a, b);

/** A schema's problems, and its patterns compiled once (malformed ones are left out). */
export interface SchemaCheck {
  /** The broken rules, in alembic's order. */
  problems: ValueProblem[];
  /** Every well-formed pattern, compiled. */
  patterns: Map<string, RegExp>;
}

/**
 * Checks a schema against alembic's schema rules: ref targets are declared types, patterns
 * compile, `format`/`pattern` sit only on fields that can hold a string and agree with the
 * type's own check, enums are not empty, key fields are scalar and never nullable, and a field
 * declared in both `key` and `fields` has one schema.
 *
 * @param schema A decoded schema (see `decodeSchema`).
 * @returns The problems, in the order alembic reports them; empty for a valid schema.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * import { validateSchema } from "@alembic-adapter/sdk/checks";
 * const schema = decodeSchema({
 *   types: { "dcim.device": { key: { name: { type: "string" } }, fields: { site: { type: "ref", target: "dcim.site" } } } },
 * });
 * const [problem] = validateSchema(schema);
 * assert.equal(problem?.message, "unknown ref target dcim.device.site -> dcim.site");
 * ```
 */
export function validateSchema(schema: Schema): ValueProblem[] {
  return checkSchema(schema).problems;
}

/** {@link validateSchema}, also handing back the compiled patterns for the object pass. */
export function checkSchema(schema: Schema): SchemaCheck {
  const fields = declaredFields(schema);
  const problems: ValueProblem[] = [];
  const report = (kind: ValueProblem["kind"], typeName: string, field: string, message: string) =>
    problems.push({ kind, message, typeName, field });

  for (const { typeName, field, schema: f } of fields) {
    for (const target of refTargets(f.type)) {
      if (!Object.hasOwn(schema.types, target)) {
        report(
          "unknown_ref_target",
          typeName,
          field,
          `unknown ref target ${typeName}.${field} -> ${target}`,
        );
      }
    }
  }
  const patterns = new Map<string, RegExp>();
  const malformed = new Set<string>();
  for (const { typeName, field, schema: f } of fields) {
    const pattern = f.pattern;
    if (pattern === undefined || patterns.has(pattern) || malformed.has(pattern)) continue;
    try {
      patterns.set(pattern, compilePattern(pattern));
    } catch (e) {
      malformed.add(pattern);
      const error = e instanceof Error ? e.message : String(e);
      report(
        "invalid_schema_pattern",
        typeName,
        field,
        `invalid pattern for ${typeName}.${field}: ${error} (pattern: ${pattern})`,
      );
    }
  }
  for (const { typeName, field, schema: f } of fields) {
    if (!NEVER_STRING.has(fieldKind(f.type))) continue;
    for (const constraint of ["format", "pattern"] as const) {
      if (f[constraint] === undefined) continue;
      report(
        "constraint_on_non_string_field",
        typeName,
        field,
        `${constraint} constraint on non-string field ${typeName}.${field} (type ${
          fieldTypeLabel(f.type)
        })`,
      );
    }
  }
  for (const { typeName, field, schema: f } of fields) {
    const format = f.format;
    const own = ownTextCheck(f.type);
    if (format === undefined || own === undefined) continue;
    if (own !== "rfc 3339" && formatCheck(own) === formatCheck(format)) continue;
    const check = own === "rfc 3339" ? own : `format(${own})`;
    report(
      "conflicting_format",
      typeName,
      field,
      `conflicting format on ${typeName}.${field}: declared format(${format}), but a ${
        fieldTypeLabel(f.type)
      } type already checks ${check} (docs/ir.md)`,
    );
  }
  for (const { typeName, field, schema: f } of fields) {
    if (hasEmptyEnum(f.type)) {
      report(
        "empty_enum",
        typeName,
        field,
        `empty enum for ${typeName}.${field}: an enum with no values is unsatisfiable`,
      );
    }
  }
  const keyFields = fields.filter((f) => f.inKey);
  for (const { typeName, field, schema: f } of keyFields) {
    const kind = fieldKind(f.type);
    if (kind === "list" || kind === "list_ref" || kind === "map") {
      report(
        "non_scalar_key_field",
        typeName,
        field,
        `non-scalar key field ${typeName}.${field}: a ${
          fieldTypeLabel(f.type)
        } key has no scalar identity form (docs/ir.md)`,
      );
    }
  }
  for (const { typeName, field, schema: f } of keyFields) {
    if (f.nullable) {
      report(
        "nullable_key_field",
        typeName,
        field,
        `nullable key field ${typeName}.${field}: a null identity component has no stable identity (docs/ir.md)`,
      );
    }
  }
  for (const { typeName, name, schema: f } of keyFields) {
    const twin = schema.types[typeName]!.fields; // typeName was taken from schema.types
    if (Object.hasOwn(twin, name) && !sameFieldSchema(f, twin[name]!)) {
      report(
        "key_field_disagreement",
        typeName,
        name,
        `key field ${typeName}.${name} is declared again in fields with a different schema; one name carries one schema (docs/ir.md)`,
      );
    }
  }
  return { problems, patterns };
}

/** One declared field, labelled as alembic labels it (`key.<name>` for key fields). */
interface DeclaredField {
  typeName: string;
  field: string;
  name: string;
  inKey: boolean;
  schema: FieldSchema;
}

/** Every field in alembic's order: types sorted, each type's key fields, then its attributes. */
function declaredFields(schema: Schema): DeclaredField[] {
  const out: DeclaredField[] = [];
  for (const [typeName, type] of Object.entries(schema.types).sort(byName)) {
    for (const [name, field] of Object.entries(type.key).sort(byName)) {
      out.push({ typeName, field: `key.${name}`, name, inKey: true, schema: field });
    }
    for (const [name, field] of Object.entries(type.fields).sort(byName)) {
      out.push({ typeName, field: name, name, inKey: false, schema: field });
    }
  }
  return out;
}

const NEVER_STRING: ReadonlySet<string> = new Set([
  "int",
  "float",
  "bool",
  "list",
  "map",
  "list_ref",
]);

/**
 * The textual check a field type already makes on its value (a format, or RFC 3339), or
 * `undefined` for types checked by JSON type alone.
 */
export function ownTextCheck(type: FieldType): FieldFormat | "rfc 3339" | undefined {
  switch (type) {
    case "uuid":
    case "cidr":
    case "prefix":
    case "mac":
    case "slug":
      return type;
    case "date":
    case "datetime":
    case "time":
      return "rfc 3339";
    default:
      return undefined;
  }
}

function refTargets(type: FieldType): string[] {
  if (typeof type === "string") return [];
  switch (type.type) {
    case "ref":
    case "list_ref":
      return [type.target];
    case "list":
      return refTargets(type.item);
    case "map":
      return refTargets(type.value);
    default:
      return [];
  }
}

function hasEmptyEnum(type: FieldType): boolean {
  if (typeof type === "string") return false;
  switch (type.type) {
    case "enum":
      return type.values.length === 0;
    case "list":
      return hasEmptyEnum(type.item);
    case "map":
      return hasEmptyEnum(type.value);
    default:
      return false;
  }
}

function sameFieldSchema(a: FieldSchema, b: FieldSchema): boolean {
  return a.required === b.required && a.nullable === b.nullable && a.format === b.format &&
    a.pattern === b.pattern && a.description === b.description && sameType(a.type, b.type);
}

function sameType(a: FieldType, b: FieldType): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  switch (a.type) {
    case "enum":
      return b.type === "enum" && a.values.length === b.values.length &&
        a.values.every((v, i) => v === b.values[i]);
    case "list":
      return b.type === "list" && sameType(a.item, b.item);
    case "map":
      return b.type === "map" && sameType(a.value, b.value);
    case "ref":
    case "list_ref":
      return b.type === a.type && a.target === b.target;
  }
}
