/**
 * The optional, advisory `scope` of a read request: its types and its decoder. Its union rule,
 * applied to objects, is `ScopeHint` (`../identity/scope_hint.ts`).
 *
 * Only unreleased hosts between alembic 0.9.0 and 0.10.0 send it; released hosts never do. It
 * names what the host needs to see; returning more is always correct, so an adapter that
 * ignores it is correct too.
 *
 * @module
 */

import { invalid, keyPath } from "./errors.ts";
import { objectMember } from "./_members.ts";
import { type BackendId, isBackendId, isPlainObject, type Key } from "./values.ts";

/**
 * Read everything of every requested type.
 *
 * @example
 * ```ts
 * import type { FullScope } from "@alembic-adapter/sdk";
 * const scope: FullScope = { kind: "full" };
 * ```
 */
export interface FullScope {
  /** The scope tag. */
  kind: "full";
}

/**
 * A declared key the host wants to see, with its canonical string (`key_string(key)`).
 *
 * @example
 * ```ts
 * import type { ScopeKey } from "@alembic-adapter/sdk";
 * const k: ScopeKey = { key: { site: "fra1" }, canonical: '{"site":"fra1"}' };
 * ```
 */
export interface ScopeKey {
  /** The key as declared. */
  key: Key;
  /** Its canonical string; compare on this, not on `key`. */
  canonical: string;
}

/**
 * A narrowed read. An object of a requested type `T` is wanted when `T` is in `unnarrowed`, or
 * its canonical key is among `keys[T]`, **or** its backend id is among `backend_ids[T]`. Either
 * half alone is wrong: keys alone drop an object whose key drifted since it was bound, ids
 * alone drop an object state has never bound.
 *
 * @example
 * ```ts
 * import type { NarrowedScope } from "@alembic-adapter/sdk";
 * const scope: NarrowedScope = {
 *   kind: "narrowed",
 *   backend_ids: { "dcim.site": [1] },
 *   keys: { "dcim.site": [{ key: { site: "fra1" }, canonical: '{"site":"fra1"}' }] },
 *   unnarrowed: ["dcim.interface"],
 * };
 * ```
 */
export interface NarrowedScope {
  /** The scope tag. */
  kind: "narrowed";
  /** Per type, the ids state already binds (`{}` when absent). */
  backend_ids: Record<string, BackendId[]>;
  /** Per type, the declared keys (`{}` when absent). */
  keys: Record<string, ScopeKey[]>;
  /** Types to read whole, such as ref-keyed ones (`[]` when absent). */
  unnarrowed: string[];
}

/**
 * The read scope hint: read everything, or a narrowed set.
 *
 * @example
 * ```ts
 * import type { ReadScope } from "@alembic-adapter/sdk";
 * function isFull(scope: ReadScope | undefined): boolean {
 *   return scope === undefined || scope.kind === "full";
 * }
 * ```
 */
export type ReadScope = FullScope | NarrowedScope;

/**
 * Validates a scope in place, filling the defaults of a narrowed scope.
 *
 * @param value The `scope` member of a read request.
 * @param path Where the value sits, for error messages.
 * @returns The same object, typed.
 * @throws {RequestError} when the value is not a scope. A read request treats that as "no
 * scope" (noted on stderr) rather than failing, since ignoring the hint is always correct.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeScope } from "@alembic-adapter/sdk/codec";
 * assert.deepEqual(decodeScope({ kind: "narrowed", keys: {} }), {
 *   kind: "narrowed",
 *   keys: {},
 *   backend_ids: {},
 *   unnarrowed: [],
 * });
 * ```
 */
export function decodeScope(value: unknown, path = "scope"): ReadScope {
  if (!isPlainObject(value)) return invalid(path, "expected an object");
  const kind = value.kind;
  if (kind === "full") return value as unknown as FullScope;
  if (kind !== "narrowed") {
    return invalid(keyPath(path, "kind"), 'expected "full" or "narrowed"');
  }
  const ids = objectMember(value, "backend_ids", path);
  for (const type of Object.keys(ids)) {
    const list = ids[type];
    if (!Array.isArray(list) || !list.every(isBackendId)) {
      return invalid(
        keyPath(keyPath(path, "backend_ids"), type),
        "expected an array of backend ids",
      );
    }
  }
  const keys = objectMember(value, "keys", path);
  for (const type of Object.keys(keys)) {
    const list = keys[type];
    const valid = Array.isArray(list) &&
      list.every((k) =>
        isPlainObject(k) && isPlainObject(k.key) && typeof k.canonical === "string"
      );
    if (!valid) {
      return invalid(keyPath(keyPath(path, "keys"), type), "expected an array of {key, canonical}");
    }
  }
  const unnarrowed = value.unnarrowed;
  if (unnarrowed === undefined) value.unnarrowed = [];
  else if (!Array.isArray(unnarrowed) || !unnarrowed.every((t) => typeof t === "string")) {
    return invalid(keyPath(path, "unnarrowed"), "expected an array of type names");
  }
  return value as unknown as NarrowedScope;
}
