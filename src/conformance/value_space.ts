/**
 * The value-space check of read cases: the case's schema decoded, result
 * objects of undeclared types dropped, each object given its first-sight uid, then alembic's
 * inventory validation.
 *
 * @module
 */

import { RequestError } from "../wire/errors.ts";
import { objectUid } from "../identity/uids.ts";
import type { ExternalObject } from "../wire/results.ts";
import { decodeSchema } from "../wire/schema.ts";
import { checkRead } from "../value_space/read_rules.ts";
import { type ExactJson, toPlain } from "../testing/exact_json.ts";

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
  const objects = toPlain(result, (container, key) => {
    let set = floats.get(container);
    if (set === undefined) floats.set(container, set = new Set());
    set.add(key);
  }) as ExternalObject[];
  // The host's unique-backend-id rule is not one the upstream runner checks.
  return checkRead(decoded, objects, {
    uidOf: (object) => objectUid(object.type_name, object.key),
    floatLiteral: (container, key) => floats.get(container)?.has(key) ?? false,
  }).filter((p) => p.kind !== "duplicate_backend_id").map((p) => p.message);
}
