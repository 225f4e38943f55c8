/**
 * Builders for requests as the host sends them, so a test reads like the host's side of the
 * conversation. Every builder returns plain wire JSON; send it with `invoke` or `spawnAdapter`.
 *
 * @module
 */

import { keyString, objectUid } from "../identity/uids.ts";
import type { JsonObject, JsonValue } from "../wire/json.ts";
import type { FieldChange } from "../wire/ops.ts";
import { PROTOCOL_VERSION } from "../wire/request.ts";
import type { FieldKind, FieldSchemaInput, Schema } from "../wire/schema.ts";
import type { NarrowedScope } from "../wire/scope.ts";
import { State, type StateMappings } from "../wire/state.ts";
import type { BackendId, Key, Uid } from "../wire/values.ts";

/**
 * A field in a {@linkcode schemaOf} spec: a kind name, or a whole field schema.
 *
 * @example
 * ```ts
 * import type { FieldSpec } from "@alembic-adapter/sdk/testing";
 * const name: FieldSpec = "string";
 * const site: FieldSpec = { type: "ref", target: "dcim.site", required: true };
 * ```
 */
export type FieldSpec = FieldKind | FieldSchemaInput;

/**
 * A type in a {@linkcode schemaOf} spec; `key` and `fields` default to `{}`.
 *
 * @example
 * ```ts
 * import type { TypeSpec } from "@alembic-adapter/sdk/testing";
 * const device: TypeSpec = { key: { name: "string" }, fields: { site: { type: "ref", target: "dcim.site" } } };
 * ```
 */
export interface TypeSpec {
  /** Key fields. */
  key?: Record<string, FieldSpec>;
  /** Attribute fields. */
  fields?: Record<string, FieldSpec>;
}

/**
 * A schema as the host writes it (either field spelling; a decoded `Schema` fits too).
 *
 * @example
 * ```ts
 * import { schemaOf, type WireSchema } from "@alembic-adapter/sdk/testing";
 * const schema: WireSchema = schemaOf({ "dcim.site": { key: { slug: "slug" } } });
 * ```
 */
export interface WireSchema {
  /** Type schemas by name. */
  types: Record<
    string,
    { key: Record<string, FieldSchemaInput>; fields: Record<string, FieldSchemaInput> }
  >;
}

/**
 * A schema from a compact spec: a field is a kind name (`"slug"`) or a field schema in either
 * spelling (`{ type: "ref", target: "dcim.site", required: true }`).
 *
 * @param spec Types by name.
 * @returns The wire schema.
 * @example
 * ```ts
 * import { schemaOf } from "@alembic-adapter/sdk/testing";
 * const schema = schemaOf({
 *   "dcim.site": { key: { slug: "slug" }, fields: { name: { type: "string", required: true } } },
 * });
 * ```
 */
export function schemaOf(spec: Record<string, TypeSpec>): WireSchema {
  const field = (f: FieldSpec): FieldSchemaInput => typeof f === "string" ? { type: f } : f;
  const fields = (map: Record<string, FieldSpec> = {}): Record<string, FieldSchemaInput> =>
    Object.fromEntries(Object.entries(map).map(([name, f]) => [name, field(f)]));
  // fromEntries defines own properties, so a type named `__proto__` stays a type.
  return {
    types: Object.fromEntries(
      Object.entries(spec).map((
        [name, t],
      ) => [name, { key: fields(t.key), fields: fields(t.fields) }]),
    ),
  };
}

/**
 * The request JSON the builders produce.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { request, type RequestJson, schemaOf } from "@alembic-adapter/sdk/testing";
 * const read: RequestJson = request.read({ schema: schemaOf({ "dcim.site": { key: { slug: "slug" } } }) });
 * assert.equal(read.method, "read");
 * ```
 */
export interface RequestJson {
  /** The protocol version (1). */
  version: number;
  /** The backend config's `setup` block. */
  setup: JsonValue;
  /** The method's wire name. */
  method: string;
  /** The method's members. */
  [member: string]: unknown;
}

/**
 * What a request's state may be given as: a `State`, or its mappings.
 *
 * @example
 * ```ts
 * import { State } from "@alembic-adapter/sdk";
 * import type { StateLike } from "@alembic-adapter/sdk/testing";
 * const mappings: StateLike = { "dcim.site": { "8c998348-947f-568d-bbb0-efbed3c3f903": 7 } };
 * const state: StateLike = new State(mappings);
 * ```
 */
export type StateLike = State | StateMappings;

/**
 * Members common to the builders.
 *
 * @example
 * ```ts
 * import { request, type RequestOptions } from "@alembic-adapter/sdk/testing";
 * const options: RequestOptions = { setup: { endpoint: "https://backend.example" } };
 * request.capabilities(options);
 * ```
 */
export interface RequestOptions {
  /** The `setup` block; `{}` by default. */
  setup?: JsonValue;
}

