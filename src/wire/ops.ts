/**
 * The operations a `write` request carries, and their decoder.
 *
 * @module
 */

import { clip, invalid, keyPath, missing } from "./errors.ts";
import type { JsonValue } from "./json.ts";
import { isBackendId, isPlainObject, isUuid } from "./values.ts";
import type { Attrs, BackendId, Key, Uid } from "./values.ts";

/**
 * An object as the inventory desires it (`desired` in create and update ops). Note the field
 * is `type` here, while ops and results say `type_name`, as on the wire.
 *
 * @example
 * ```ts
 * import type { AlembicObject } from "@alembic-adapter/sdk";
 * const site: AlembicObject = {
 *   uid: "11111111-1111-1111-1111-111111111111",
 *   type: "dcim.site",
 *   key: { site: "fra1" },
 *   attrs: { name: "FRA1", slug: "fra1" },
 * };
 * ```
 */
export interface AlembicObject {
  /** The object's uid. */
  uid: Uid;
  /** Its type name. */
  type: string;
  /** Its key; ref-typed key fields hold uids. */
  key: Key;
  /** Its attributes; ref-typed fields hold uids. */
  attrs: Attrs;
}

/**
 * One field of an update: its value before and after. `from` and `to` are `null` when absent.
 *
 * @example
 * ```ts
 * import type { FieldChange } from "@alembic-adapter/sdk";
 * const change: FieldChange = { field: "name", from: "FRA1", to: "Frankfurt 1" };
 * ```
 */
export interface FieldChange {
  /** The field name. */
  field: string;
  /** The observed value. */
  from: JsonValue;
  /** The desired value. */
  to: JsonValue;
}

/**
 * Create `desired` on the backend, and report the backend id it gets.
 *
 * @example
 * ```ts
 * import type { Create } from "@alembic-adapter/sdk";
 * function describe(op: Create): string {
 *   return `create ${op.type_name} ${JSON.stringify(op.desired.key)}`;
 * }
 * ```
 */
export interface Create {
  /** The op tag. */
  op: "create";
  /** The object's uid. */
  uid: Uid;
  /** Its type name. */
  type_name: string;
  /** The whole object to create. */
  desired: AlembicObject;
}

/**
 * Bring the object `backend_id` to `desired`. Write all of `desired.attrs`; `changes` is the
 * plan-time diff, kept for review and logs. `backend_id` may be absent when a create earlier in
 * the same write made the object (a reference cycle broken in two steps).
 *
 * @example
 * ```ts
 * import type { Update } from "@alembic-adapter/sdk";
 * function changed(op: Update): string[] {
 *   return op.changes.map((c) => c.field);
 * }
 * ```
 */
export interface Update {
  /** The op tag. */
  op: "update";
  /** The object's uid. */
  uid: Uid;
  /** Its type name. */
  type_name: string;
  /** The whole object as it should be. */
  desired: AlembicObject;
  /** The fields that differ, with their observed and desired values. */
  changes: FieldChange[];
  /** The backend's id for the object, when known. */
  backend_id?: BackendId;
}

/**
 * Delete the object. Report it **without** a backend id so the host drops its mapping.
 * Without `backend_id`, look the object up by `(type_name, key)`.
 *
 * @example
 * ```ts
 * import type { Delete } from "@alembic-adapter/sdk";
 * function target(op: Delete): string {
 *   return op.backend_id === undefined ? JSON.stringify(op.key) : String(op.backend_id);
 * }
 * ```
 */
export interface Delete {
  /** The op tag. */
  op: "delete";
  /** The object's uid. */
  uid: Uid;
  /** Its type name. */
  type_name: string;
  /** Its key, as last observed. */
  key: Key;
  /** The backend's id for the object, when known. */
  backend_id?: BackendId;
}

/**
 * One operation of a write, discriminated by `op`.
 *
 * @example
 * ```ts
 * import type { Op } from "@alembic-adapter/sdk";
 * function verb(op: Op): string {
 *   switch (op.op) {
 *     case "create": return `create ${op.desired.type}`;
 *     case "update": return `update ${op.backend_id}`;
 *     case "delete": return `delete ${op.backend_id}`;
 *   }
 * }
 * ```
 */
export type Op = Create | Update | Delete;

