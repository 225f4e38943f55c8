/**
 * The inventory schema a request carries, and its decoder.
 *
 * Field types arrive in two spellings: inline (`{"type":"ref","target":"dcim.site"}` beside
 * `required`), as inventory YAML and the fixtures write them, and nested
 * (`{"type":{"type":"ref","target":"dcim.site"}}`), as the host sends them. Both decode to the
 * nested form, so adapter code handles one shape.
 *
 * @module
 */

import { clip, invalid, keyPath } from "./errors.ts";
import { objectMember } from "./_members.ts";
import { isPlainObject } from "./values.ts";

/**
 * A field kind that takes no parameter.
 *
 * @example
 * ```ts
 * import type { SimpleKind } from "@alembic-adapter/sdk";
 * const kind: SimpleKind = "slug";
 * ```
 */
export type SimpleKind =
  | "string"
  | "text"
  | "int"
  | "float"
  | "bool"
  | "uuid"
  | "date"
  | "datetime"
  | "time"
  | "json"
  | "ip_address"
  | "cidr"
  | "prefix"
  | "mac"
  | "slug";

/**
 * `enum`: one of `values`.
 *
 * @example
 * ```ts
 * import type { EnumType } from "@alembic-adapter/sdk";
 * const status: EnumType = { type: "enum", values: ["active", "planned"] };
 * ```
 */
export interface EnumType {
  /** The kind tag. */
  type: "enum";
  /** The allowed strings. */
  values: string[];
}

/**
 * `list`: an array whose elements have type `item`.
 *
 * @example
 * ```ts
 * import type { ListType } from "@alembic-adapter/sdk";
 * const tags: ListType = { type: "list", item: "string" };
 * ```
 */
export interface ListType {
  /** The kind tag. */
  type: "list";
  /** The element type. */
  item: FieldType;
}

/**
 * `map`: an object whose values have type `value`.
 *
 * @example
 * ```ts
 * import type { MapType } from "@alembic-adapter/sdk";
 * const labels: MapType = { type: "map", value: "string" };
 * ```
 */
export interface MapType {
  /** The kind tag. */
  type: "map";
  /** The value type. */
  value: FieldType;
}

/**
 * `ref`: the uid of an object of type `target`.
 *
 * @example
 * ```ts
 * import type { RefType } from "@alembic-adapter/sdk";
 * const site: RefType = { type: "ref", target: "dcim.site" };
 * ```
 */
export interface RefType {
  /** The kind tag. */
  type: "ref";
  /** The type name of the referenced objects. */
  target: string;
}

/**
 * `list_ref`: an array of uids of objects of type `target`.
 *
 * @example
 * ```ts
 * import type { ListRefType } from "@alembic-adapter/sdk";
 * const vlans: ListRefType = { type: "list_ref", target: "ipam.vlan" };
 * ```
 */
export interface ListRefType {
  /** The kind tag. */
  type: "list_ref";
  /** The type name of the referenced objects. */
  target: string;
}

/**
 * A field's type: a simple kind as a string, or a compound kind as an object.
 *
 * @example
 * ```ts
 * import type { FieldType } from "@alembic-adapter/sdk";
 * const t: FieldType = { type: "list", item: { type: "ref", target: "ipam.vlan" } };
 * ```
 */
export type FieldType = SimpleKind | EnumType | ListType | MapType | RefType | ListRefType;

/**
 * Every field kind's name.
 *
 * @example
 * ```ts
 * import type { FieldKind } from "@alembic-adapter/sdk";
 * const kind: FieldKind = "list_ref";
 * ```
 */
export type FieldKind = SimpleKind | "enum" | "list" | "map" | "ref" | "list_ref";

/**
 * A string format constraint.
 *
 * @example
 * ```ts
 * import type { FieldFormat } from "@alembic-adapter/sdk";
 * const format: FieldFormat = "ip_address";
 * ```
 */
export type FieldFormat = "slug" | "ip_address" | "cidr" | "prefix" | "mac" | "uuid";

/**
 * One field of a type, as decoded: `type` is always the nested {@link FieldType}, and `required`
 * and `nullable` are always present.
 *
 * @example
 * ```ts
 * import type { FieldSchema } from "@alembic-adapter/sdk";
 * const site: FieldSchema = {
 *   type: { type: "ref", target: "dcim.site" },
 *   required: true,
 *   nullable: false,
 * };
 * ```
 */
export interface FieldSchema {
  /** The field's type. */
  type: FieldType;
  /** Whether an object must carry the field. Key fields are always needed, whatever this says. */
  required: boolean;
  /** Whether `null` is a valid value. Never true for a key field. */
  nullable: boolean;
  /** A string format the value must satisfy. */
  format?: FieldFormat;
  /** A regular expression the value must match somewhere (unanchored). */
  pattern?: string;
  /** Free-form documentation. */
  description?: string;
}

