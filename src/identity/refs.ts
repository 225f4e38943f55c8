/**
 * Ref resolution, both ways. alembic's refs hold **uids**; backends store their own ids. A read
 * turns backend ids into uids ({@linkcode UidIndex}, {@linkcode resolveRefKeyedIdentity}), a
 * write turns uids into backend ids ({@linkcode WriteIds}, {@linkcode backendRefs}).
 *
 * @module
 */

import { objectUid } from "./uids.ts";
import type { JsonObject, JsonValue } from "../wire/json.ts";
import type { AppliedOp, ExternalObject } from "../wire/results.ts";
import { applied } from "../wire/results.ts";
import type { Op } from "../wire/ops.ts";
import { fieldKind, type FieldType, type Schema, type TypeSchema } from "../wire/schema.ts";
import type { State } from "../wire/state.ts";
import { type BackendId, backendIdKey, isBackendId, type Key, type Uid } from "../wire/values.ts";

/**
 * Backend id → uid while building a read answer: state's binding first, then the objects this
 * read returns (their state uid, or the first-sight uid `uid_v5(type, key_string(key))` the host
 * will give them). Add the targets, then ask for the uids the referring objects need.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { State, UidIndex } from "@alembic-adapter/sdk";
 * const index = new UidIndex(new State());
 * index.add({ type_name: "dcim.site", key: { slug: "fra1" }, attrs: {}, backend_id: 7 });
 * assert.equal(index.uid("dcim.site", 7), "8c998348-947f-568d-bbb0-efbed3c3f903");
 * ```
 */
export class UidIndex {
  readonly #state: State;
  readonly #added: Map<string, Map<string, Uid>> = new Map();

  /**
   * Starts an index over the request's state.
   *
   * @param state The read request's state.
   */
  constructor(state: State) {
    this.#state = state;
  }

  /**
   * Registers an object this read returns.
   *
   * @param object The object, with its key in uid space and its backend id.
   * @returns Its uid: the one state binds to its backend id, else its first-sight uid.
   */
  add(object: ExternalObject): Uid {
    const id = object.backend_id;
    const bound = id === undefined || id === null
      ? undefined
      : this.#state.uid(object.type_name, id);
    const uid = bound ?? objectUid(object.type_name, object.key);
    if (id !== undefined && id !== null) {
      let byId = this.#added.get(object.type_name);
      if (byId === undefined) this.#added.set(object.type_name, byId = new Map());
      byId.set(backendIdKey(id), uid);
    }
    return uid;
  }

  /**
   * The uid for a backend id of a type: state's binding, else an added object's uid.
   *
   * @param typeName The target type.
   * @param backendId The backend's id for the target.
   * @returns The uid, or `undefined` when neither state nor this read knows the id.
   */
  uid(typeName: string, backendId: BackendId): Uid | undefined {
    return this.#state.uid(typeName, backendId) ??
      this.#added.get(typeName)?.get(backendIdKey(backendId));
  }
}

/**
 * Uid → backend id during a write: state's binding first, then the ids this write assigned to
 * earlier ops (a create followed by an update of the same uid, or a ref to an object created
 * earlier in the same write, arrive without a `backend_id`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { State, WriteIds } from "@alembic-adapter/sdk";
 * const ids = new WriteIds(new State());
 * ids.bind("dcim.site", "8c998348-947f-568d-bbb0-efbed3c3f903", 7);
 * assert.equal(ids.require("dcim.site", "8c998348-947f-568d-bbb0-efbed3c3f903"), 7);
 * ```
 */
export class WriteIds {
  readonly #state: State;
  readonly #assigned: Map<string, Map<Uid, BackendId>> = new Map();

  /**
   * Starts with the write request's state.
   *
   * @param state The write request's state.
   */
  constructor(state: State) {
    this.#state = state;
  }

