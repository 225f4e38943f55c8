/**
 * Requests: their types, and the strict decoder that turns request text into them.
 *
 * @module
 */

import { clip, invalid, missing, RequestError } from "./errors.ts";
import { type JsonValue, parseJson } from "./json.ts";
import { decodeOps, type Op } from "./ops.ts";
import { decodeSchema, type Schema } from "./schema.ts";
import { decodeScope, type ReadScope } from "./scope.ts";
import { decodeState, type State } from "./state.ts";
import { isPlainObject } from "./values.ts";

/**
 * The one wire version of the protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROTOCOL_VERSION } from "@alembic-adapter/sdk/codec";
 * assert.equal(PROTOCOL_VERSION, 1);
 * ```
 */
export const PROTOCOL_VERSION = 1;

/**
 * A method name as it appears on the wire.
 *
 * @example
 * ```ts
 * import type { Method } from "@alembic-adapter/sdk/codec";
 * const m: Method = "ensure_schema";
 * ```
 */
export type Method = "capabilities" | "read" | "write" | "ensure_schema" | "preview_schema";

const METHODS: ReadonlySet<string> = new Set<Method>([
  "read",
  "write",
  "ensure_schema",
  "preview_schema",
  "capabilities",
]);

/**
 * What every request carries.
 *
 * @example
 * ```ts
 * import type { RequestBase } from "@alembic-adapter/sdk/codec";
 * function endpoint(request: RequestBase): unknown {
 *   return (request.setup as { endpoint?: string } | null)?.endpoint;
 * }
 * ```
 */
export interface RequestBase {
  /** Always {@link PROTOCOL_VERSION}. */
  version: 1;
  /** The backend config's `setup` block, `null` when there is none. */
  setup: JsonValue;
}

/**
 * `capabilities`: which role the adapter plays.
 *
 * @example
 * ```ts
 * import type { CapabilitiesRequest } from "@alembic-adapter/sdk/codec";
 * const r: CapabilitiesRequest = { version: 1, setup: {}, method: "capabilities" };
 * ```
 */
export interface CapabilitiesRequest extends RequestBase {
  /** The method. */
  method: "capabilities";
}

/**
 * `read`: observe the objects of `types`.
 *
 * @example
 * ```ts
 * import type { ReadRequest } from "@alembic-adapter/sdk/codec";
 * function wanted(r: ReadRequest): Set<string> {
 *   return new Set(r.types);
 * }
 * ```
 */
export interface ReadRequest extends RequestBase {
  /** The method. */
  method: "read";
  /** The inventory schema. */
  schema: Schema;
  /** The types to read, sorted; may be empty. */
  types: string[];
  /** The host's state. */
  state: State;
  /** The advisory narrowing hint, sent only by some unreleased hosts. */
  scope?: ReadScope;
}

/**
 * `write`: apply `ops` in order.
 *
 * @example
 * ```ts
 * import type { WriteRequest } from "@alembic-adapter/sdk/codec";
 * function count(r: WriteRequest): number {
 *   return r.ops.length;
 * }
 * ```
 */
export interface WriteRequest extends RequestBase {
  /** The method. */
  method: "write";
  /** The plan's schema. */
  schema: Schema;
  /** The operations, in the order to apply them; may be empty. */
  ops: Op[];
  /** The host's state. */
  state: State;
}

/**
 * `ensure_schema`: provision the backend for `schema`.
 *
 * @example
 * ```ts
 * import type { EnsureSchemaRequest } from "@alembic-adapter/sdk/codec";
 * function types(r: EnsureSchemaRequest): string[] {
 *   return Object.keys(r.schema.types);
 * }
 * ```
 */
export interface EnsureSchemaRequest extends RequestBase {
  /** The method. */
  method: "ensure_schema";
  /** The schema to provision. */
  schema: Schema;
}

/**
 * `preview_schema`: report what `ensure_schema` would do, writing nothing.
 *
 * @example
 * ```ts
 * import type { PreviewSchemaRequest } from "@alembic-adapter/sdk/codec";
 * function types(r: PreviewSchemaRequest): string[] {
 *   return Object.keys(r.schema.types);
 * }
 * ```
 */
export interface PreviewSchemaRequest extends RequestBase {
  /** The method. */
  method: "preview_schema";
  /** The schema to preview. */
  schema: Schema;
}

/**
 * Any request, discriminated by `method`.
 *
 * @example
 * ```ts
 * import type { Request } from "@alembic-adapter/sdk/codec";
 * function summary(r: Request): string {
 *   return r.method === "write" ? `write ${r.ops.length} ops` : r.method;
 * }
 * ```
 */
