/**
 * The host's identity functions: the canonical key string and version-5 uids.
 *
 * @module
 */

import type { JsonValue } from "../wire/json.ts";
import { sha1 } from "./_sha1.ts";
import type { Key, Uid } from "../wire/values.ts";

/**
 * alembic's namespace for version-5 uids (`ALEMBIC_UID_NAMESPACE`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ALEMBIC_UID_NAMESPACE } from "@alembic-adapter/sdk";
 * assert.equal(ALEMBIC_UID_NAMESPACE, "45931a5f-6c2b-496a-9b6f-8f777d4f3a1c");
 * ```
 */
export const ALEMBIC_UID_NAMESPACE = "45931a5f-6c2b-496a-9b6f-8f777d4f3a1c";

// The namespace's 16 bytes, written out: mod.ts exports this module, so every adapter process
// evaluates it before reading its request, and deriving the bytes from the string with a regular
// expression and Uint8Array.from made that evaluation slower. With the lazy hex table in
// values.ts, evaluating the SDK's modules on an empty read went from 0.99 to 0.61 ms (median of
// 101 interleaved runs), though about 0.2 ms of that shows up again in the stdio takeover that
// follows. A wrong byte fails alembic's uid vectors in tests/identity_test.ts.
// deno-fmt-ignore
const NAMESPACE_BYTES = new Uint8Array([
  0x45, 0x93, 0x1a, 0x5f, 0x6c, 0x2b, 0x49, 0x6a, 0x9b, 0x6f, 0x8f, 0x77, 0x7d, 0x4f, 0x3a, 0x1c,
]);
const encoder = new TextEncoder();

/**
 * The host's `uid_v5(type_name, stable)`: the version-5 UUID, in alembic's namespace, of the
 * UTF-8 bytes of `"<typeName>:<stable>"`, lowercase and hyphenated. An object's first-sight uid
 * is `uidV5(typeName, keyString(key))`; {@linkcode objectUid} computes exactly that.
 *
 * @param typeName The object's type.
 * @param stable The stable name, usually a key string.
 * @returns The uid.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uidV5 } from "@alembic-adapter/sdk";
 * assert.equal(uidV5("dcim.site", "fra1"), "dcca7841-d653-55ae-94c9-4e22638f0819");
 * ```
 */
export function uidV5(typeName: string, stable: string): Uid {
  const name = encoder.encode(`${typeName}:${stable}`);
  const input = new Uint8Array(NAMESPACE_BYTES.length + name.length);
  input.set(NAMESPACE_BYTES);
  input.set(name, NAMESPACE_BYTES.length);
  const bytes = sha1(input).subarray(0, 16);
  // A SHA-1 digest has 20 bytes, so 6 and 8 are in range.
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/**
 * The uid the host gives an object it sees for the first time (one state does not bind yet):
 * `uid_v5(typeName, key_string(key))`. Ref-typed fields of other objects name this uid.
 *
 * @param typeName The object's type.
 * @param key The object's key, with ref-typed key fields holding uids.
 * @returns The uid.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectUid } from "@alembic-adapter/sdk";
 * assert.equal(objectUid("dcim.device", { name: "sw1" }), "71f14d94-779f-5b19-a404-786883d432af");
 * ```
 */
export function objectUid(typeName: string, key: Key): Uid {
  return uidV5(typeName, keyString(key));
}

const TWO_63 = 2 ** 63;
const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

/**
 * The host's canonical string for a key (`key_string`): compact JSON with object keys sorted
 * by code point at every level, and numbers normalized so that `100.0`, `100.000001` and `100`
 * are one key. Two keys name the same object exactly when their key strings are equal.
 *
 * Floats within 1e-5 of an integer become that integer (rounding half away from zero, clamped
 * to the i64 range); other floats keep their shortest form. Floats beyond ±2^63 are written in
 * the older serde_json spelling (`1e19`, no `+`); which spelling a given alembic release uses
 * is not known, so such keys are unsupported.
 *
 * @param key A key (any JSON value is accepted).
 * @returns The canonical string.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyString } from "@alembic-adapter/sdk";
 * assert.equal(keyString({ vid: 100.0, name: "mgmt" }), '{"name":"mgmt","vid":100}');
 * ```
 */
export function keyString(key: JsonValue): string {
  switch (typeof key) {
    case "string":
      return JSON.stringify(key);
    case "number":
      return canonicalNumber(key);
    case "bigint":
      return key.toString();
    case "boolean":
      return key ? "true" : "false";
  }
  if (key === null) return "null";
  if (Array.isArray(key)) return `[${key.map(keyString).join(",")}]`;
  const names = Object.keys(key).filter((k) => key[k] !== undefined).sort(byCodePoint);
  return `{${names.map((k) => `${JSON.stringify(k)}:${keyString(key[k]!)}`).join(",")}}`;
}

function canonicalNumber(f: number): string {
  if (Number.isSafeInteger(f)) return String(f);
  // Rust's f64::round rounds half away from zero; Math.round rounds half up.
  const r = Math.sign(f) * Math.round(Math.abs(f));
  let integer: bigint;
  let asFloat: number;
  if (r >= TWO_63) [integer, asFloat] = [I64_MAX, TWO_63];
  else if (r <= -TWO_63) [integer, asFloat] = [I64_MIN, -TWO_63];
  else [integer, asFloat] = [BigInt(r), r];
  if (Math.abs(asFloat - f) < 1e-5) return integer.toString();
  // Surviving floats lie in [1e-5, 2^53) or beyond 2^63; only the latter print in exponent form.
  return Math.abs(f) >= TWO_63 ? f.toExponential().replace("e+", "e") : String(f);
}

/**
 * Orders strings by Unicode code point (UTF-8 byte order, as Rust's `BTreeMap` keys sort), not
 * by UTF-16 code unit as `Array.prototype.sort` does.
 *
 * @param a A string.
 * @param b Another string.
 * @returns Negative, zero or positive, for `sort`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { byCodePoint } from "./uids.ts";
 * // By UTF-16 code unit, "\u{1F600}" (0xD83D 0xDE00) would sort first.
 * assert.deepEqual(["\u{1F600}", "\uFF01"].sort(byCodePoint), ["\uFF01", "\u{1F600}"]);
 * ```
 */
export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (astral code points) above the rest of the BMP, keeping order within each. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}
