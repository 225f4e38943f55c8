/**
 * Value-space validation of a read answer: the rules alembic-core's
 * inventory validation applies, which the conformance runner runs on every read case, plus the
 * host's own rule that backend ids are unique per type.
 *
 * @module
 */

import { byCodePoint, keyString, objectUid } from "../identity/uids.ts";
import type { JsonValue } from "../wire/json.ts";
import type { ExternalObject } from "../wire/results.ts";
import { fieldKind, type FieldSchema, type FieldType, type Schema } from "../wire/schema.ts";
import type { State } from "../wire/state.ts";
import { backendIdKey, canonicalUuid, type Uid } from "../wire/values.ts";
import { isDate, isDatetime, isTime, matchesFormat } from "./_formats.ts";
import { fieldTypeLabel, type ValueProblem, valueTypeLabel } from "./problems.ts";
import { checkSchema, ownTextCheck } from "./schema_rules.ts";

/** Orders `[name, value]` entries as {@linkcode byCodePoint} orders their names. */
const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => byCodePoint(a, b);

/**
 * Options of {@linkcode validateRead}.
 *
 * @example
 * ```ts
 * import { State } from "@alembic-adapter/sdk";
 * import { type ValidateReadOptions } from "@alembic-adapter/sdk/checks";
 * const options: ValidateReadOptions = { state: new State({ "dcim.site": {} }) };
 * ```
 */
export interface ValidateReadOptions {
  /**
   * The read request's state. An object whose backend id it binds has the bound uid, so refs
   * to it must name that uid; without state, every object has its first-sight uid
   * `uid_v5(type, key_string(key))`, as the conformance runner assumes.
   */
  state?: State;
}

/** How the object pass learns what the plain values cannot say. */
export interface ReadCheckHooks {
  /** The uid the host gives an object. */
  uidOf(object: ExternalObject): Uid;
  /** Whether the number at `container[key]` was written as a float literal (`1.0`). */
  floatLiteral?(container: object, key: string | number): boolean;
}

/**
 * Checks a read answer against the request's schema, as alembic does: every declared key field
 * present and no other, required attrs present and no undeclared ones, each value of its
 * field's kind (RFC 3339 dates and times, the string formats, enums, lists and maps element by
 * element), `null` only where `nullable`, refs naming the uid of an object **of the target
 * type in the same answer**, one object per key, and one per backend id. Schema rules are
 * checked too.
 *
 * Objects of types the schema does not declare are skipped: a superset is a valid answer, but
 * such objects cannot serve as ref targets. The host gates nothing on this check; call it from
 * your tests (or while developing) to learn what alembic will refuse.
 *
 * @param schema The read request's (decoded) schema.
 * @param objects The objects the read returns.
 * @param options The request's state, for uids state already binds.
 * @returns The problems, in alembic's order; empty when the answer is in alembic's value space.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * import { validateRead } from "@alembic-adapter/sdk/checks";
 * const schema = decodeSchema({
 *   types: { "dcim.site": { key: { slug: { type: "slug" } }, fields: { opened: { type: "date" } } } },
 * });
 * const problems = validateRead(schema, [
 *   { type_name: "dcim.site", key: { slug: "fra1" }, attrs: { opened: "2026-02-30" }, backend_id: 1 },
 * ]);
 * assert.equal(
 *   problems[0]?.message,
 *   "invalid value for dcim.site.opened: expected date, got 2026-02-30",
 * );
 * ```
 */
export function validateRead(
  schema: Schema,
  objects: readonly ExternalObject[],
  options: ValidateReadOptions = {},
): ValueProblem[] {
  const state = options.state;
  return checkRead(schema, objects, {
    uidOf(object) {
      const id = object.backend_id;
      const bound = state !== undefined && id !== undefined && id !== null
        ? state.uid(object.type_name, id)
        : undefined;
      return bound ?? objectUid(object.type_name, object.key);
    },
  });
}