/**
 * A field schema in either spelling, as a request or a builder may write it: the nested form
 * ({@link FieldSchema}), or the inline form with the compound type's parameter beside the
 * metadata (`{ type: "ref", target: "dcim.site" }`). `required` and `nullable` default to false.
 *
 * @example
 * ```ts
 * import type { FieldSchemaInput } from "@alembic-adapter/sdk/codec";
 * const inline: FieldSchemaInput = { type: "ref", target: "dcim.site", required: true };
 * const nested: FieldSchemaInput = { type: { type: "list", item: "string" } };
 * ```
 */
export interface FieldSchemaInput {
  /** A kind name (inline spelling) or a whole field type (nested spelling). */
  type: FieldKind | FieldType;
  /** Defaults to false. */
  required?: boolean;
  /** Defaults to false. */
  nullable?: boolean;
  /** A string format constraint. */
  format?: FieldFormat;
  /** An unanchored regular expression. */
  pattern?: string;
  /** Free-form documentation. */
  description?: string;
  /** Inline `list` / nested-`list` element type. */
  item?: FieldKind | FieldType;
  /** Inline `map` value type. */
  value?: FieldKind | FieldType;
  /** Inline `enum` values. */
  values?: string[];
  /** Inline `ref` / `list_ref` target type. */
  target?: string;
}

/**
 * One object type: its key fields and its attribute fields.
 *
 * @example
 * ```ts
 * import type { TypeSchema } from "@alembic-adapter/sdk";
 * const site: TypeSchema = {
 *   key: { site: { type: "slug", required: true, nullable: false } },
 *   fields: { name: { type: "string", required: false, nullable: false } },
 * };
 * ```
 */
export interface TypeSchema {
  /** The fields that identify an object; together they form its key. */
  key: Record<string, FieldSchema>;
  /** The attribute fields. A field may appear in both maps, with the same schema. */
  fields: Record<string, FieldSchema>;
}

/**
 * The inventory schema: every type by name.
 *
 * @example
 * ```ts
 * import type { Schema } from "@alembic-adapter/sdk";
 * function typeNames(schema: Schema): string[] {
 *   return Object.keys(schema.types).sort();
 * }
 * ```
 */
export interface Schema {
  /** Type schemas by type name, such as `dcim.site`. */
  types: Record<string, TypeSchema>;
}

const SIMPLE_KINDS: ReadonlySet<string> = new Set<SimpleKind>([
  "string",
  "text",
  "int",
  "float",
  "bool",
  "uuid",
  "date",
  "datetime",
  "time",
  "json",
  "ip_address",
  "cidr",
  "prefix",
  "mac",
  "slug",
]);

const FORMATS: ReadonlySet<string> = new Set<FieldFormat>([
  "slug",
  "ip_address",
  "cidr",
  "prefix",
  "mac",
  "uuid",
]);

/** The deepest `list`/`map` nesting a field type may have: serde_json's recursion limit. */
const MAX_TYPE_DEPTH = 128;

/** Keys that belong to the type, not the field, in the inline spelling. */
const INLINE_PARAMETERS = ["item", "value", "values", "target"] as const;

/**
 * Validates a schema in place and normalizes it: field types become the nested spelling,
 * `required`/`nullable` default to false, missing `types`/`key`/`fields` become `{}`. Unknown
 * keys are left alone (the host may add some); known keys of the wrong type are refused.
 *
 * @param value The `schema` member of a request.
 * @param path Where the value sits, for error messages.
 * @returns The same object, typed.
 * @throws {RequestError} `invalid request: <path>: <detail>`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * const schema = decodeSchema({
 *   types: { "dcim.site": { key: { site: { type: "slug" } }, fields: {} } },
 * });
 * assert.deepEqual(schema.types["dcim.site"]?.key.site, {
 *   type: "slug",
 *   required: false,
 *   nullable: false,
 * });
 * ```
 */
export function decodeSchema(value: unknown, path = "schema"): Schema {
  if (!isPlainObject(value)) return invalid(path, "expected an object");
  const types = objectMember(value, "types", path);
  for (const name of Object.keys(types)) {
    decodeTypeSchema(types[name], keyPath(keyPath(path, "types"), name));
  }
  return value as unknown as Schema;
}

function decodeTypeSchema(value: unknown, path: string): void {
  if (!isPlainObject(value)) return invalid(path, "expected an object");
  for (const section of ["key", "fields"] as const) {
    const fields = objectMember(value, section, path);
    const sectionPath = keyPath(path, section);
    for (const field of Object.keys(fields)) {
      fields[field] = decodeFieldSchema(fields[field], keyPath(sectionPath, field));
    }
  }
}