export type Request =
  | CapabilitiesRequest
  | ReadRequest
  | WriteRequest
  | EnsureSchemaRequest
  | PreviewSchemaRequest;

/**
 * Options for {@link decodeRequest}.
 *
 * @example
 * ```ts
 * import type { DecodeOptions } from "@alembic-adapter/sdk/codec";
 * const quiet: DecodeOptions = { warn: () => {} };
 * ```
 */
export interface DecodeOptions {
  /**
   * Receives notes that do not fail the request (a malformed `scope`, two uids state binds to
   * one backend id); `console.warn` by default.
   */
  warn?: (message: string) => void;
}

/**
 * Parses and validates request text, in this order: JSON, envelope (an object), `version`,
 * `method`, then the method's fields. The request object is validated and normalized in place
 * (no copy of the ops is made). Unknown keys are ignored at every level.
 *
 * @param text The request, as read from stdin.
 * @param options Where warnings go.
 * @returns The typed request.
 * @throws {RequestError} with the exact text to answer, such as
 * `unsupported protocol version 2 (expected 1)` or `invalid request: missing field \`schema\``.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRequest } from "@alembic-adapter/sdk/codec";
 * const request = decodeRequest('{"version":1,"setup":{},"method":"capabilities"}');
 * assert.equal(request.method, "capabilities");
 * ```
 */
export function decodeRequest(text: string, options: DecodeOptions = {}): Request {
  const warn = options.warn ?? console.warn;
  const envelope = parseRequestText(text);
  if (!isPlainObject(envelope)) return invalid("", "expected a JSON object");

  const version = envelope.version;
  if (version === undefined) return missing("", "version");
  const isInteger = typeof version === "bigint" ||
    (typeof version === "number" && Number.isInteger(version));
  if (!isInteger) return invalid("", "version must be an integer");
  if (version !== PROTOCOL_VERSION) {
    throw new RequestError(
      `unsupported protocol version ${clip(String(version))} (expected ${PROTOCOL_VERSION})`,
    );
  }

  const method = envelope.method;
  if (method === undefined) return missing("", "method");
  if (typeof method !== "string") return invalid("method", "expected a string");
  if (!METHODS.has(method)) {
    return invalid(
      "",
      `unknown variant \`${
        clip(method)
      }\`, expected one of \`read\`, \`write\`, \`ensure_schema\`, \`preview_schema\`, \`capabilities\``,
    );
  }
  if (envelope.setup === undefined) envelope.setup = null;

  switch (method as Method) {
    case "capabilities":
      break;
    case "read": {
      envelope.schema = decodeSchema(required(envelope, "schema"));
      envelope.types = decodeTypes(required(envelope, "types"));
      envelope.state = decodeState(required(envelope, "state"), "state", warn);
      decodeScopeMember(envelope, warn);
      break;
    }
    case "write":
      envelope.schema = decodeSchema(required(envelope, "schema"));
      envelope.ops = decodeOps(required(envelope, "ops"));
      envelope.state = decodeState(required(envelope, "state"), "state", warn);
      break;
    case "ensure_schema":
    case "preview_schema":
      envelope.schema = decodeSchema(required(envelope, "schema"));
      break;
  }
  return envelope as unknown as Request;
}

function parseRequestText(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) {
    return invalid("", "the request starts with a byte order mark (U+FEFF); send plain UTF-8");
  }
  if (text.trim() === "") return invalid("", "empty request: expected one JSON object on stdin");
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof RangeError) return invalid("", "the request is nested too deeply to parse");
    return invalid("", e instanceof Error ? e.message : String(e));
  }
}

function required(envelope: Record<string, unknown>, field: string): unknown {
  const value = envelope[field];
  return value === undefined ? missing("", field) : value;
}

function decodeTypes(value: unknown): string[] {
  if (!Array.isArray(value)) return invalid("types", "expected an array");
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== "string") return invalid(`types[${i}]`, "expected a string");
  }
  return value;
}

function decodeScopeMember(
  envelope: Record<string, unknown>,
  warn: (message: string) => void,
): void {
  const scope = envelope.scope;
  if (scope === undefined) return;
  if (scope === null) {
    delete envelope.scope;
    return;
  }
  try {
    decodeScope(scope);
  } catch (e) {
    if (!(e instanceof RequestError)) throw e;
    // Ignoring the hint is always correct, so a scope we cannot read means "read everything".
    delete envelope.scope;
    warn(
      `alembic-adapter-sdk: ignoring a malformed read scope (${
        e.message.replace(/^invalid request: /, "")
      }); reading everything`,
    );
  }
}
