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

/**
 * Answers one request: decode it (strictly), check `setup` with the adapter's validator and run
 * its setup hook, call the adapter's method, check and encode its result. Every failure becomes an `ok:false` line; this never throws or rejects.
 *
 * @param adapter The adapter: a plain object of methods, an {@link Adapter}, or what
 * `defineAdapter()` made.
 * @param requestText The request JSON, as read from stdin.
 * @param options Where non-fatal notes go.
 * @returns The response: one line of compact JSON ending in `\n`.
 * @example
 * ```ts
 * import { respond } from "@alembic-adapter/sdk/codec";
 * const line = await respond({ read: () => [] }, '{"version":1,"setup":{},"method":"capabilities"}');
 * // '{"ok":true,"result":{"role":"observer"}}\n'
 * ```
 */
export async function respond(
  adapter: AdapterLike,
  requestText: string,
  options: DecodeOptions = {},
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
 * import { respondInPieces } from "./respond.ts";
 * const pieces = await respondInPieces({}, '{"version":1,"setup":{},"method":"capabilities"}');
 * pieces.join(""); // '{"ok":true,"result":{"role":"adapter"}}\n'
 * ```
 */
export async function respondInPieces(
  adapter: AdapterLike,
  requestText: string,
  options: DecodeOptions = {},
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
  let result: unknown;
  try {
    result = await dispatch(methods, request);
  } catch (e) {
    return [errorLine(errorMessage(e, `${request.method} failed without an error message`))];
  }
  try {
    return successPieces(encodeResult(request.method, result));
  } catch (e) {
    const detail = e instanceof EncodeError
      ? e.message
      : errorMessage(e, "the result could not be encoded");
    return [errorLine(`adapter produced an invalid ${request.method} result: ${detail}`)];
  }
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
