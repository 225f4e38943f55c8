/**
 * Writes that survive interruptions: {@linkcode applyOps} runs your per-op functions over a
 * write's ops and returns the whole report. Ops whose refs wait on others are retried until no
 * round makes progress, creates and updates may run with bounded concurrency, and with a
 * journal a write cut off halfway (a crash, the host's SIGKILL after `timeout_seconds`, a
 * backend failing on op 37 of 100) resumes where it stopped when the same plan is sent again.
 *
 * A separate entry point, so that an adapter that does not use it does not load `node:fs`.
 *
 * @example
 * ```ts
 * import { run } from "@alembic-adapter/sdk";
 * import { applyOps } from "@alembic-adapter/sdk/apply";
 *
 * const rows = new Map<number, unknown>(); // stands in for the backend's API
 * if (import.meta.main) {
 *   run({
 *     write(schema, ops, state) {
 *       return applyOps({ schema, ops, state }, {
 *         journal: { dir: ".alembic-journal", instance: "demo" },
 *         create(op, ctx) {
 *           rows.set(rows.size + 1, ctx.backendAttrs(op));
 *           return rows.size;
 *         },
 *         update(op, id, ctx) {
 *           rows.set(Number(id), ctx.backendAttrs(op));
 *         },
 *         delete(op) {
 *           rows.delete(Number(op.backend_id));
 *         },
 *       });
 *     },
 *   });
 * }
 * ```
 *
 * @module
 */

export {
  applyOps,
  type ApplyOptions,
  type ApplyRequest,
  type RecoverOptions,
} from "./src/apply/apply_ops.ts";
export { ApplyContext } from "./src/apply/context.ts";
export { NoProgressError, OpFailedError, type StuckOp } from "./src/apply/errors.ts";
export { type Durability, type JournalOptions } from "./src/apply/journal.ts";
export { MissingRef, Retry } from "./src/apply/retry.ts";
