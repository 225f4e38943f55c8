/**
 * The value-space check of read cases (PROTOCOL.md §10.9): the case's schema decoded, result
 * objects of undeclared types dropped, each object given its first-sight uid, then alembic's
 * inventory validation.
 *
 * @module
 */

import { RequestError } from "../errors.ts";
import { objectUid } from "../identity.ts";
import type { ExternalObject } from "../results.ts";
import { decodeSchema } from "../schema.ts";
import { checkRead } from "../value_space/read_rules.ts";
import type { ExactJson } from "./exact_json.ts";

/**
 * Checks a read case's result against the case's schema.
 *
 * @param schema The case request's `schema`.
 * @param result The read result, as the runner parsed it (a well-formed array of objects).
 * @returns The problems' texts; empty when the result is in alembic's value space.
 * @throws {Error} `read case request schema does not parse: …` when the schema does not decode.
 */
export function checkValueSpace(schema: unknown, result: ExactJson): string[] {
  let decoded;
  try {
    decoded = decodeSchema(structuredClone(schema));
  } catch (e) {
    const detail = e instanceof RequestError
      ? e.message.replace(/^invalid request: /, "")
      : String(e);
    throw new Error(`read case request schema does not parse: ${detail}`);
  }
  const floats = new WeakMap<object, Set<string | number>>();
  const objects = plain(result, floats) as ExternalObject[];
  // The host's unique-backend-id rule is not one the upstream runner checks.
  return checkRead(decoded, objects, {
    uidOf: (object) => objectUid(object.type_name, object.key),
    floatLiteral: (container, key) => floats.get(container)?.has(key) ?? false,
  }).filter((p) => p.kind !== "duplicate_backend_id").map((p) => p.message);
}

/** The plain value, noting where an integral number was written as a float (`1.0`). */
function plain(value: ExactJson, floats: WeakMap<object, Set<string | number>>): unknown {
  if (value === null || typeof value !== "object") return value;
  const note = (container: object, key: string | number, v: ExactJson) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Map)) {
      if (v.kind === "float") {
        let set = floats.get(container);
        if (set === undefined) floats.set(container, set = new Set());
        set.add(key);
      }
    }
  };
  if (Array.isArray(value)) {
    const out = value.map((v) => plain(v, floats));
    value.forEach((v, i) => note(out, i, v));
    return out;
  }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      Object.defineProperty(out, k, {
        value: plain(v, floats),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      note(out, k, v);
    }
    return out;
  }
  if (value.kind === "int") {
    const n = value.value as bigint;
    return n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n;
  }
  return value.value;
}
