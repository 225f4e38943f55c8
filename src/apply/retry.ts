/**
 * How a per-op function says "not yet": {@linkcode Retry}, and the one case the SDK marks by
 * itself, {@linkcode MissingRef} (a ref whose target has no backend id yet).
 *
 * @module
 */

import type { Uid } from "../wire/values.ts";

/**
 * Thrown by a per-op function of `applyOps` for an op that may succeed once other ops of the
 * same write are through: the op is set aside and tried again after the others, as long as
 * each round applies something. It is not a back-off: a call that failed for a transient
 * reason (a 429, a dropped connection) is better retried inside your function, since an op
 * left alone that keeps throwing `Retry` ends the write as "made no progress".
 *
 * @example
 * ```ts
 * import { Retry } from "@alembic-adapter/sdk/apply";
 * function checkParent(exists: boolean): void {
 *   if (!exists) throw new Retry("the parent prefix is not there yet");
 * }
 * ```
 */
export class Retry extends Error {
  /**
   * Marks an op as waiting for the others.
   *
   * @param message Why the op has to wait; shown if the write ends without progress.
   * @param options The error's `cause`.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "Retry";
  }
}

/**
 * A ref whose target has no backend id yet: state does not bind it and no op of this write
 * applied so far created it. `ctx.require()`, `ctx.backendAttrs()` and `ctx.ids` of `applyOps`
 * throw it, which makes the typical wait (a ref to an object a later op creates) retryable
 * without your code doing anything.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MissingRef, Retry } from "@alembic-adapter/sdk/apply";
 * const e = new MissingRef("dcim.site", "8c998348-947f-568d-bbb0-efbed3c3f903");
 * assert.ok(e instanceof Retry);
 * assert.equal(e.typeName, "dcim.site");
 * ```
 */
export class MissingRef extends Retry {
  /** The target's type. */
  readonly typeName: string;
  /** The target's uid. */
  readonly uid: Uid;

  /**
   * Names the ref that cannot resolve yet.
   *
   * @param typeName The target's type.
   * @param uid The target's uid.
   */
  constructor(typeName: string, uid: Uid) {
    super(
      `no backend id for ${typeName} ${uid}: state does not bind it and no earlier op of this write created it`,
    );
    this.name = "MissingRef";
    this.typeName = typeName;
    this.uid = uid;
  }
}
