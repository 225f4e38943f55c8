/**
 * Checks for an adapter's own tests: what alembic will refuse in a read answer
 * ({@linkcode validateRead}) and in a schema ({@linkcode validateSchema}), with alembic-core's
 * own messages, and what it will misread in a write report ({@linkcode checkWrite}). The SDK
 * never runs the first two on its own; the conformance runner runs `validateRead` on every
 * read case. `checkWrite` runs on every write the SDK answers (errors refuse the report,
 * warnings go to stderr) and on every write case of the conformance runner.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSchema } from "@alembic-adapter/sdk/codec";
 * import { validateRead } from "@alembic-adapter/sdk/checks";
 *
 * const schema = decodeSchema({
 *   types: { "dcim.site": { key: { slug: { type: "slug" } }, fields: { opened: { type: "date" } } } },
 * });
 * const problems = validateRead(schema, [
 *   { type_name: "dcim.site", key: { slug: "fra1" }, attrs: { opened: "2026-02-30" }, backend_id: 1 },
 * ]);
 * assert.deepEqual(problems.map((p) => p.message), [
 *   "invalid value for dcim.site.opened: expected date, got 2026-02-30",
 * ]);
 * ```
 *
 * @module
 */

export {
  checkWrite,
  type CheckWriteOptions,
  type WriteProblem,
  type WriteProblemKind,
} from "./src/wire/write_checks.ts";
export type { ValueProblem, ValueProblemKind } from "./src/value_space/problems.ts";
export { validateRead, type ValidateReadOptions } from "./src/value_space/read_rules.ts";
export { validateSchema } from "./src/value_space/schema_rules.ts";
