/**
 * The protocol's codec, for people who write their own runner (another transport, a test
 * double of the host, a tool that reads captured requests): the strict request decoder and its
 * parts, the checking result encoder, the response lines, exact JSON, and the whole request
 * path as a pure function ({@linkcode respond}). An adapter needs none of it: `run()` from the
 * root entry does all of this.
 *
 * @example A runner of your own: request text in, one response line out
 * ```ts
 * import assert from "node:assert/strict";
 * import { respond } from "@alembic-adapter/sdk/codec";
 *
 * const line = await respond({ read: () => [] }, '{"version":1,"setup":{},"method":"capabilities"}');
 * assert.equal(line, '{"ok":true,"result":{"role":"observer"}}\n');
 * ```
 *
 * @example Decoding and encoding by hand
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRequest, encodeResult, successLine } from "@alembic-adapter/sdk/codec";
 *
 * const request = decodeRequest(
 *   '{"version":1,"setup":null,"method":"read","schema":{"types":{}},"types":[],"state":{}}',
 * );
 * assert.equal(request.method, "read");
 * assert.equal(successLine(encodeResult("read", [])), '{"ok":true,"result":[]}\n');
 * ```
 *
 * @module
 */

export { impliedRole } from "./src/adapter.ts";
export { respond, type RespondOptions } from "./src/respond.ts";
export { SetupError } from "./src/setup/check.ts";
export { encodeResult, errorLine, successLine } from "./src/wire/encode.ts";
export { EncodeError, errorMessage, RequestError } from "./src/wire/errors.ts";
export { parseJson, stringifyJson } from "./src/wire/json.ts";
export { decodeOps } from "./src/wire/ops.ts";
export {
  type CapabilitiesRequest,
  type DecodeOptions,
  decodeRequest,
  type EnsureSchemaRequest,
  type Method,
  type PreviewSchemaRequest,
  PROTOCOL_VERSION,
  type ReadRequest,
  type Request,
  type RequestBase,
  type WriteRequest,
} from "./src/wire/request.ts";
export { decodeFieldSchema, decodeSchema, type FieldSchemaInput } from "./src/wire/schema.ts";
export { decodeScope } from "./src/wire/scope.ts";
export { decodeState } from "./src/wire/state.ts";
export { readText } from "./src/wire/text.ts";
