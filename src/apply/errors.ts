/**
 * How `applyOps` fails: one op failed for good ({@linkcode OpFailedError}), or a round of
 * retries applied nothing ({@linkcode NoProgressError}). Both name the ops by their place in
 * the write, `ops[i] <op> <type> <uid>`, so the host's error line says where to look.
 *
 * @module
 */

import type { Op } from "../wire/ops.ts";
import { errorMessage } from "../wire/errors.ts";
import type { Uid } from "../wire/values.ts";

/**
 * An op as error messages name it: `ops[37] create dcim.device <uid>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { opLabel } from "./errors.ts";
 * const uid = "11111111-1111-1111-1111-111111111111";
 * assert.equal(
 *   opLabel(3, { op: "delete", uid, type_name: "dcim.site", key: {} }),
 *   "ops[3] delete dcim.site 11111111-1111-1111-1111-111111111111",
 * );
 * ```
 */
export function opLabel(index: number, op: Op): string {
  return `ops[${index}] ${op.op} ${op.type_name} ${op.uid}`;
}

/**
 * An op failed with an error not marked retryable. The message is the op's label and the
 * cause's message (`ops[37] create dcim.device <uid>: 500 internal error`); the ops applied
 * before it are in the journal, when there is one, and a re-run of the same plan resumes after
 * them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OpFailedError } from "@alembic-adapter/sdk/apply";
 * const uid = "11111111-1111-1111-1111-111111111111";
 * const op = { op: "delete" as const, uid, type_name: "dcim.site", key: {} };
 * const e = new OpFailedError(4, op, new Error("403 forbidden"));
 * assert.equal(e.message, `ops[4] delete dcim.site ${uid}: 403 forbidden`);
 * ```
 */
export class OpFailedError extends Error {
  /** The op's index in the write's ops. */
  readonly index: number;
  /** The op. */
  readonly op: Op;

  /**
   * Names the op and what it failed with.
   *
   * @param index The op's index in the write's ops.
   * @param op The op.
   * @param cause What it failed with.
   */
  constructor(index: number, op: Op, cause: unknown) {
    // The cause's own message only: its causes follow through `cause`, which the SDK's
    // error answer prints as a chain.
    const detail = cause instanceof Error && cause.message !== ""
      ? cause.message
      : errorMessage(cause, "failed without an error message");
    super(`${opLabel(index, op)}: ${detail}`, { cause });
    this.name = "OpFailedError";
    this.index = index;
    this.op = op;
  }
}

/**
 * An op a round of retries could not apply, and why.
 *
 * @example
 * ```ts
 * import { NoProgressError } from "@alembic-adapter/sdk/apply";
 * function waitsFor(e: NoProgressError): string[] {
 *   return e.stuck.flatMap((s) => s.missing.map(([type, uid]) => `${type} ${uid}`));
 * }
 * ```
 */
export interface StuckOp {
  /** The op's index in the write's ops. */
  index: number;
  /** The op. */
  op: Op;
  /** The refs it needs that nothing binds, as `[type, uid]`. */
  missing: Array<[string, Uid]>;
  /** The retryable error it last failed with; absent when it never ran (it waited for refs). */
  error?: unknown;
}

/** How many stuck ops a message names before it says how many more there are. */
const NAMED = 10;

/**
 * A round of retries applied nothing: every op left waits for a ref nothing binds (a cycle,
 * or a target that is neither in state nor created by the write) or keeps throwing `Retry`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NoProgressError } from "@alembic-adapter/sdk/apply";
 * const a = "11111111-1111-1111-1111-111111111111";
 * const b = "22222222-2222-2222-2222-222222222222";
 * const op = { op: "create" as const, uid: a, type_name: "dcim.site",
 *   desired: { uid: a, type: "dcim.site", key: {}, attrs: { parent: b } } };
 * const e = new NoProgressError([{ index: 0, op, missing: [["dcim.site", b]] }]);
 * assert.equal(e.message, `1 op made no progress: ops[0] create dcim.site ${a} waits for dcim.site ${b}`);
 * ```
 */
export class NoProgressError extends Error {
  /** The ops left, in plan order. */
  readonly stuck: StuckOp[];

  /**
   * Names the ops left and what each waits for.
   *
   * @param stuck The ops left, in plan order.
   */
  constructor(stuck: StuckOp[]) {
    const named = stuck.slice(0, NAMED).map(describe).join("; ");
    const more = stuck.length > NAMED ? `; and ${stuck.length - NAMED} more` : "";
    super(`${stuck.length} op${stuck.length === 1 ? "" : "s"} made no progress: ${named}${more}`);
    this.name = "NoProgressError";
    this.stuck = stuck;
  }
}

function describe(s: StuckOp): string {
  const label = opLabel(s.index, s.op);
  if (s.missing.length > 0) {
    return `${label} waits for ${s.missing.map(([type, uid]) => `${type} ${uid}`).join(", ")}`;
  }
  return `${label}: ${errorMessage(s.error, "retry without a message")}`;
}
