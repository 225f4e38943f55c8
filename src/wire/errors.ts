/**
 * Error types and the texts the SDK answers with.
 *
 * @module
 */

import { isPlainObject } from "./values.ts";

/**
 * A request the SDK refuses before any adapter code runs. Its message is the whole `error` text
 * sent to the host, such as `invalid request: ops[3].desired.uid: expected a string`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRequest, RequestError } from "@alembic-adapter/sdk/codec";
 * assert.throws(
 *   () => decodeRequest('{"version":1,"method":"read"}'),
 *   (e) => e instanceof RequestError && e.message === "invalid request: missing field `schema`",
 * );
 * ```
 */
export class RequestError extends Error {
  /**
   * Creates the error.
   *
   * @param message The complete error text.
   */
  constructor(message: string) {
    super(message);
    this.name = "RequestError";
  }
}

/**
 * A result the adapter returned that the protocol cannot carry. `path` locates the offending
 * value inside the result (`[3].attrs.mtu`), `problem` says what is wrong with it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EncodeError, encodeResult } from "@alembic-adapter/sdk/codec";
 * assert.throws(
 *   () => encodeResult("read", [{ type_name: "dcim.site", key: {}, atrs: {} }]),
 *   (e) =>
 *     e instanceof EncodeError && e.path === "[0]" &&
 *     e.problem === "unknown key `atrs` (allowed: type_name, key, attrs, backend_id)",
 * );
 * ```
 */
export class EncodeError extends Error {
  /** Where the bad value sits inside the result; empty for the result itself. */
  readonly path: string;
  /** What is wrong with it. */
  readonly problem: string;

  /**
   * Creates the error.
   *
   * @param path Where the bad value sits inside the result.
   * @param problem What is wrong with it.
   */
  constructor(path: string, problem: string) {
    super(path === "" ? problem : `${path}: ${problem}`);
    this.name = "EncodeError";
    this.path = path;
    this.problem = problem;
  }
}

/** Throws the `invalid request: <path>: <detail>` error. */
export function invalid(path: string, detail: string): never {
  throw new RequestError(`invalid request: ${path === "" ? "" : `${path}: `}${detail}`);
}

/** Throws the `invalid request: missing field `name`` error, qualified by its parent path. */
export function missing(parent: string, field: string): never {
  return invalid(parent, `missing field \`${field}\``);
}

/** Extends a path with an object key, bracketing keys that are not plain identifiers. */
export function keyPath(parent: string, key: string): string {
  if (key.length <= SHOWN && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    return parent === "" ? key : `${parent}.${key}`;
  }
  return `${parent}[${JSON.stringify(clip(key))}]`;
}

/** How many characters of a value from the request an error message quotes at most. */
const SHOWN = 80;

/**
 * A request value as an error message quotes it: whole when short, otherwise its first
 * characters and `…`. A request may carry strings of many megabytes; echoing one whole would
 * make an answer of that size out of a one-line error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clip } from "./errors.ts";
 * assert.equal(clip("x".repeat(1_000_000)), `${"x".repeat(80)}…`);
 * ```
 */
export function clip(text: string): string {
  if (text.length <= SHOWN) return text;
  const code = text.charCodeAt(SHOWN - 1);
  // Do not cut a surrogate pair in two.
  const end = code >= 0xd800 && code < 0xdc00 ? SHOWN - 1 : SHOWN;
  return `${text.slice(0, end)}…`;
}

/**
 * The text of a thrown value: an error's message followed by its `cause` chain, joined by `": "`
 * (outer first), as Rust's `{err:#}` prints a context chain. Never empty: `fallback` stands in
 * when nothing else would be said.
 *
 * @param thrown Whatever was thrown or rejected with.
 * @param fallback The text for a value that says nothing.
 * @returns A non-empty message.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorMessage } from "@alembic-adapter/sdk/codec";
 * const e = new Error("write failed", { cause: new Error("403 forbidden") });
 * assert.equal(errorMessage(e, "write failed, saying nothing"), "write failed: 403 forbidden");
 * ```
 */
export function errorMessage(thrown: unknown, fallback: string): string {
  // The thrown value is user code's: a Proxy or a getter may throw while it is inspected, and
  // this runs where a throw would lose the answer (the crash handler), so it must not throw.
  try {
    return messageChain(thrown) ?? fallback;
  } catch {
    return `${fallback} (the thrown value could not be inspected)`;
  }
}

/** Links of a cause chain that are followed at most; a longer chain is cut, not looped over. */
const MAX_CAUSES = 32;

function messageChain(thrown: unknown): string | undefined {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = thrown;
  while (current !== undefined && current !== null && !seen.has(current)) {
    if (seen.size === MAX_CAUSES) {
      parts.push("…");
      break;
    }
    seen.add(current);
    const text = thrownText(current).trim();
    // Skip a cause whose text the outer message already quotes: "x: 403" caused by "403".
    if (text !== "" && !parts.some((p) => p.endsWith(text))) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.length === 0 ? undefined : parts.join(": ");
}

function thrownText(value: unknown): string {
  if (value instanceof Error) return String(value.message);
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === "string") return message;
    try {
      return `threw a non-Error value: ${JSON.stringify(value)}`;
    } catch {
      return `threw a non-Error value: ${Object.prototype.toString.call(value)}`;
    }
  }
  if (typeof value === "symbol") return value.toString();
  return String(value);
}

/**
 * A short description of a value for error messages: `undefined`, `NaN`, `a Date`, `"x"`.
 * Strings are quoted and cut at 40 characters, bigints carry their `n`.
 *
 * @param value Anything.
 * @returns The description.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeValue } from "./errors.ts";
 * assert.equal(describeValue(Number.NaN), "NaN");
 * assert.equal(describeValue(new Date(0)), "a Date");
 * assert.equal(describeValue(7n), "7n");
 * ```
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case "number":
    case "boolean":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isPlainObject(value)) return "an object";
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name}` : "a non-plain object";
}
