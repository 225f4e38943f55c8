/**
 * Runs the whole request path in-process, as `run()` does in a process, minus the process.
 *
 * @module
 */

import type { AdapterLike } from "../adapter.ts";
import { parseJson, stringifyJson } from "../wire/json.ts";
import { respond } from "../respond.ts";
import type { Reply } from "./reply.ts";

/**
 * Options of {@linkcode invoke}.
 *
 * @example
 * ```ts
 * import { type InvokeOptions, invoke, request } from "@alembic-adapter/sdk/testing";
 * const notes: string[] = [];
 * const options: InvokeOptions = { warn: (message) => notes.push(message) };
 * await invoke({ read: () => [] }, request.capabilities(), options);
 * ```
 */
export interface InvokeOptions {
  /**
   * Receives the notes the SDK would print on stderr (a malformed `scope`, a write report's
   * warnings); dropped by default.
   */
  warn?: (message: string) => void;
  /**
   * Fail a write whose report has any problem `checkWrite` finds, warnings included: the reply
   * is then `ok:false`, its error naming every problem, as an error in the report is without
   * this option. Off by default, as under `run()`, where warnings only reach stderr.
   */
  strictWrites?: boolean | undefined;
}

/**
 * Sends one request to an adapter in-process, through the same strict decoding, `setup` call,
 * dispatch and result checks that `run()` applies, and returns the parsed answer. Takes
 * milliseconds, so an adapter's logic can be tested request by request.
 *
 * @param adapter The adapter under test.
 * @param request The request: an object (a builder's output, or a fixture) or raw text.
 * @param options Where SDK notes go, and whether write report warnings fail the reply.
 * @returns The parsed envelope.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { invoke, request } from "@alembic-adapter/sdk/testing";
 * const reply = await invoke({ read: () => [] }, request.capabilities());
 * assert.deepEqual(reply, { ok: true, result: { role: "observer" } });
 * ```
 */
export async function invoke(
  adapter: AdapterLike,
  request: unknown,
  options: InvokeOptions = {},
): Promise<Reply> {
  const text = typeof request === "string" ? request : stringifyJson(request, true);
  const line = await respond(adapter, text, {
    warn: options.warn ?? (() => {}),
    strictWrites: options.strictWrites,
  });
  return parseJson(line) as unknown as Reply;
}