/** {@link validateRead} with the uid rule and number literals supplied by the caller. */
export function checkRead(
  schema: Schema,
  objects: readonly ExternalObject[],
  hooks: ReadCheckHooks,
): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const declared: Array<{ object: ExternalObject; index: number }> = [];
  objects.forEach((object, index) => {
    if (Object.hasOwn(schema.types, object.type_name)) declared.push({ object, index });
  });

  const uidToType = new Map<Uid, string>();
  const seenKeys = new Set<string>();
  const seenIds = new Set<string>();
  for (const { object, index } of declared) {
    const typeName = object.type_name;
    const at = { index, typeName };
    if (Object.keys(object.key).length === 0) {
      problems.push({ kind: "missing_key", message: "missing key on object", ...at });
    }
    const given = hooks.uidOf(object);
    const uid = canonicalUuid(given) ?? given;
    if (uidToType.has(uid)) {
      problems.push({ kind: "duplicate_uid", message: `duplicate uid: ${uid}`, ...at });
    }
    uidToType.set(uid, typeName);
    const key = `${typeName}::${keyString(object.key)}`;
    if (seenKeys.has(key)) {
      problems.push({ kind: "duplicate_key", message: `duplicate key: ${key}`, ...at });
    }
    seenKeys.add(key);
    const id = object.backend_id;
    if (id !== undefined && id !== null) {
      const idKey = `${typeName}\u0000${backendIdKey(id)}`;
      if (seenIds.has(idKey)) {
        problems.push({
          kind: "duplicate_backend_id",
          message: `ObservedState already contains an object with backend id ${
            String(id)
          } for type ${typeName}`,
          ...at,
        });
      }
      seenIds.add(idKey);
    }
  }

  const { problems: schemaProblems, patterns } = checkSchema(schema);
  problems.push(...schemaProblems);

  for (const { object, index } of declared) {
    const typeName = object.type_name;
    const type = schema.types[typeName]!; // declared holds only the schema's types
    const values = new ValueCheck(problems, index, typeName, uidToType, patterns, hooks);
    const fieldProblem = (kind: ValueProblem["kind"], what: string, field: string, name: string) =>
      problems.push({ kind, message: `${what} ${typeName}.${name}`, index, typeName, field });
    const key = object.key;
    for (const [name, field] of Object.entries(type.key).sort(byName)) {
      if (present(key, name)) values.field(`key.${name}`, field, key, name);
      else fieldProblem("missing_key_field", "missing key field", `key.${name}`, name);
    }
    for (const name of Object.keys(key).sort(byCodePoint)) {
      if (!Object.hasOwn(type.key, name) && present(key, name)) {
        fieldProblem("extra_key_field", "extra key field", `key.${name}`, name);
      }
    }
    const attrs = object.attrs ?? {};
    for (const [name, field] of Object.entries(type.fields).sort(byName)) {
      if (present(attrs, name)) values.field(name, field, attrs, name);
      else if (field.required) fieldProblem("missing_attr_field", "missing attr field", name, name);
    }
    for (const name of Object.keys(attrs).sort(byCodePoint)) {
      if (!Object.hasOwn(type.fields, name) && present(attrs, name)) {
        fieldProblem("extra_attr_field", "extra attr field", name, name);
      }
    }
  }
  return problems;
}

function present(map: Record<string, unknown>, name: string): boolean {
  return Object.hasOwn(map, name) && map[name] !== undefined;
}

const I64_MIN = -(2n ** 63n);
const U64_MAX = 2n ** 64n - 1n;

/** The per-value rules for the fields of one object. */
class ValueCheck {
  constructor(
    readonly problems: ValueProblem[],
    readonly index: number,
    readonly typeName: string,
    readonly uidToType: Map<Uid, string>,
    readonly patterns: Map<string, RegExp>,
    readonly hooks: ReadCheckHooks,
  ) {}

