/**
 * What adapter methods answer with: observed objects, apply and provision reports, and the
 * capabilities probe's role.
 *
 * @module
 */

import { clip, describeValue } from "./errors.ts";
import type { Op } from "./ops.ts";
import type { Attrs, BackendId, Key, Uid } from "./values.ts";

/**
 * One object a read observed on the backend.
 *
 * Ref-typed fields, in `key` and in `attrs`, must hold the target's **uid**, never a backend
 * id. Report `backend_id` whenever the backend has one: without it the host cannot bind,
 * update or delete the object.
 *
 * @example
 * ```ts
 * import type { ExternalObject } from "@alembic-adapter/sdk";
 * const site: ExternalObject = {
 *   type_name: "dcim.site",
 *   key: { site: "fra1" },
 *   attrs: { name: "FRA1", slug: "fra1" },
 *   backend_id: 1,
 * };
 * ```
 */
export interface ExternalObject {
  /** The object's type. */
  type_name: string;
  /** Its key. */
  key: Key;
  /** Its attributes; `{}` when omitted. */
  attrs?: Attrs;
  /** The backend's id for it, when it has one. */
  backend_id?: BackendId | null;
}

/**
 * One op as applied. A create or update is reported **with** its backend id (the host binds
 * the uid to it); a delete **without** one (the host drops the binding). {@link applied} and
 * {@link deleted} build both.
 *
 * @example
 * ```ts
 * import type { AppliedOp } from "@alembic-adapter/sdk";
 * const done: AppliedOp = {
 *   uid: "11111111-1111-1111-1111-111111111111",
 *   type_name: "dcim.site",
 *   backend_id: 1,
 * };
 * ```
 */
export interface AppliedOp {
  /** The op's uid. */
  uid: Uid;
  /** The op's type name. */
  type_name: string;
  /** The backend id now bound to the uid; absent for a delete. */
  backend_id?: BackendId | null;
}

/**
 * The ten provisioning categories, each a list of free-form names (by convention `type` or
 * `type.field`). A category you set is sent even when empty; one you leave out is omitted.
 * `deleted_object_types` and `deleted_object_fields` are destructive: the host refuses to
 * provision them without `--allow-delete`, so `previewSchema` must list them.
 *
 * @example
 * ```ts
 * import type { ProvisionReport } from "@alembic-adapter/sdk";
 * const report: ProvisionReport = {
 *   created_object_types: ["dcim.site"],
 *   created_object_fields: ["dcim.site.name"],
 * };
 * ```
 */
export interface ProvisionReport {
  /** Custom fields created. */
  created_fields?: string[];
  /** Existing custom fields converged to their declaration. */
  updated_fields?: string[];
  /** Tags created. */
  created_tags?: string[];
  /** Object types created. */
  created_object_types?: string[];
  /** Object fields created. */
  created_object_fields?: string[];
  /** Existing object fields converged to their declaration. */
  updated_object_fields?: string[];
  /** Object types deprecated. */
  deprecated_object_types?: string[];
  /** Object fields deprecated. */
  deprecated_object_fields?: string[];
  /** Object types deleted (destructive). */
  deleted_object_types?: string[];
  /** Object fields deleted (destructive). */
  deleted_object_fields?: string[];
}

/**
 * Every {@link ProvisionReport} category, in the protocol's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROVISION_CATEGORIES } from "@alembic-adapter/sdk";
 * assert.equal(PROVISION_CATEGORIES.length, 10);
 * ```
 */
export const PROVISION_CATEGORIES: readonly (keyof ProvisionReport)[] = [
  "created_fields",
  "updated_fields",
  "created_tags",
  "created_object_types",
  "created_object_fields",
  "updated_object_fields",
  "deprecated_object_types",
  "deprecated_object_fields",
  "deleted_object_types",
  "deleted_object_fields",
];

/**
 * What a write did.
 *
 * @example
 * ```ts
 * import type { ApplyReport } from "@alembic-adapter/sdk";
 * const report: ApplyReport = {
 *   applied: [{ uid: "11111111-1111-1111-1111-111111111111", type_name: "dcim.site", backend_id: 1 }],
 *   provision: { created_tags: ["edge"] },
 * };
 * ```
 */
export interface ApplyReport {
  /** The ops applied by this call, in order. Ops not listed leave state untouched. */
  applied: AppliedOp[];
  /** Ops an earlier, interrupted run of the same plan applied. */
  resumed?: AppliedOp[];
  /** Informational: how many ops earlier runs had applied. */
  previously_applied_count?: number | bigint;
  /** Provisioning only the ops revealed, such as tags created on the fly. */
  provision?: ProvisionReport;
}

/**
 * What the host may ask of the adapter: `adapter` reads and writes, `observer` only reads,
 * `emitter` only writes.
 *
 * @example
 * ```ts
 * import type { Role } from "@alembic-adapter/sdk";
 * const role: Role = "observer";
 * ```
 */
export type Role = "adapter" | "observer" | "emitter";

/**
 * The capabilities probe's answer. `role` defaults to `adapter`.
 *
 * @example
 * ```ts
 * import type { Capabilities } from "@alembic-adapter/sdk";
 * const caps: Capabilities = { role: "emitter" };
 * ```
 */
export interface Capabilities {
  /** The adapter's role. */
  role?: Role;
}

