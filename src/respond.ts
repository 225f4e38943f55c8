/**
 * The whole request path as a pure function: request text in, response line out. `run()` wraps
 * it in process I/O; tests call it directly.
 *
 * @module
 */

import {
  type AdapterLike,
  type AdapterMethods,
  impliedRole,
  isDefinedAdapter,
  WRITE_NOT_IMPLEMENTED,
} from "./adapter.ts";
import { encodeResult, errorLine, successPieces } from "./wire/encode.ts";
import { EncodeError, errorMessage, RequestError } from "./wire/errors.ts";
import { type DecodeOptions, decodeRequest, type Request } from "./wire/request.ts";
import type { ApplyReport } from "./wire/results.ts";
import type { Op } from "./wire/ops.ts";
import { checkWrite, warningLines, writeRefusal } from "./wire/write_checks.ts";

/**
 * Options of {@link respond}: where notes go, and how strictly a write report is held to the
 * ops it answers.
 *
 * @example
 * ```ts
 * import type { RespondOptions } from "@alembic-adapter/sdk/codec";
 * const notes: string[] = [];
 * const options: RespondOptions = { warn: (message) => notes.push(message), strictWrites: true };
 * ```
 */
export interface RespondOptions extends DecodeOptions {
  /**
   * Answer `ok:false` for a write report with any problem `checkWrite` finds, warnings
   * included, instead of printing the warnings. For tests; alembic is better served by the
   * default (see README "Guarantees").
   */
  strictWrites?: boolean | undefined;
}

/**
 * Answers one request: decode it (strictly), check `setup` with the adapter's validator and run
 * its setup hook, call the adapter's method, check and encode its result. Every failure becomes
 * an `ok:false` line; this never throws or rejects. A write's report is also checked against the
 * request's ops (`checkWrite`): an entry that names no op, or a second entry for one op, answers
 * `ok:false`; the other problems go to `warn`, one line each.
 *
 * @param adapter The adapter: a plain object of methods, an {@link Adapter}, or what
 * `defineAdapter()` made.
 * @param requestText The request JSON, as read from stdin.
 * @param options Where non-fatal notes go, and whether write warnings fail the answer.
 * @returns The response: one line of compact JSON ending in `\n`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { respond } from "@alembic-adapter/sdk/codec";
 * const line = await respond({ read: () => [] }, '{"version":1,"setup":{},"method":"capabilities"}');
 * assert.equal(line, '{"ok":true,"result":{"role":"observer"}}\n');
 * ```
 */
export async function respond(
  adapter: AdapterLike,
  requestText: string,
  options: RespondOptions = {},
): Promise<string> {
  return "".concat(...await respondInPieces(adapter, requestText, options));
}

/**
 * {@link respond}'s line as pieces whose concatenation is the line, for `run()` to write one
 * after the other: joining a large result's text to its envelope would copy it once more.
 *
 * @param adapter The adapter's methods.
 * @param requestText The request, as read from stdin.
 * @param options Where warnings go.
 * @returns The pieces of one response line; never rejects.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { respondInPieces } from "./respond.ts";
 * const pieces = await respondInPieces({}, '{"version":1,"setup":{},"method":"capabilities"}');
 * assert.equal(pieces.join(""), '{"ok":true,"result":{"role":"adapter"}}\n');
 * ```
 */
export async function respondInPieces(
  adapter: AdapterLike,
  requestText: string,
  options: RespondOptions = {},
): Promise<string[]> {
  let request: Request;
  try {
    request = decodeRequest(requestText, options);
  } catch (e) {
    if (e instanceof RequestError) return [errorLine(e.message)];
    return [errorLine(`invalid request: ${errorMessage(e, "the request could not be read")}`)];
  }
  let methods: AdapterMethods<never>;
  try {
    if (isDefinedAdapter(adapter)) methods = await adapter["~alembic"].prepare(request.setup);
    else {
      await adapter.setup?.(request.setup);
      methods = adapter as AdapterMethods<never>;
    }
  } catch (e) {
    return [
      errorLine(`invalid setup: ${errorMessage(e, "setup failed without an error message")}`),
    ];
  }
  // The adapter may reorder or empty its ops array: the report answers the ops as sent.
  const ops = request.method === "write" ? request.ops.slice() : [];
  let result: unknown;
  try {
    result = await dispatch(methods, request);
  } catch (e) {
    return [errorLine(errorMessage(e, `${request.method} failed without an error message`))];
  }
  let pieces: string[];
  try {
    pieces = successPieces(encodeResult(request.method, result));
  } catch (e) {
    const detail = e instanceof EncodeError
      ? e.message
      : errorMessage(e, "the result could not be encoded");
    return [errorLine(`adapter produced an invalid ${request.method} result: ${detail}`)];
  }
  if (request.method === "write") {
    let refusal: string | undefined;
    try {
      refusal = checkReport(methods, ops, result as ApplyReport, options);
    } catch (e) {
      // A report whose getters throw when read a second time: still one answer.
      refusal = `the write report could not be checked: ${errorMessage(e, "the check failed")}`;
    }
    if (refusal !== undefined) return [errorLine(refusal)];
  }
  return pieces;
}

/** Runs the write report check after encoding, which vouches for the report's shape. */
function checkReport(
  adapter: AdapterMethods<never>,
  ops: readonly Op[],
  report: ApplyReport,
  options: RespondOptions,
): string | undefined {
  const problems = checkWrite(ops, report, { assignsBackendIds: adapter.assignsBackendIds });
  if (problems.length === 0) return undefined;
  const refusal = writeRefusal(problems, options.strictWrites === true);
  if (refusal !== undefined) return refusal;
  const warn = options.warn ?? console.warn;
  try {
    for (const line of warningLines(problems)) warn(line);
  } catch {
    // A warn channel that fails loses the notes, not the bindings of the ops that did apply.
  }
  return undefined;
}

function dispatch(adapter: AdapterMethods<never>, request: Request): unknown {
  switch (request.method) {
    case "capabilities":
      return adapter.capabilities ? adapter.capabilities() : { role: impliedRole(adapter) };
    case "read":
      if (!adapter.read) return [];
      return request.scope === undefined
        ? adapter.read(request.schema, request.types, request.state)
        : adapter.read(request.schema, request.types, request.state, request.scope);
    case "write":
      if (!adapter.write) throw new Error(WRITE_NOT_IMPLEMENTED);
      return adapter.write(request.schema, request.ops, request.state);
    case "ensure_schema":
      return adapter.ensureSchema ? adapter.ensureSchema(request.schema) : {};
    case "preview_schema":
      return adapter.previewSchema ? adapter.previewSchema(request.schema) : {};
  }
}