  /** Checks `container[name]` against `schema`, reporting under the field label `field`. */
  field(field: string, schema: FieldSchema, container: object, name: string | number): void {
    const value = (container as Record<string | number, unknown>)[name];
    if (value === null) {
      if (!schema.nullable) this.#invalid(field, fieldTypeLabel(schema.type), "null");
      return;
    }
    const type = schema.type;
    switch (fieldKind(type)) {
      case "ref":
        this.#ref(field, (type as { target: string }).target, value);
        break;
      case "list_ref":
        if (Array.isArray(value)) {
          for (const entry of value) this.#ref(field, (type as { target: string }).target, entry);
        } else this.#invalid(field, "list_ref", valueTypeLabel(value));
        break;
      case "list":
        if (Array.isArray(value)) {
          const item = element((type as { item: FieldType }).item);
          for (let i = 0; i < value.length; i++) this.field(field, item, value, i);
        } else this.#invalid(field, "list", valueTypeLabel(value));
        break;
      case "map":
        if (isObject(value)) {
          const inner = element((type as { value: FieldType }).value);
          for (const k of Object.keys(value).sort(byCodePoint)) this.field(field, inner, value, k);
        } else this.#invalid(field, "map", valueTypeLabel(value));
        break;
      case "enum": {
        const values = (type as { values: string[] }).values;
        if (typeof value !== "string") this.#invalid(field, "enum", valueTypeLabel(value));
        else if (!values.includes(value)) {
          this.#invalid(field, `enum(${values.join("|")})`, value);
        }
        break;
      }
      default:
        if (!this.#matches(type, value, container, name)) {
          const actual = typeof value === "string" && ownTextCheck(type) !== undefined
            ? value
            : valueTypeLabel(value);
          this.#invalid(field, fieldTypeLabel(type), actual);
        }
    }
    this.#stringConstraints(field, schema, value);
  }

  #matches(type: FieldType, value: unknown, container: object, name: string | number): boolean {
    switch (type) {
      case "string":
      case "text":
      case "ip_address":
        return typeof value === "string";
      case "uuid":
      case "cidr":
      case "prefix":
      case "mac":
      case "slug":
        return typeof value === "string" && matchesFormat(type, value);
      case "date":
        return typeof value === "string" && isDate(value);
      case "datetime":
        return typeof value === "string" && isDatetime(value);
      case "time":
        return typeof value === "string" && isTime(value);
      case "int":
        if (typeof value === "bigint") return value >= I64_MIN && value <= U64_MAX;
        return typeof value === "number" && Number.isInteger(value) && value >= -(2 ** 63) &&
          value < 2 ** 64 && !(this.hooks.floatLiteral?.(container, name) ?? false);
      case "float":
        return typeof value === "number" || typeof value === "bigint";
      case "bool":
        return typeof value === "boolean";
      default:
        return true;
    }
  }

  #ref(field: string, target: string, value: unknown): void {
    const uid = canonicalUuid(value);
    if (uid === undefined) {
      const actual = typeof value === "string" ? value : valueTypeLabel(value);
      return this.#invalid(field, "uuid", actual);
    }
    const actual = this.uidToType.get(uid);
    const label = `${this.typeName}.${field}`;
    if (actual === undefined) {
      this.#push("missing_reference", field, `missing reference ${label} -> ${uid}`);
    } else if (actual !== target) {
      this.#push(
        "reference_type_mismatch",
        field,
        `reference type mismatch ${label} -> ${uid} (expected ${target}, got ${actual})`,
      );
    }
  }

  #stringConstraints(field: string, schema: FieldSchema, value: unknown): void {
    if (schema.format === undefined && schema.pattern === undefined) return;
    if (typeof value !== "string") return this.#invalid(field, "string", valueTypeLabel(value));
    if (schema.format !== undefined && !matchesFormat(schema.format, value)) {
      this.#invalid(field, `format(${schema.format})`, value);
    }
    const pattern = schema.pattern === undefined ? undefined : this.patterns.get(schema.pattern);
    if (pattern !== undefined && !pattern.test(value)) {
      this.#invalid(field, `pattern(${schema.pattern})`, value);
    }
  }

  #invalid(field: string, expected: string, actual: string): void {
    this.#push(
      "invalid_value",
      field,
      `invalid value for ${this.typeName}.${field}: expected ${expected}, got ${actual}`,
    );
  }

  #push(kind: ValueProblem["kind"], field: string, message: string): void {
    this.problems.push({ kind, message, index: this.index, typeName: this.typeName, field });
  }
}

/** The schema a list element or map value is held to: its type, required, never null. */
function element(type: FieldType): FieldSchema {
  return { type, required: true, nullable: false };
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
