/**
 * The scalar identities of the protocol (uids, backend ids) and the open maps (keys, attrs).
 *
 * @module
 */

import type { JsonObject } from "./json.ts";

/**
 * An object's uid: a UUID string. The host sends lowercase hyphenated uids and accepts the
 * simple, braced and `urn:uuid:` spellings too.
 *
 * @example
 * ```ts
 * import type { Uid } from "@alembic-adapter/sdk";
 * const uid: Uid = "065690e9-7b8d-5a15-acc8-a6db4c42efb5";
 * ```
 */
export type Uid = string;

/**
 * The id a backend gave an object: a non-negative integer or a string. `1` and `"1"` are
 * different ids. An integer beyond 2^53−1 is a `bigint`, because a `number` cannot hold it
 * exactly; the SDK decodes such ids as `bigint` and writes them back as bare JSON integers.
 * Backends whose ids can grow that large usually do better with string ids.
 *
 * @example
 * ```ts
 * import type { BackendId } from "@alembic-adapter/sdk";
 * const ids: BackendId[] = [1, "dev-42", 18446744073709551615n];
 * ```
 */
export type BackendId = number | bigint | string;

/**
 * An object's key: the values of its type's key fields. Ref-typed key fields hold uids.
 *
 * @example
 * ```ts
 * import type { Key } from "@alembic-adapter/sdk";
 * const key: Key = { site: "fra1" };
 * ```
 */
export type Key = JsonObject;

/**
 * An object's attributes by field name. Ref-typed fields hold uids.
 *
 * @example
 * ```ts
 * import type { Attrs } from "@alembic-adapter/sdk";
 * const attrs: Attrs = { name: "FRA1", slug: "fra1" };
 * ```
 */
export type Attrs = JsonObject;

const UUID_SIMPLE = /^[0-9a-fA-F]{32}$/;

/**
 * Whether a value is a UUID string in a spelling the host accepts (hyphenated, simple, braced
 * or `urn:uuid:`), as Rust's `uuid` crate parses it.
 *
 * @param value Anything.
 * @returns True for a UUID string.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUuid } from "@alembic-adapter/sdk";
 * assert.equal(isUuid("065690e9-7b8d-5a15-acc8-a6db4c42efb5"), true);
 * assert.equal(isUuid("7"), false);
 * ```
 */
export function isUuid(value: unknown): value is Uid {
  return hyphenatedPart(value) !== undefined;
}

/**
 * A uid in any spelling the host accepts, as the lowercase hyphenated form alembic compares
 * and prints; `undefined` when the value is not a UUID string.
 *
 * @param value Anything.
 * @returns The canonical uid, or `undefined`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalUuid } from "@alembic-adapter/sdk";
 * assert.equal(
 *   canonicalUuid("{065690E9-7B8D-5A15-ACC8-A6DB4C42EFB5}"),
 *   "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
 * );
 * ```
 */
export function canonicalUuid(value: unknown): Uid | undefined {
  const part = hyphenatedPart(value);
  if (part === undefined) return undefined;
  const hex = part.replaceAll("-", "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/** The hex digits of a UUID spelling, shaped as the `uuid` crate tells them apart by length. */
function hyphenatedPart(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  // Requests and answers carry hundreds of thousands of uids, nearly all hyphenated; checking
  // those by hand costs a third of a regular-expression test.
  switch (value.length) {
    case 32:
      return UUID_SIMPLE.test(value) ? value : undefined;
    case 36:
      return isHyphenated(value) ? value : undefined;
    case 38: {
      const inner = value.slice(1, 37);
      return value[0] === "{" && value[37] === "}" && isHyphenated(inner) ? inner : undefined;
    }
    case 45: {
      const inner = value.slice(9);
      return value.startsWith("urn:uuid:") && isHyphenated(inner) ? inner : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * 1 at the char codes of hex digits, either case; a table beats range compares here. Built for
 * the first uid checked, not when the module loads: every adapter process evaluates this module
 * before reading its request, and an empty read checks no uid (see NAMESPACE_BYTES in
 * identity/uids.ts for what the two cost there).
 */
let hexTable: Uint8Array | undefined;

function buildHexTable(): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of "0123456789abcdefABCDEF") table[c.charCodeAt(0)] = 1;
  return table;
}

/** Whether a 36-character string is `8-4-4-4-12` hex digits, either case. */
function isHyphenated(value: string): boolean {
  const HEX = hexTable ??= buildHexTable();
  for (let i = 0; i < 36; i++) {
    const c = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (c > 0x7f || HEX[c] === 0) return false;
  }
  return true;
}

/**
 * Whether a value is a valid backend id: a string, a non-negative safe integer, or a
 * non-negative `bigint` up to 2^64−1.
 *
 * @param value Anything.
 * @returns True for a backend id.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBackendId } from "@alembic-adapter/sdk";
 * assert.equal(isBackendId(7), true);
 * assert.equal(isBackendId(-1), false);
 * ```
 */
export function isBackendId(value: unknown): value is BackendId {
  switch (typeof value) {
    case "string":
      return true;
    case "number":
      return Number.isSafeInteger(value) && value >= 0;
    case "bigint":
      return value >= 0n && value <= 0xffff_ffff_ffff_ffffn;
    default:
      return false;
  }
}

/** Whether a value is a plain object: a JSON object, not an array, class instance or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A backend id as a lookup key: `1` and `"1"` differ, a bigint and a number of one value agree.
 *
 * @param id A backend id.
 * @returns A string unique to the id.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backendIdKey } from "./values.ts";
 * assert.equal(backendIdKey(1), backendIdKey(1n));
 * ```
 */
export function backendIdKey(id: BackendId): string {
  return typeof id === "string" ? `s${id}` : `n${id}`;
}