/**
 * Validates the `ops` of a write request in place and returns them typed. Missing `changes`
 * decode as `[]`, a missing delete `key` as `{}`, a `null` `backend_id` as absent, and the
 * `kind` alias of `desired.type` as `type`.
 *
 * @param value The `ops` member of a request.
 * @param path Where the value sits, for error messages.
 * @returns The same array, typed.
 * @throws {RequestError} `invalid request: ops[3].desired.uid: expected a string` and the like.
 * @example
 * ```ts
 * import { decodeOps } from "@alembic-adapter/sdk/codec";
 * const [op] = decodeOps([{
 *   op: "delete",
 *   uid: "11111111-1111-1111-1111-111111111111",
 *   type_name: "dcim.site",
 *   key: { site: "fra1" },
 * }]);
 * ```
 */
export function decodeOps(value: unknown, path = "ops"): Op[] {
  if (!Array.isArray(value)) return invalid(path, "expected an array");
  for (let i = 0; i < value.length; i++) decodeOp(value[i], path, i);
  return value as Op[];
}

function decodeOp(op: unknown, parent: string, index: number): void {
  const path = (): string => `${parent}[${index}]`;
  if (!isPlainObject(op)) return invalid(path(), "expected an object");
  const tag = op.op;
  if (tag === undefined) return missing(path(), "op");
  if (tag !== "create" && tag !== "update" && tag !== "delete") {
    return invalid(
      `${path()}.op`,
      typeof tag === "string"
        ? `unknown variant \`${clip(tag)}\`, expected one of \`create\`, \`update\`, \`delete\``
        : "expected a string",
    );
  }
  uidMember(op, "uid", path);
  typeNameMember(op, "type_name", path);
  if (tag === "delete") {
    const key = op.key;
    if (key === undefined) op.key = {};
    else if (!isPlainObject(key)) return invalid(`${path()}.key`, "expected an object");
  } else {
    if (op.desired === undefined) return missing(path(), "desired");
    decodeObject(op.desired, () => `${path()}.desired`);
  }
  if (tag === "update") {
    const changes = op.changes;
    if (changes === undefined) op.changes = [];
    else if (!Array.isArray(changes)) return invalid(`${path()}.changes`, "expected an array");
    else {
      for (let j = 0; j < changes.length; j++) {
        decodeChange(changes[j], () => `${path()}.changes[${j}]`);
      }
    }
  }
  if (tag !== "create") {
    const id = op.backend_id;
    if (id === null) delete op.backend_id;
    else if (id !== undefined && !isBackendId(id)) {
      return invalid(`${path()}.backend_id`, "expected a non-negative integer or a string");
    }
  }
}

function decodeObject(value: unknown, path: () => string): void {
  if (!isPlainObject(value)) return invalid(path(), "expected an object");
  uidMember(value, "uid", path);
  if (value.type === undefined && value.kind !== undefined) {
    value.type = value.kind;
    delete value.kind;
  }
  typeNameMember(value, "type", path);
  const key = value.key;
  if (key === undefined) return missing(path(), "key");
  if (!isPlainObject(key)) return invalid(`${path()}.key`, "expected an object");
  const attrs = value.attrs;
  if (attrs === undefined) value.attrs = {};
  else if (!isPlainObject(attrs)) return invalid(`${path()}.attrs`, "expected an object");
}

function decodeChange(value: unknown, path: () => string): void {
  if (!isPlainObject(value)) return invalid(path(), "expected an object");
  const field = value.field;
  if (field === undefined) return missing(path(), "field");
  if (typeof field !== "string") return invalid(`${path()}.field`, "expected a string");
  if (value.from === undefined) value.from = null;
  if (value.to === undefined) value.to = null;
}

function uidMember(owner: Record<string, unknown>, name: string, path: () => string): void {
  const v = owner[name];
  if (v === undefined) return missing(path(), name);
  if (typeof v !== "string") return invalid(keyPath(path(), name), "expected a string");
  if (!isUuid(v)) {
    return invalid(keyPath(path(), name), `expected a UUID, got ${JSON.stringify(clip(v))}`);
  }
}

/** Checks a type-name member: a string, non-empty after trimming. */
function typeNameMember(
  owner: Record<string, unknown>,
  name: string,
  path: () => string,
): void {
  const v = owner[name];
  if (v === undefined) return missing(path(), name);
  if (typeof v !== "string") return invalid(keyPath(path(), name), "expected a string");
  if (v.trim() === "") return invalid(keyPath(path(), name), "expected a non-empty type name");
}