/**
 * Validates one field schema in either spelling and returns it in the nested spelling, with
 * the messages alembic-core uses (`field schema requires type`, `unknown field type x`, …).
 *
 * @param value A field schema.
 * @param path Where it sits, for error messages.
 * @returns The normalized field schema (the same object, rewritten).
 * @throws {RequestError} `invalid request: <path>: <detail>`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFieldSchema } from "@alembic-adapter/sdk/codec";
 * assert.deepEqual(decodeFieldSchema({ type: "ref", target: "dcim.site", required: true }), {
 *   type: { type: "ref", target: "dcim.site" },
 *   required: true,
 *   nullable: false,
 * });
 * ```
 */
export function decodeFieldSchema(value: unknown, path = "field"): FieldSchema {
  if (!isPlainObject(value)) return invalid(path, "field schema must be an object");
  if (!Object.hasOwn(value, "type") || value.type === undefined) {
    return invalid(path, "field schema requires type");
  }
  for (const flag of ["required", "nullable"] as const) {
    const v = value[flag];
    if (v === undefined) value[flag] = false;
    else if (typeof v !== "boolean") {
      return invalid(path, `field schema \`${flag}\` must be a boolean`);
    }
  }
  for (const text of ["format", "pattern", "description"] as const) {
    const v = value[text];
    if (v !== undefined && typeof v !== "string") {
      return invalid(path, `field schema \`${text}\` must be a string`);
    }
  }
  if (value.format !== undefined && !FORMATS.has(value.format as string)) {
    return invalid(path, `unknown field format ${clip(value.format as string)}`);
  }
  if (typeof value.type === "string") {
    // Inline spelling: the parameters sit beside the metadata.
    value.type = decodeFieldType(value, path);
    for (const key of INLINE_PARAMETERS) delete value[key];
  } else {
    value.type = decodeFieldType(value.type, path);
  }
  return value as unknown as FieldSchema;
}

/**
 * Validates a field type (a kind string, or an object with a string `type` and its parameter)
 * and returns it in canonical form: simple kinds as strings, compound kinds as fresh objects.
 */
function decodeFieldType(value: unknown, path: string, depth = 1): FieldType {
  if (typeof value === "string") {
    if (SIMPLE_KINDS.has(value)) return value as SimpleKind;
    if (isCompound(value)) return invalid(path, `${value} type requires ${parameterOf(value)}`);
    return invalid(path, `unknown field type ${clip(value)}`);
  }
  if (!isPlainObject(value)) return invalid(path, "field type must be a string or map");
  const kind = value.type;
  if (typeof kind !== "string") return invalid(path, "field type requires a string 'type' key");
  if (SIMPLE_KINDS.has(kind)) return kind as SimpleKind;
  // The recursion below would otherwise overflow the stack on a hostile request; no schema the
  // host can load nests anywhere near this deep.
  if (depth > MAX_TYPE_DEPTH) {
    return invalid(path, `field type nested more than ${MAX_TYPE_DEPTH} levels deep`);
  }
  switch (kind) {
    case "enum": {
      const values = value.values;
      if (values === undefined || values === null) {
        return invalid(path, "enum type requires values");
      }
      if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) {
        return invalid(path, "enum values must be strings");
      }
      return { type: "enum", values };
    }
    case "list":
    case "map": {
      const parameter = kind === "list" ? "item" : "value";
      const inner = value[parameter];
      if (inner === undefined || inner === null) {
        return invalid(path, `${kind} type requires ${parameter}`);
      }
      const decoded = decodeFieldType(inner, path, depth + 1);
      return kind === "list" ? { type: "list", item: decoded } : { type: "map", value: decoded };
    }
    case "ref":
    case "list_ref": {
      const target = value.target;
      if (target === undefined || target === null) {
        return invalid(path, `${kind} type requires target`);
      }
      if (typeof target !== "string") return invalid(path, `${kind} type target must be a string`);
      return { type: kind, target };
    }
    default:
      return invalid(path, `unknown field type ${clip(kind)}`);
  }
}

function isCompound(kind: string): kind is "enum" | "list" | "map" | "ref" | "list_ref" {
  return kind === "enum" || kind === "list" || kind === "map" || kind === "ref" ||
    kind === "list_ref";
}

function parameterOf(kind: "enum" | "list" | "map" | "ref" | "list_ref"): string {
  return { enum: "values", list: "item", map: "value", ref: "target", list_ref: "target" }[kind];
}

/**
 * The kind name of a field type: `"int"` for `"int"`, `"ref"` for `{type:"ref",…}`.
 *
 * @param type A decoded field type.
 * @returns Its kind.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fieldKind } from "@alembic-adapter/sdk";
 * assert.equal(fieldKind({ type: "list_ref", target: "ipam.vlan" }), "list_ref");
 * assert.equal(fieldKind("slug"), "slug");
 * ```
 */
export function fieldKind(type: FieldType): FieldKind {
  return typeof type === "string" ? type : type.type;
}
