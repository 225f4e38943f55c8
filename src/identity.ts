/**
 * The host's identity functions: the canonical key string.
 *
 * @module
 */

import type { JsonValue } from "./json.ts";

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
 * import { keyString } from "@alembic-adapter/sdk";
 * keyString({ vid: 100.0, name: "mgmt" }); // '{"name":"mgmt","vid":100}'
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
  return `{${names.map((k) => `${JSON.stringify(k)}:${keyString(key[k])}`).join(",")}}`;
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

/** Orders strings by Unicode code point (UTF-8 byte order), not by UTF-16 code unit. */
function byCodePoint(a: string, b: string): number {
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
