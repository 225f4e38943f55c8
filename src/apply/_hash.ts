/**
 * Stable hashes of ops and plans for the journal: the same op hashes the same in every run
 * and on every runtime, whatever the order of keys in the request.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { Op } from "../wire/ops.ts";

/**
 * What identifies a plan's ops: one hash per op, and one for all of them with the instance.
 *
 * @example
 * ```ts
 * import type { PlanHashes } from "./_hash.ts";
 * const none: PlanHashes = { ops: [], plan: "0".repeat(64) };
 * ```
 */
export interface PlanHashes {
  /** Per op, in plan order: 16 hex digits. */
  ops: string[];
  /** The instance and every op, in order: 64 hex digits. */
  plan: string;
}

/**
 * Hashes every op, and the plan as the instance plus the sequence of ops.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planHashes } from "./_hash.ts";
 * const { ops, plan } = planHashes("netbox-prod", []);
 * assert.deepEqual(ops, []);
 * assert.match(plan, /^[0-9a-f]{64}$/);
 * ```
 */
export function planHashes(instance: string, ops: readonly Op[]): PlanHashes {
  // One streaming SHA-256 for the plan (a collision there would apply one plan's journal to
  // another) and a fast 64-bit hash per op, which only has to tell apart the ops of one plan.
  const plan = createHash("sha256").update(`alembic-journal\u0000${instance}\u0000`);
  const hashes = new Array<string>(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const text = canonicalJson(ops[i]);
    hashes[i] = hash64(text);
    plan.update(text).update("\n");
  }
  return { ops: hashes, plan: plan.digest("hex") };
}

/**
 * JSON with object keys sorted and `undefined` members left out: one text per value, however
 * its keys were ordered. Integers beyond 2^53 (`bigint`) are written as bare digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalJson } from "./_hash.ts";
 * assert.equal(canonicalJson({ b: 1, a: [true, null] }), '{"a":[true,null],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of Object.keys(object).sort()) {
    if (object[key] === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(object[key])}`;
    first = false;
  }
  return `${out}}`;
}

/** Two 32-bit multiply-xor lanes over the UTF-16 code units, mixed into 16 hex digits. */
function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}