/**
 * Members of a read request; `types` defaults to every type of the schema.
 *
 * @example
 * ```ts
 * import { type ReadOptions, request, schemaOf, scope } from "@alembic-adapter/sdk/testing";
 * const options: ReadOptions = {
 *   schema: schemaOf({ "dcim.site": { key: { slug: "slug" } } }),
 *   types: ["dcim.site"],
 *   scope: scope.narrowed({ keys: { "dcim.site": [{ slug: "fra1" }] } }),
 * };
 * request.read(options);
 * ```
 */
export interface ReadOptions extends RequestOptions {
  /** The schema. */
  schema: WireSchema | Schema;
  /** The types to read. */
  types?: string[];
  /** State; empty by default. */
  state?: StateLike;
  /** The optional scope hint (see {@linkcode scope}). */
  scope?: JsonValue | NarrowedScope | { kind: "full" };
}

/**
 * Members of a write request.
 *
 * @example
 * ```ts
 * import { op, request, schemaOf, type WriteOptions } from "@alembic-adapter/sdk/testing";
 * const options: WriteOptions = {
 *   schema: schemaOf({ "dcim.site": { key: { slug: "slug" } } }),
 *   ops: [op.create("dcim.site", { slug: "fra1" })],
 * };
 * request.write(options);
 * ```
 */
export interface WriteOptions extends RequestOptions {
  /** The schema. */
  schema: WireSchema | Schema;
  /** The ops, in order (see {@linkcode op}). */
  ops: JsonObject[];
  /** State; empty by default. */
  state?: StateLike;
}

/**
 * Members of an `ensure_schema` or `preview_schema` request.
 *
 * @example
 * ```ts
 * import { request, schemaOf, type SchemaOptions } from "@alembic-adapter/sdk/testing";
 * const options: SchemaOptions = { schema: schemaOf({ "dcim.site": { key: { slug: "slug" } } }) };
 * request.previewSchema(options);
 * ```
 */
export interface SchemaOptions extends RequestOptions {
  /** The schema. */
  schema: WireSchema | Schema;
}

/**
 * The request builders, one per method.
 *
 * @example
 * ```ts
 * import { request, type RequestBuilders } from "@alembic-adapter/sdk/testing";
 * const builders: RequestBuilders = request;
 * builders.capabilities();
 * ```
 */
export interface RequestBuilders {
  /** A `capabilities` request. */
  capabilities(options?: RequestOptions): RequestJson;
  /** A `read` request. */
  read(options: ReadOptions): RequestJson;
  /** A `write` request. */
  write(options: WriteOptions): RequestJson;
  /** An `ensure_schema` request. */
  ensureSchema(options: SchemaOptions): RequestJson;
  /** A `preview_schema` request. */
  previewSchema(options: SchemaOptions): RequestJson;
}

const base = (method: string, options: RequestOptions = {}): RequestJson => ({
  version: PROTOCOL_VERSION,
  setup: options.setup ?? {},
  method,
});

const stateJson = (state: StateLike = {}): { mappings: StateMappings } => ({
  mappings: state instanceof State ? state.mappings : state,
});

/**
 * Requests as the host sends them.
 *
 * @example
 * ```ts
 * import { op, request, schemaOf } from "@alembic-adapter/sdk/testing";
 * const schema = schemaOf({ "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } } });
 * const read = request.read({ schema });
 * const write = request.write({ schema, ops: [op.create("dcim.site", { slug: "fra1" }, { name: "FRA1" })] });
 * ```
 */
export const request: RequestBuilders = {
  capabilities: (options) => base("capabilities", options),
  read: (options) => {
    const out: RequestJson = {
      ...base("read", options),
      schema: options.schema,
      types: options.types ?? Object.keys(options.schema.types),
      state: stateJson(options.state),
    };
    if (options.scope !== undefined) out.scope = options.scope;
    return out;
  },
  write: (options) => ({
    ...base("write", options),
    schema: options.schema,
    ops: options.ops,
    state: stateJson(options.state),
  }),
  ensureSchema: (options) => ({ ...base("ensure_schema", options), schema: options.schema }),
  previewSchema: (options) => ({ ...base("preview_schema", options), schema: options.schema }),
};

/**
 * Options of {@linkcode op}'s builders.
 *
 * @example
 * ```ts
 * import { op, type OpOptions } from "@alembic-adapter/sdk/testing";
 * const options: OpOptions = { backendId: 7 };
 * op.delete("dcim.site", { slug: "fra1" }, options);
 * ```
 */
export interface OpOptions {
  /** The uid; by default the first-sight uid of the type and key. */
  uid?: Uid;
  /** The backend id (update and delete only). */
  backendId?: BackendId;
  /** The plan's field changes (update only); `[]` by default. */
  changes?: FieldChange[];
}

