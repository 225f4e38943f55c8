/**
 * JSON values as the protocol carries them, and a parser that keeps every integer exact.
 *
 * `JSON.parse` turns `18446744073709551615` into `18446744073709552000`. The host writes backend
 * ids and key values as u64, so such a number would come back to it changed. Integers beyond
 * ±(2^53−1) therefore decode as `bigint` and are written back as bare JSON integers. The check
 * is a skipping scan that reads about one character in sixteen; the slower exact path runs only
 * when a run of 16 or more digits is present.
 *
 * @module
 */

import { describeSyntaxError } from "./_json_syntax.ts";

/**
 * A JSON scalar. Integers beyond ±(2^53−1) are `bigint`, so they survive a round trip exactly.
 *
 * @example
 * ```ts
 * import type { JsonPrimitive } from "@alembic-adapter/sdk";
 * const id: JsonPrimitive = 18446744073709551615n;
 * ```
 */
export type JsonPrimitive = null | boolean | number | bigint | string;

/**
 * Any JSON value: what `setup`, `key` and `attrs` hold.
 *
 * @example
 * ```ts
 * import type { JsonValue } from "@alembic-adapter/sdk";
 * const setup: JsonValue = { endpoint: "https://backend.example", page_size: 200 };
 * ```
 */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

/**
 * A JSON object with string keys.
 *
 * @example
 * ```ts
 * import type { JsonObject } from "@alembic-adapter/sdk";
 * const attrs: JsonObject = { name: "FRA1", tags: ["edge"], mtu: 9000, parent: null };
 * ```
 */
export interface JsonObject {
  /** Any member. */
  [key: string]: JsonValue;
}

/** Digits in a row from which an integer literal may be beyond 2^53−1 (which has 16). */
const WIDE_DIGITS = 16;

/**
 * Parses JSON text, keeping integers beyond ±(2^53−1) exact as `bigint`.
 *
 * Object keys such as `__proto__` become plain own keys, as with `JSON.parse`. Bad JSON throws a
 * `SyntaxError` in the SDK's own words, the same on every engine: what was found, at which line
 * and column, and what JSON allows there.
 *
 * @param text JSON text.
 * @returns The parsed value.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJson } from "@alembic-adapter/sdk/codec";
 * const value = parseJson('{"id":18446744073709551615,"n":1}');
 * assert.deepEqual(value, { id: 18446744073709551615n, n: 1 }); // beyond 2^53: a bigint
 * assert.throws(() => parseJson('{"n":1} 2'), {
 *   name: "SyntaxError",
 *   message: "unexpected '2' after the JSON document at line 1, column 9: expected one JSON document",
 * });
 * ```
 */
export function parseJson(text: string): JsonValue {
  try {
    return parseExact(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new SyntaxError(describeSyntaxError(text) ?? e.message);
  }
}

function parseExact(text: string): JsonValue {
  if (!hasDigitRun(text, WIDE_DIGITS)) return JSON.parse(text);
  const spans = wideIntegerSpans(text);
  if (spans.length === 0) return JSON.parse(text);
  const marker = uniqueMarker(text);
  const pieces: string[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    pieces.push(text.slice(at, start), `"${marker}`, text.slice(start, end), '"');
    at = end;
  }
  pieces.push(text.slice(at));
  const value: JsonValue = JSON.parse(pieces.join(""));
  return reviveMarkers(value, "\u0000" + marker.slice("\\u0000".length));
}

/**
 * Writes a value as compact JSON, writing `bigint` as a bare integer.
 *
 * The caller has already checked the value (see the encoder); this only serializes it.
 *
 * @param value The value to write.
 * @param hasBigInt Whether the value holds a `bigint` anywhere; `false` takes the fast path.
 * @returns Compact JSON text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stringifyJson } from "@alembic-adapter/sdk/codec";
 * assert.equal(stringifyJson({ id: 18446744073709551615n }, true), '{"id":18446744073709551615}');
 * ```
 */
export function stringifyJson(value: unknown, hasBigInt: boolean): string {
  if (!hasBigInt) return JSON.stringify(value);
  const nonce = randomHex();
  const text = JSON.stringify(
    value,
    (_key, v) => typeof v === "bigint" ? `\u0000${nonce}${v}` : v,
  );
  return text.replaceAll(
    new RegExp(`"\\\\u0000${nonce}(-?[0-9]+)"`, "g"),
    "$1",
  );
}

/**
 * Whether `text` holds `run` ASCII digits in a row, as `/\d{run}/` would tell. A regular
 * expression tests every position, which costs a third of `JSON.parse` on a 35 MB request;
 * this looks only at every `run`-th character while it sees no digit: any run that long must
 * cover one of them.
 */
function hasDigitRun(text: string, run: number): boolean {
  const length = text.length;
  let i = run - 1;
  while (i < length) {
    if (!isDigit(text.charCodeAt(i))) {
      i += run;
      continue;
    }
    let start = i;
    while (start > 0 && i - start < run && isDigit(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < length && end - start < run && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= run) return true;
    // `end` is not a digit, so the next run long enough starts after it.
    i = end + run;
  }
  return false;
}

/** Start and end offsets of integer literals outside strings that are not safe integers. */
function wideIntegerSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = endOfString(text, i + 1);
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      if (c === 0x2d) i++;
      const digitsStart = i;
      while (i < length && isDigit(text.charCodeAt(i))) i++;
      const digits = i - digitsStart;
      let integral = true;
      while (i < length && isNumberChar(text.charCodeAt(i))) {
        integral = false;
        i++;
      }
      // A leading zero is invalid JSON: leave it for JSON.parse to reject.
      const leadingZero = digits > 1 && text.charCodeAt(digitsStart) === 0x30;
      if (
        integral && digits >= 16 && !leadingZero &&
        !Number.isSafeInteger(Number(text.slice(start, i)))
      ) {
        spans.push([start, i]);
      }
      continue;
    }
    i++;
  }
  return spans;
}

/** Offset just past the closing quote of the string whose contents start at `from`. */
function endOfString(text: string, from: number): number {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNumberChar(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/** A `\u0000<hex>` escape prefix that does not occur in `text`, so no real string can hold it. */
function uniqueMarker(text: string): string {
  for (;;) {
    const hex = randomHex();
    if (!text.includes(hex)) return `\\u0000${hex}`;
  }
}

function randomHex(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

function reviveMarkers(root: JsonValue, prefix: string): JsonValue {
  if (typeof root === "string") return revive(root, prefix);
  const stack: Array<JsonValue[] | JsonObject> = [];
  if (root !== null && typeof root === "object") stack.push(root);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === "string") node[i] = revive(v, prefix);
        else if (v !== null && typeof v === "object") stack.push(v);
      }
    } else {
      for (const key of Object.keys(node)) {
        const v = node[key];
        if (typeof v === "string") {
          if (v.startsWith(prefix)) {
            Object.defineProperty(node, key, {
              value: revive(v, prefix),
              writable: true,
              enumerable: true,
              configurable: true,
            });
          }
        } else if (v !== null && typeof v === "object") stack.push(v);
      }
    }
  }
  return root;
}

function revive(value: string, prefix: string): JsonPrimitive {
  return value.startsWith(prefix) ? BigInt(value.slice(prefix.length)) : value;
}