/**
 * Reports a create or an update as applied, bound to `backendId`.
 *
 * Both arguments are checked here, where they are given, so an adapter that calls this before
 * committing its backend change fails before the change rather than after it, when the SDK
 * would refuse the report.
 *
 * @param op The create or update that was applied.
 * @param backendId The id the backend holds the object under: a non-negative safe integer, a
 * `bigint` up to 2^64−1, or a non-empty string.
 * @returns The entry for {@link ApplyReport.applied}.
 * @throws {TypeError} when `op` is not an op of a write request, when it is a delete (report
 * that with {@link deleted}), or when `backendId` is not a backend id (`NaN`, `Infinity`, a
 * fraction, a negative or unsafe number, `""`, a bigint out of range, anything else); the
 * message names which.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applied, type Create } from "@alembic-adapter/sdk";
 * const op: Create = {
 *   op: "create",
 *   uid: "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
 *   type_name: "dcim.site",
 *   desired: { uid: "065690e9-7b8d-5a15-acc8-a6db4c42efb5", type: "dcim.site", key: { site: "fra1" }, attrs: {} },
 * };
 * assert.deepEqual(applied(op, 42), {
 *   uid: "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
 *   type_name: "dcim.site",
 *   backend_id: 42,
 * });
 * assert.throws(() => applied(op, Number.NaN), TypeError);
 * ```
 */
export function applied(op: Op, backendId: BackendId): AppliedOp {
  const tag = opTag(op, "applied(op, backendId)");
  if (tag === "delete") {
    throw new TypeError(
      `applied(op, backendId): op is a delete of ${
        clip(op.type_name)
      } ${op.uid}: report a delete with deleted(op), without a backend id`,
    );
  }
  const problem = backendIdProblem(backendId);
  if (problem !== undefined) {
    throw new TypeError(
      `applied(op, backendId): the backend id of ${
        clip(op.type_name)
      } ${op.uid} ${problem}: pass the id the backend holds the object under (a non-negative safe integer, a bigint up to 2^64-1, or a non-empty string)`,
    );
  }
  return { uid: op.uid, type_name: op.type_name, backend_id: backendId };
}

/**
 * Reports a delete as applied: without a backend id, which tells the host to drop the mapping.
 *
 * @param op The delete that was applied (or found already done).
 * @returns The entry for {@link ApplyReport.applied}.
 * @throws {TypeError} when `op` is not an op of a write request, or is a create or an update
 * (report those with {@link applied} and their backend id).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Delete, deleted } from "@alembic-adapter/sdk";
 * const op: Delete = {
 *   op: "delete",
 *   uid: "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
 *   type_name: "dcim.site",
 *   key: { site: "fra1" },
 *   backend_id: 7,
 * };
 * assert.deepEqual(deleted(op), { uid: "065690e9-7b8d-5a15-acc8-a6db4c42efb5", type_name: "dcim.site" });
 * ```
 */
export function deleted(op: Op): AppliedOp {
  const tag = opTag(op, "deleted(op)");
  if (tag !== "delete") {
    throw new TypeError(
      `deleted(op): op is ${tag === "create" ? "a create" : "an update"} of ${
        clip(op.type_name)
      } ${op.uid}: report a create or an update with applied(op, backendId)`,
    );
  }
  return { uid: op.uid, type_name: op.type_name };
}

/** The op's tag, after checking that `op` has the members a report entry is made of. */
function opTag(op: unknown, call: string): Op["op"] {
  if (typeof op !== "object" || op === null) {
    throw new TypeError(`${call}: op must be an op of the write request, got ${describeValue(op)}`);
  }
  const { op: tag, uid, type_name: typeName } = op as Record<string, unknown>;
  if (tag !== "create" && tag !== "update" && tag !== "delete") {
    throw new TypeError(
      `${call}: op must be an op of the write request, got an object whose \`op\` is ${
        describeValue(tag)
      }, not create, update or delete`,
    );
  }
  // Only the member's type: whether it is a UUID is the encoder's to say, once per entry.
  if (typeof uid !== "string") {
    throw new TypeError(
      `${call}: op must be an op of the write request, got a ${tag} whose uid is ${
        describeValue(uid)
      }`,
    );
  }
  if (typeof typeName !== "string" || typeName === "") {
    throw new TypeError(
      `${call}: op must be an op of the write request, got a ${tag} whose type_name is ${
        describeValue(typeName)
      }`,
    );
  }
  return tag;
}

/** What is wrong with a backend id, as the end of "the backend id … is …"; none for a good one. */
function backendIdProblem(id: unknown): string | undefined {
  switch (typeof id) {
    case "string":
      return id === "" ? "is an empty string" : undefined;
    case "number":
      if (Number.isNaN(id)) return "is NaN";
      if (!Number.isFinite(id)) return `is ${id}`;
      if (!Number.isInteger(id)) return `is ${id}, not an integer`;
      if (id < 0) return `is ${id}, a negative number`;
      if (!Number.isSafeInteger(id)) {
        return `is ${id}, beyond 2^53-1 where a number stops holding integers exactly (use a bigint or a string)`;
      }
      return undefined;
    case "bigint":
      if (id < 0n) return `is ${id}n, a negative bigint`;
      if (id > 0xffff_ffff_ffff_ffffn) return `is ${id}n, beyond 2^64-1`;
      return undefined;
    default:
      return `is ${describeValue(id)}, not a number, bigint or string`;
  }
}