  /**
   * Records the id the backend gave a uid in this write.
   *
   * @param typeName The object's type.
   * @param uid The object's uid.
   * @param backendId The id the backend assigned.
   */
  bind(typeName: string, uid: Uid, backendId: BackendId): void {
    let byUid = this.#assigned.get(typeName);
    if (byUid === undefined) this.#assigned.set(typeName, byUid = new Map());
    byUid.set(uid, backendId);
  }

  /**
   * Records a create or update and builds its report entry, as {@linkcode applied} does.
   *
   * @param op The op that was applied.
   * @param backendId The object's backend id.
   * @returns The `applied` entry for the report.
   * @throws {TypeError} for the arguments {@linkcode applied} refuses; nothing is recorded then.
   */
  applied(op: Op, backendId: BackendId): AppliedOp {
    // Checked before binding: a refused id must not serve later refs of this write.
    const entry = applied(op, backendId);
    this.bind(op.type_name, op.uid, backendId);
    return entry;
  }

  /**
   * The backend id of a uid: the op's own `backend_id` is not consulted, only state and the
   * ids recorded so far.
   *
   * @param typeName The object's type.
   * @param uid The object's uid.
   * @returns The id, or `undefined` when nothing binds the uid yet.
   */
  backendId(typeName: string, uid: Uid): BackendId | undefined {
    return this.#assigned.get(typeName)?.get(uid) ?? this.#state.backendId(typeName, uid);
  }

  /**
   * Like {@linkcode WriteIds.backendId}, for a ref that must resolve.
   *
   * @param typeName The target's type.
   * @param uid The target's uid.
   * @returns The id.
   * @throws {Error} `no backend id for <type> <uid>: …`, naming both places looked in.
   */
  require(typeName: string, uid: Uid): BackendId {
    const id = this.backendId(typeName, uid);
    if (id === undefined) {
      throw new Error(
        `no backend id for ${typeName} ${uid}: state does not bind it and no earlier op of this write created it`,
      );
    }
    return id;
  }
}

/**
 * The attrs of a desired object with every ref leaf (`ref`, `list_ref`, and refs nested in
 * `list`/`map` fields) replaced by the target's backend id, ready to send to a backend. Values
 * of fields the schema does not declare, and `null`s, are copied as they are.
 *
 * @param typeSchema The object's type schema.
 * @param attrs The desired attrs (refs hold uids).
 * @param ids Where uids are looked up.
 * @returns A new attrs object; the input is not changed.
 * @throws {Error} when a ref names a uid nothing binds ({@linkcode WriteIds.require}).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backendRefs, State, WriteIds } from "@alembic-adapter/sdk";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * const schema = decodeSchema({ types: { "dcim.device": { key: { name: { type: "string" } },
 *   fields: { site: { type: "ref", target: "dcim.site" } } } } });
 * const ids = new WriteIds(new State({ "dcim.site": { "8c998348-947f-568d-bbb0-efbed3c3f903": 7 } }));
 * const attrs = backendRefs(
 *   schema.types["dcim.device"]!,
 *   { site: "8c998348-947f-568d-bbb0-efbed3c3f903" },
 *   ids,
 * );
 * assert.deepEqual(attrs, { site: 7 });
 * ```
 */
export function backendRefs(typeSchema: TypeSchema, attrs: JsonObject, ids: WriteIds): JsonObject {
  const leaf = backendLeaf(ids);
  const out: JsonObject = {};
  for (const name of Object.keys(attrs)) {
    const field = Object.hasOwn(typeSchema.fields, name) ? typeSchema.fields[name] : undefined;
    const value = attrs[name]!;
    setOwn(out, name, field === undefined ? value : mapRefs(field.type, value, leaf));
  }
  return out;
}

/** A uid, as `backendRefs` rewrites it: a string names a target, anything else stays. */
function backendLeaf(ids: WriteIds): RefLeaf {
  return (target, value) => typeof value === "string" ? ids.require(target, value) : value;
}

