/**
 * What `applyOps` hands every per-op function: ref resolution over state, the journal and the
 * ops applied so far, with a missing target thrown as the retryable {@linkcode MissingRef}.
 *
 * @module
 */

import { backendRefs, WriteIds } from "../identity/refs.ts";
import type { JsonObject } from "../wire/json.ts";
import type { Create, Op, Update } from "../wire/ops.ts";
import type { Schema, TypeSchema } from "../wire/schema.ts";
import { State } from "../wire/state.ts";
import type { BackendId, Uid } from "../wire/values.ts";
import { MissingRef } from "./retry.ts";

/** `WriteIds` whose `require` failure is retryable. */
class ApplyIds extends WriteIds {
  override require(typeName: string, uid: Uid): BackendId {
    const id = this.backendId(typeName, uid);
    if (id === undefined) throw new MissingRef(typeName, uid);
    return id;
  }
}

/**
 * The second argument of every per-op function of `applyOps`. Its ids know state's bindings,
 * the ops an earlier run of the same plan applied (from the journal), and the ops this write
 * applied so far; a ref none of them binds throws {@linkcode MissingRef}, which sets the op
 * aside until the others are through.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { State } from "@alembic-adapter/sdk";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * import { ApplyContext } from "@alembic-adapter/sdk/apply";
 * const schema = decodeSchema({ types: { "dcim.device": { key: { name: { type: "string" } },
 *   fields: { site: { type: "ref", target: "dcim.site" } } } } });
 * const site = "8c998348-947f-568d-bbb0-efbed3c3f903";
 * const ctx = new ApplyContext(schema, new State({ "dcim.site": { [site]: 7 } }));
 * const uid = "11111111-1111-1111-1111-111111111111";
 * const op = { op: "create" as const, uid, type_name: "dcim.device",
 *   desired: { uid, type: "dcim.device", key: { name: "sw1" }, attrs: { site } } };
 * assert.deepEqual(ctx.backendAttrs(op), { site: 7 });
 * ```
 */
export class ApplyContext {
  /** The write's schema. */
  readonly schema: Schema;
  /** The write's state, as the host sent it. */
  readonly state: State;
  /**
   * Uid → backend id: state, then the journal and this write. Its `require` throws
   * {@linkcode MissingRef}; pass it to `backendRefs` for your own ref rewriting.
   */
  readonly ids: WriteIds;

  /**
   * Starts with state's bindings; `applyOps` adds the journal's and each applied op's.
   *
   * @param schema The write's schema.
   * @param state The write's state.
   */
  constructor(schema: Schema, state: State) {
    this.schema = schema;
    this.state = state;
    this.ids = new ApplyIds(state);
  }

  /**
   * The backend id of a uid, when something binds it yet.
   *
   * @param typeName The object's type.
   * @param uid The object's uid.
   * @returns The id, or `undefined`.
   */
  backendId(typeName: string, uid: Uid): BackendId | undefined {
    return this.ids.backendId(typeName, uid);
  }

  /**
   * The backend id of a ref's target.
   *
   * @param typeName The target's type.
   * @param uid The target's uid.
   * @returns The id.
   * @throws {MissingRef} When nothing binds the uid yet (retryable).
   */
  require(typeName: string, uid: Uid): BackendId {
    return this.ids.require(typeName, uid);
  }

  /**
   * `desired.attrs` with every ref leaf (`ref`, `list_ref`, refs inside `list` and `map`
   * fields) replaced by the target's backend id, ready to send.
   *
   * @param op A create or update.
   * @returns A new attrs object.
   * @throws {MissingRef} When a target has no backend id yet (retryable).
   */
  backendAttrs(op: Create | Update): JsonObject {
    return backendRefs(this.#typeSchema(op), op.desired.attrs, this.ids);
  }

  /**
   * The op's key (`desired.key`, or a delete's `key`) with ref-typed key fields as backend
   * ids, for looking the object up on the backend.
   *
   * @param op Any op.
   * @returns A new key object.
   * @throws {MissingRef} When a target has no backend id yet (retryable).
   */
  backendKey(op: Op): JsonObject {
    const key = op.op === "delete" ? op.key : op.desired.key;
    return backendRefs(keyFields(this.#typeSchema(op)), key, this.ids);
  }

  #typeSchema(op: Op): TypeSchema {
    return typeSchemaOf(this.schema, op);
  }
}

/** The type schema of an op's type; a type the schema lacks is the caller's bug, not a wait. */
function typeSchemaOf(schema: Schema, op: Op): TypeSchema {
  if (!Object.hasOwn(schema.types, op.type_name)) {
    throw new Error(`type ${op.type_name} is not in the write's schema`);
  }
  return schema.types[op.type_name]!;
}

/** The key fields posing as attribute fields, so `backendRefs` rewrites a key. */
function keyFields(typeSchema: TypeSchema): TypeSchema {
  return { key: {}, fields: typeSchema.key };
}

/** Hears every ref leaf `backendRefs` would resolve, and resolves none. */
class RefProbe extends WriteIds {
  readonly #heard: (typeName: string, uid: Uid) => void;

  constructor(heard: (typeName: string, uid: Uid) => void) {
    super(new State());
    this.#heard = heard;
  }

  override require(typeName: string, uid: Uid): BackendId {
    this.#heard(typeName, uid);
    return 0;
  }
}

/**
 * Every ref target of a create or update, in key and attrs, as `[type, uid]`; none for a
 * delete or a type the schema lacks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * import { refTargets } from "./context.ts";
 * const schema = decodeSchema({ types: { "dcim.device": { key: {},
 *   fields: { site: { type: "ref", target: "dcim.site" } } } } });
 * const uid = "11111111-1111-1111-1111-111111111111";
 * const targets = refTargets(schema, { op: "create", uid, type_name: "dcim.device",
 *   desired: { uid, type: "dcim.device", key: {}, attrs: { site: uid } } });
 * assert.deepEqual(targets, [["dcim.site", "11111111-1111-1111-1111-111111111111"]]);
 * ```
 */
export function refTargets(schema: Schema, op: Op): Array<[string, Uid]> {
  if (op.op === "delete" || !Object.hasOwn(schema.types, op.type_name)) return [];
  const typeSchema = schema.types[op.type_name]!;
  const targets: Array<[string, Uid]> = [];
  const probe = new RefProbe((typeName, uid) => targets.push([typeName, uid]));
  backendRefs(keyFields(typeSchema), op.desired.key, probe);
  backendRefs(typeSchema, op.desired.attrs, probe);
  return targets;
}