/**
 * The op builders.
 *
 * @example
 * ```ts
 * import { op, type OpBuilders } from "@alembic-adapter/sdk/testing";
 * const builders: OpBuilders = op;
 * builders.create("dcim.site", { slug: "fra1" }, { name: "FRA1" });
 * ```
 */
export interface OpBuilders {
  /** A create of the object `(typeName, key)` with these attrs. */
  create(typeName: string, key: Key, attrs?: JsonObject, options?: OpOptions): JsonObject;
  /** An update of the object to these attrs (the whole desired attrs). */
  update(typeName: string, key: Key, attrs: JsonObject, options?: OpOptions): JsonObject;
  /** A delete of the object. */
  delete(typeName: string, key: Key, options?: OpOptions): JsonObject;
}

const desired = (typeName: string, uid: Uid, key: Key, attrs: JsonObject): JsonObject => ({
  uid,
  type: typeName,
  key,
  attrs,
});

const withId = (op: JsonObject, options: OpOptions): JsonObject => {
  if (options.backendId !== undefined) op.backend_id = options.backendId;
  return op;
};

/**
 * Ops as a plan holds them. The uid defaults to `uid_v5(type, key_string(key))`, the one the
 * host gives an object it has not bound yet.
 *
 * @example
 * ```ts
 * import { op } from "@alembic-adapter/sdk/testing";
 * const ops = [
 *   op.create("dcim.site", { slug: "fra1" }, { name: "FRA1" }),
 *   op.update("dcim.site", { slug: "ams1" }, { name: "AMS1" }, { backendId: 2 }),
 *   op.delete("dcim.site", { slug: "old" }, { backendId: 3 }),
 * ];
 * ```
 */
export const op: OpBuilders = {
  create: (typeName, key, attrs = {}, options = {}) => {
    const uid = options.uid ?? objectUid(typeName, key);
    return { op: "create", uid, type_name: typeName, desired: desired(typeName, uid, key, attrs) };
  },
  update: (typeName, key, attrs, options = {}) => {
    const uid = options.uid ?? objectUid(typeName, key);
    return withId({
      op: "update",
      uid,
      type_name: typeName,
      desired: desired(typeName, uid, key, attrs),
      changes: (options.changes ?? []) as unknown as JsonValue[],
    }, options);
  },
  delete: (typeName, key, options = {}) => {
    const uid = options.uid ?? objectUid(typeName, key);
    return withId({ op: "delete", uid, type_name: typeName, key }, options);
  },
};

/**
 * State that binds objects the backend already holds: each object's first-sight uid to its
 * backend id, as the host's state looks after it adopted them.
 *
 * @param objects Objects with a type, a key and a backend id.
 * @returns The mappings, for a request's `state`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stateFor } from "@alembic-adapter/sdk/testing";
 * const state = stateFor([{ type_name: "dcim.site", key: { slug: "fra1" }, backend_id: 1 }]);
 * assert.deepEqual(state, { "dcim.site": { "8c998348-947f-568d-bbb0-efbed3c3f903": 1 } });
 * ```
 */
export function stateFor(
  objects: Array<{ type_name: string; key: Key; backend_id: BackendId }>,
): StateMappings {
  const byType = new Map<string, Array<[Uid, BackendId]>>();
  for (const o of objects) {
    const pairs = byType.get(o.type_name) ?? [];
    pairs.push([objectUid(o.type_name, o.key), o.backend_id]);
    byType.set(o.type_name, pairs);
  }
  return Object.fromEntries([...byType].map(([type, pairs]) => [type, Object.fromEntries(pairs)]));
}

/**
 * The scope builders.
 *
 * @example
 * ```ts
 * import { scope, type ScopeBuilders } from "@alembic-adapter/sdk/testing";
 * const builders: ScopeBuilders = scope;
 * builders.full();
 * ```
 */
export interface ScopeBuilders {
  /** `{"kind":"full"}`. */
  full(): { kind: "full" };
  /** A narrowed scope; each key gets its canonical string. */
  narrowed(names: {
    keys?: Record<string, Key[]>;
    backendIds?: Record<string, BackendId[]>;
    unnarrowed?: string[];
  }): NarrowedScope;
}

/**
 * Read scopes, as pre-0.10 hosts sent them.
 *
 * @example
 * ```ts
 * import { scope } from "@alembic-adapter/sdk/testing";
 * const hint = scope.narrowed({ keys: { "dcim.site": [{ slug: "fra1" }] }, backendIds: { "dcim.site": [1] } });
 * ```
 */
export const scope: ScopeBuilders = {
  full: () => ({ kind: "full" }),
  narrowed: (names) => ({
    kind: "narrowed",
    backend_ids: names.backendIds ?? {},
    keys: Object.fromEntries(
      Object.entries(names.keys ?? {}).map((
        [type, keys],
      ) => [type, keys.map((key) => ({ key, canonical: keyString(key) }))]),
    ),
    unnarrowed: names.unnarrowed ?? [],
  }),
};