/**
 * A row as a backend returns it: ref fields still hold backend ids (a number, a string, or an
 * object with an `id`, such as NetBox's nested briefs), and the key fields are among `attrs`.
 *
 * @example
 * ```ts
 * import type { BackendRow } from "@alembic-adapter/sdk";
 * const row: BackendRow = {
 *   type_name: "dcim.interface",
 *   backend_id: 31,
 *   attrs: { device: { id: 7, name: "sw1" }, name: "eth0", mtu: 9000 },
 * };
 * ```
 */
export interface BackendRow {
  /** The row's type. */
  type_name: string;
  /** The backend's id for the row. */
  backend_id: BackendId;
  /** Every field, key fields included, with refs as backend ids. */
  attrs: JsonObject;
}

/**
 * The host's `resolve_ref_keyed_identity`: turns backend rows into read results whose refs and
 * keys are in uid space, also for types whose **key** holds a ref (an interface keyed by
 * `(device, name)`), whose uid depends on the uid of its target.
 *
 * Passes repeat until none makes progress. A row resolves once every ref-typed key field names
 * a backend id known to state or resolved earlier; its key is then read from its attrs (refs
 * rewritten to uids) and its uid is state's binding or `uid_v5(type, key_string(key))`. Rows
 * caught in a cycle of ref-typed keys keep backend ids in their refs. Finally every ref leaf in
 * every row's attrs is rewritten wherever the id is known, so row order does not matter.
 *
 * Read ref-keyed types in the same call as their targets: a target missing from both state and
 * the rows leaves the referring row unresolved. Key fields that are not also attribute fields
 * are left out of the result's `attrs`.
 *
 * @param rows The backend's rows, in any order.
 * @param schema The read request's schema.
 * @param state The read request's state.
 * @returns One result per row, in the rows' order.
 * @throws {Error} `missing key field <f>` for a resolvable row without one of its key fields,
 * or when a row's type is not in the schema.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveRefKeyedIdentity, State } from "@alembic-adapter/sdk";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * const schema = decodeSchema({ types: {
 *   "dcim.device": { key: { name: { type: "string" } }, fields: {} },
 *   "dcim.interface": {
 *     key: { device: { type: "ref", target: "dcim.device" }, name: { type: "string" } },
 *     fields: {},
 *   },
 * } });
 * const objects = resolveRefKeyedIdentity([
 *   { type_name: "dcim.interface", backend_id: 31, attrs: { device: { id: 7 }, name: "eth0" } },
 *   { type_name: "dcim.device", backend_id: 7, attrs: { name: "sw1" } },
 * ], schema, new State());
 * // The device ref in the interface's key holds the device's uid, not its backend id 7:
 * assert.deepEqual(objects[0]?.key, { device: "71f14d94-779f-5b19-a404-786883d432af", name: "eth0" });
 * ```
 */
