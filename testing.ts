/**
 * Test an alembic adapter in milliseconds, and certify it as the host would.
 *
 * - {@linkcode invoke} sends one request through the SDK's whole request path in-process;
 * - {@linkcode request}, {@linkcode op}, {@linkcode schemaOf}, {@linkcode stateFor} and
 *   {@linkcode scope} build requests the way the host writes them;
 * - {@linkcode spawnAdapter} pipes a request into a real adapter process;
 * - {@linkcode runConformance} runs the conformance checks of `alembic-adapter-test`.
 *
 * ```ts
 * import { invoke, op, request, schemaOf } from "@alembic-adapter/sdk/testing";
 * import { applied } from "@alembic-adapter/sdk";
 *
 * const adapter = { write: (_s: unknown, ops: Parameters<typeof applied>[0][]) => ({ applied: ops.map((o, i) => applied(o, i + 1)) }) };
 * const schema = schemaOf({ "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } } });
 * const reply = await invoke(adapter, request.write({ schema, ops: [op.create("dcim.site", { slug: "fra1" }, { name: "FRA1" })] }));
 * if (!reply.ok) throw new Error(reply.error);
 * ```
 *
 * @module
 */

export type { Reply } from "./src/testing/reply.ts";
export { invoke, type InvokeOptions } from "./src/testing/invoke.ts";
export {
  type FieldSpec,
  op,
  type OpBuilders,
  type OpOptions,
  type ReadOptions,
  request,
  type RequestBuilders,
  type RequestJson,
  type RequestOptions,
  schemaOf,
  type SchemaOptions,
  scope,
  type ScopeBuilders,
  stateFor,
  type StateLike,
  type TypeSpec,
  type WireSchema,
  type WriteOptions,
} from "./src/testing/builders.ts";
export { spawnAdapter, type SpawnOptions, type SpawnResult } from "./src/testing/spawn.ts";
export type { ProcessOutcome, ProcessStatus } from "./src/testing/process.ts";
export type { CheckOutcome } from "./src/conformance/runner.ts";
export {
  type ConformanceOptions,
  type ConformanceReport,
  runConformance,
} from "./src/conformance/run_conformance.ts";
