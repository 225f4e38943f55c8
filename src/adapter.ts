/**
 * The adapter API: the methods an adapter may implement, the `Adapter` base class with the
 * protocol's defaults, and the role an adapter plays when it does not say.
 *
 * @module
 */

import type { JsonValue } from "./wire/json.ts";
import type { Op } from "./wire/ops.ts";
import type {
  ApplyReport,
  Capabilities,
  ExternalObject,
  ProvisionReport,
  Role,
} from "./wire/results.ts";
import type { Schema } from "./wire/schema.ts";
import type { ReadScope } from "./wire/scope.ts";
import type { State } from "./wire/state.ts";

/**
 * A value, or a promise of it: every adapter method may be sync or async.
 *
 * @example
 * ```ts
 * import type { MaybePromise } from "@alembic-adapter/sdk";
 * const now: MaybePromise<number> = 1;
 * const later: MaybePromise<number> = Promise.resolve(1);
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What an adapter may implement; every method is optional and may be sync or async. Pass a
 * plain object with the methods you need, or subclass {@link Adapter}.
 *
 * Methods are camelCase; the wire names (`ensure_schema`, `preview_schema`) stay the
 * protocol's. Throwing (or rejecting) answers `{"ok":false,"error":<message>}`; the message
 * includes the `cause` chain.
 *
 * @example
 * ```ts
 * import { type AdapterMethods, run } from "@alembic-adapter/sdk";
 * const observer: AdapterMethods = {
 *   read: (_schema, types) =>
 *     types.includes("dcim.site")
 *       ? [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: {}, backend_id: 1 }]
 *       : [],
 * };
 * if (import.meta.main) run(observer); // serve under `deno run`; importing it serves nothing
 * ```
 */
export interface AdapterMethods {
  /**
   * Receives the backend config's `setup` block (`null` when there is none) before every
   * method, capabilities included. A throw answers `invalid setup: <message>`.
   */
  setup?(config: JsonValue): MaybePromise<void>;
  /** The role. Without it, the role follows from which of `read` and `write` exist. */
  capabilities?(): MaybePromise<Capabilities>;
  /**
   * Observes the objects of `types` on the backend. Ref-typed fields must hold uids. `scope`
   * is the advisory narrowing hint, present only when the host sent one.
   */
  read?(
    schema: Schema,
    types: string[],
    state: State,
    scope?: ReadScope,
  ): MaybePromise<ExternalObject[]>;
  /** Applies `ops` in order and reports each applied op. */
  write?(schema: Schema, ops: Op[], state: State): MaybePromise<ApplyReport>;
  /**
   * `false` for a writer whose backend has no ids (an emitter that writes files): its creates
   * and updates are then reported without a backend id, and the SDK does not warn about that.
   * Absent or `true`, a create or update reported without one is warned about on stderr,
   * because alembic then keeps no binding for the object.
   */
  readonly assignsBackendIds?: boolean;
  /** Provisions the backend for `schema` and reports what changed. */
  ensureSchema?(schema: Schema): MaybePromise<ProvisionReport>;
  /** Reports what `ensureSchema` would do, writing nothing; `null` means "cannot preview". */
  previewSchema?(schema: Schema): MaybePromise<ProvisionReport | null>;
}

/** The error text of a write the adapter does not implement. */
export const WRITE_NOT_IMPLEMENTED = "adapter does not implement write";

/**
 * A base class with the protocol's defaults, for adapters written as classes. Override what
 * your backend supports:
 *
 * | method | default |
 * |---|---|
 * | `setup` | does nothing |
 * | `capabilities` | the role your overrides imply: `read` only → `observer`, `write` only → `emitter`, otherwise `adapter` |
 * | `read` | `[]` (emit-only adapters and hosts older than `capabilities` rely on it) |
 * | `write` | fails with `adapter does not implement write` |
 * | `ensureSchema` | the empty report `{}` |
 * | `previewSchema` | the empty report `{}` (return `null` to say "cannot preview") |
 * | `assignsBackendIds` | `true`: creates and updates are reported with their backend id |
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Adapter, applied, type ApplyReport, type Op, run, type Schema, type State } from "@alembic-adapter/sdk";
 *
 * class Emitter extends Adapter {
 *   override write(_schema: Schema, ops: Op[], _state: State): ApplyReport {
 *     return { applied: ops.map((op, i) => applied(op, i + 1)) };
 *   }
 * }
 * assert.deepEqual(await new Emitter().capabilities(), { role: "emitter" }); // write only
 * if (import.meta.main) run(new Emitter()); // serve under `deno run`; importing it serves nothing
 * ```
 */
export class Adapter implements AdapterMethods {
  /**
   * Whether the backend gives the objects it writes ids. Override it with `false` for an
   * emitter that writes files, so creates and updates reported without an id draw no warning.
   */
  readonly assignsBackendIds: boolean = true;

  /**
   * Receives the `setup` block before every method. Does nothing by default.
   *
   * @param _config The backend config's `setup` block, or `null`.
   */
  setup(_config: JsonValue): MaybePromise<void> {}

  /**
   * The role implied by the methods this class overrides.
   *
   * @returns `{ role }`.
   */
  capabilities(): MaybePromise<Capabilities> {
    return { role: impliedRole(this) };
  }

  /**
   * Observes nothing by default.
   *
   * @param _schema The inventory schema.
   * @param _types The types to read.
   * @param _state The host's state.
   * @param _scope The advisory narrowing hint, when the host sent one.
   * @returns `[]`.
   */
  read(
    _schema: Schema,
    _types: string[],
    _state: State,
    _scope?: ReadScope,
  ): MaybePromise<ExternalObject[]> {
    return [];
  }

  /**
   * Fails by default: `adapter does not implement write`.
   *
   * @param _schema The plan's schema.
   * @param _ops The ops to apply.
   * @param _state The host's state.
   * @returns Never.
   */
  write(_schema: Schema, _ops: Op[], _state: State): MaybePromise<ApplyReport> {
    throw new Error(WRITE_NOT_IMPLEMENTED);
  }

  /**
   * Provisions nothing by default.
   *
   * @param _schema The schema to provision.
   * @returns `{}`.
   */
  ensureSchema(_schema: Schema): MaybePromise<ProvisionReport> {
    return {};
  }

  /**
   * Previews nothing by default.
   *
   * @param _schema The schema to preview.
   * @returns `{}`.
   */
  previewSchema(_schema: Schema): MaybePromise<ProvisionReport | null> {
    return {};
  }
}

/**
 * The role an adapter's methods imply: `observer` when it reads but does not write, `emitter`
 * when it writes but does not read, `adapter` otherwise. Methods inherited unchanged from
 * {@link Adapter} do not count.
 *
 * @param adapter A plain object or an {@link Adapter}.
 * @returns The implied role.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { impliedRole } from "@alembic-adapter/sdk/codec";
 * assert.equal(impliedRole({ read: () => [] }), "observer");
 * ```
 */
export function impliedRole(adapter: AdapterMethods): Role {
  const reads = overrides(adapter, "read");
  const writes = overrides(adapter, "write");
  if (reads && !writes) return "observer";
  if (writes && !reads) return "emitter";
  return "adapter";
}

/** Whether the adapter has its own `name` method (not absent, not the base class default). */
export function overrides(adapter: AdapterMethods, name: "read" | "write"): boolean {
  const method = adapter[name];
  return typeof method === "function" && method !== Adapter.prototype[name];
}