export function resolveRefKeyedIdentity(
  rows: BackendRow[],
  schema: Schema,
  state: State,
): ExternalObject[] {
  const known = new Map<string, Map<string, Uid>>();
  const uidOf = (type: string, id: BackendId): Uid | undefined =>
    state.uid(type, id) ?? known.get(type)?.get(backendIdKey(id));
  const leaf = uidLeaf(uidOf);
  const typeOf = (row: BackendRow): TypeSchema => {
    if (!Object.hasOwn(schema.types, row.type_name)) {
      throw new Error(`type ${row.type_name} is not in the schema`);
    }
    return schema.types[row.type_name]!;
  };
  const keys: (Key | undefined)[] = rows.map(() => undefined);
  let progress = true;
  while (progress) {
    progress = false;
    rows.forEach((row, i) => {
      if (keys[i] !== undefined) return;
      const typeSchema = typeOf(row);
      const refKeys = Object.entries(typeSchema.key).filter(([, field]) =>
        fieldKind(field.type) === "ref"
      );
      const ready = refKeys.every(([f, field]) => {
        const id = Object.hasOwn(row.attrs, f) ? rowId(row.attrs[f]!) : undefined;
        return id !== undefined && uidOf(refTarget(field.type), id) !== undefined;
      });
      if (!ready) return;
      const key = buildKey(typeSchema, row.attrs, leaf);
      keys[i] = key;
      progress = true;
      // State wins: a binding it already has is never replaced by a derived uid.
      if (state.uid(row.type_name, row.backend_id) === undefined) {
        let byId = known.get(row.type_name);
        if (byId === undefined) known.set(row.type_name, byId = new Map());
        byId.set(backendIdKey(row.backend_id), objectUid(row.type_name, key));
      }
    });
  }
  return rows.map((row, i) => {
    const typeSchema = typeOf(row);
    const attrs: JsonObject = {};
    for (const name of Object.keys(row.attrs)) {
      const field = Object.hasOwn(typeSchema.fields, name) ? typeSchema.fields[name] : undefined;
      if (field === undefined && Object.hasOwn(typeSchema.key, name)) continue;
      const value = row.attrs[name]!;
      setOwn(attrs, name, field === undefined ? value : mapRefs(field.type, value, leaf));
    }
    return {
      type_name: row.type_name,
      key: keys[i] ?? buildKey(typeSchema, row.attrs, leaf),
      attrs,
      backend_id: row.backend_id,
    };
  });
}

type UidLookup = (type: string, id: BackendId) => Uid | undefined;

function buildKey(typeSchema: TypeSchema, attrs: JsonObject, leaf: RefLeaf): Key {
  const key: Key = {};
  for (const [name, field] of Object.entries(typeSchema.key)) {
    if (!Object.hasOwn(attrs, name)) throw new Error(`missing key field ${name}`);
    setOwn(key, name, mapRefs(field.type, attrs[name]!, leaf));
  }
  return key;
}

/** A value of a field of `type` with every ref leaf passed through `leaf`. */
function mapRefs(type: FieldType, value: JsonValue, leaf: RefLeaf): JsonValue {
  if (value === null) return value;
  switch (fieldKind(type)) {
    case "ref":
      return leaf(refTarget(type), value);
    case "list_ref":
      return Array.isArray(value) ? value.map((v) => leaf(refTarget(type), v)) : value;
    case "list":
      return Array.isArray(value) ? value.map((v) => mapRefs(inner(type), v, leaf)) : value;
    case "map":
      return mapValues(value, (v) => mapRefs(inner(type), v, leaf));
    default:
      return value;
  }
}

/** Rewrites one ref leaf, given the target type. */
type RefLeaf = (target: string, value: JsonValue) => JsonValue;

/** A backend id, as `resolveRefKeyedIdentity` rewrites it: a known id becomes its uid. */
function uidLeaf(uidOf: UidLookup): RefLeaf {
  return (target, value) => {
    const id = rowId(value);
    return (id === undefined ? undefined : uidOf(target, id)) ?? value;
  };
}

/** A backend id inside a raw value: a non-negative integer, a string, or an object's `id`. */
function rowId(value: JsonValue): BackendId | undefined {
  if (isBackendId(value)) return value;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const id = Object.hasOwn(value, "id") ? value.id : undefined;
    return isBackendId(id) ? id : undefined;
  }
  return undefined;
}

function refTarget(type: FieldType): string {
  return typeof type === "object" && "target" in type ? type.target : "";
}

function inner(type: FieldType): FieldType {
  if (typeof type === "object" && type.type === "list") return type.item;
  if (typeof type === "object" && type.type === "map") return type.value;
  return "json";
}

function mapValues(value: JsonValue, f: (v: JsonValue) => JsonValue): JsonValue {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) setOwn(out, k, f(value[k]!));
  return out;
}

/** Assigns as an own data property, so a key named `__proto__` stays a plain key. */
function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
