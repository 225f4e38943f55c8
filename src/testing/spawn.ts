/**
 * Pipes one request into an adapter executable, as the host does.
 *
 * @module
 */

import { stringifyJson } from "../wire/json.ts";
import { readEnvelope } from "./read_envelope.ts";
import { type ProcessStatus, runProcess } from "./process.ts";
import { toPlain } from "./exact_json.ts";
import type { Reply } from "./reply.ts";

/**
 * What {@linkcode spawnAdapter} observed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { request, spawnAdapter, type SpawnResult } from "@alembic-adapter/sdk/testing";
 * const result: SpawnResult = await spawnAdapter(
 *   ["deno", "run", "examples/example_adapter.ts"],
 *   request.capabilities(),
 * );
 * assert.equal(result.code, 0, result.stderr);
 * assert.deepEqual(result.envelope, { ok: true, result: { role: "adapter" } });
 * ```
 */
export interface SpawnResult {
  /** How the process ended. */
  status: ProcessStatus;
  /** The exit code, or `null` when it did not exit normally. */
  code: number | null;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
  /** The envelope, when stdout held exactly one well-formed one. */
  envelope?: Reply;
  /** Why stdout is not a well-formed envelope (the conformance runner's words). */
  problem?: string;
}

/**
 * Options of {@linkcode spawnAdapter}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { request, spawnAdapter, type SpawnOptions } from "@alembic-adapter/sdk/testing";
 * const options: SpawnOptions = { timeoutSeconds: 30, cwd: "examples" };
 * const command = ["deno", "run", "example_adapter.ts"]; // in examples/
 * const result = await spawnAdapter(command, request.capabilities(), options);
 * assert.equal(result.envelope?.ok, true, result.problem ?? result.stderr);
 * ```
 */
export interface SpawnOptions {
  /** Kill the process after this many seconds (10 by default). */
  timeoutSeconds?: number;
  /** Working directory; inherited by default. */
  cwd?: string;
}

/**
 * Runs an adapter program (looked up in `PATH`) on one request: writes the request, closes
 * stdin, collects stdout and stderr, and judges stdout as the conformance runner does (one JSON
 * document, a closed and consistent envelope). Under Deno this needs `--allow-run`.
 *
 * @param command The program and its arguments.
 * @param request The request: an object (a builder's output) or raw text.
 * @param options Timeout and working directory.
 * @returns What happened; never rejects.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { request, schemaOf, spawnAdapter } from "@alembic-adapter/sdk/testing";
 * const schema = schemaOf({
 *   "dcim.site": { key: { site: "slug" }, fields: { name: "string", slug: "slug" } },
 * });
 * const adapter = ["deno", "run", "examples/example_adapter.ts"];
 * const run = await spawnAdapter(adapter, request.read({ schema }));
 * if (run.envelope?.ok !== true) throw new Error(run.problem ?? run.stderr);
 * assert.deepEqual(run.envelope.result, [{
 *   type_name: "dcim.site",
 *   key: { site: "fra1" },
 *   attrs: { name: "FRA1", slug: "fra1" },
 *   backend_id: 1,
 * }]);
 * ```
 */
export async function spawnAdapter(
  command: string[],
  request: unknown,
  options: SpawnOptions = {},
): Promise<SpawnResult> {
  const text = typeof request === "string" ? request : stringifyJson(request, true);
  const outcome = await runProcess(command, text, {
    timeoutMs: (options.timeoutSeconds ?? 10) * 1000,
    cwd: options.cwd,
  });
  const method = typeof request === "object" && request !== null && "method" in request
    ? String(request.method)
    : "";
  const verdict = readEnvelope(outcome, method);
  const decoder = new TextDecoder();
  const result: SpawnResult = {
    status: outcome.status,
    code: outcome.status.kind === "exited" ? outcome.status.code : null,
    stdout: decoder.decode(outcome.stdout),
    stderr: decoder.decode(outcome.stderr),
  };
  if (verdict.envelope !== undefined) {
    const { ok, result: value, error } = verdict.envelope;
    result.envelope = ok
      ? { ok: true, result: value === undefined ? null : toPlain(value) as never }
      : { ok: false, error: error ?? "" };
  } else if (verdict.failure !== undefined) result.problem = verdict.failure;
  return result;
}
