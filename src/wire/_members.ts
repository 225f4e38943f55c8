/**
 * Member checks the request decoders share.
 *
 * @module
 */

import { invalid, keyPath } from "./errors.ts";
import { isPlainObject } from "./values.ts";

/**
 * An object-valued member, set to a fresh `{}` when it is absent (the decoders normalize in
 * place).
 *
 * @param owner The object that holds the member.
 * @param key The member's name.
 * @param path Where `owner` sits, for error messages.
 * @returns The member.
 * @throws {RequestError} `invalid request: <path>.<key>: expected an object`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectMember } from "./_members.ts";
 * const schema: Record<string, unknown> = {};
 * assert.deepEqual(objectMember(schema, "types", "schema"), {});
 * assert.deepEqual(schema, { types: {} });
 * ```
 */
export function objectMember(
  owner: Record<string, unknown>,
  key: string,
  path: string,
): Record<string, unknown> {
  const member = owner[key];
  if (member === undefined) return (owner[key] = {});
  if (!isPlainObject(member)) return invalid(keyPath(path, key), "expected an object");
  return member;
}
