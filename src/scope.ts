/**
 * The optional, advisory `scope` of a read request.
 *
 * Only unreleased hosts between alembic 0.9.0 and 0.10.0 send it; released hosts never do. It
 * names what the host needs to see; returning more is always correct, so an adapter that
 * ignores it is correct too.
 *
 * @module
 */

import { invalid, keyPath } from "./errors.ts";
import { keyString } from "./identity.ts";
import { type BackendId, backendIdKey, isBackendId, isPlainObject, type Key } from "./values.ts";

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
 * import { decodeScope } from "@alembic-adapter/sdk";
 * decodeScope({ kind: "narrowed", keys: {} }); // { kind: "narrowed", keys: {}, backend_ids: {}, unnarrowed: [] }
 * ```
 */
export function decodeScope(value: unknown, path = "scope"): ReadScope {
  if (!isPlainObject(value)) return invalid(path, "expected an object");
  const kind = value.kind;
  if (kind === "full") return value as unknown as FullScope;
  if (kind !== "narrowed") {
    return invalid(keyPath(path, "kind"), 'expected "full" or "narrowed"');
  }
  const ids = perType(value, "backend_ids", path);
  for (const type of Object.keys(ids)) {
    const list = ids[type];
    if (!Array.isArray(list) || !list.every(isBackendId)) {
      return invalid(
        keyPath(keyPath(path, "backend_ids"), type),
        "expected an array of backend ids",
      );
    }
  }
  const keys = perType(value, "keys", path);
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

function perType(
  owner: Record<string, unknown>,
  key: string,
  path: string,
): Record<string, unknown> {
  const member = owner[key];
  if (member === undefined) return (owner[key] = {});
  if (!isPlainObject(member)) return invalid(keyPath(path, key), "expected an object");
  return member;
}

/**
 * What a caller knows about one object when asking {@linkcode ScopeHint.wants}.
 *
 * @example
 * ```ts
 * import { ScopeHint, type ScopeCandidate } from "@alembic-adapter/sdk";
 * const candidate: ScopeCandidate = { key: { slug: "fra1" }, backendId: 7 };
 * new ScopeHint(undefined).wants("dcim.site", candidate); // true: no scope wants everything
 * ```
 */
export interface ScopeCandidate {
  /** The object's key, if known; ref-typed key fields hold uids. */
  key?: Key;
  /** The object's backend id, if known. */
  backendId?: BackendId | null;
}

/**
 * The union rule of a read's `scope`, ready to apply. An absent scope and `{"kind":"full"}`
 * want everything; so does a type listed in `unnarrowed`. Otherwise an object of a requested
 * type is wanted when its canonical key is among the scope's keys for that type **or** its
 * backend id is among the scope's ids, and also when the caller cannot tell (key or id
 * unknown), since returning more than the hint names is always correct and returning less
 * loses objects:
 *
 * - keys alone would drop an object whose key drifted on the backend since it was bound;
 * - ids alone would drop an object state never bound, which blocks its adoption.
 *
 * A type the narrowed scope names nowhere wants nothing.
 *
 * @example
 * ```ts
 * import { type ExternalObject, type ReadScope, ScopeHint } from "@alembic-adapter/sdk";
 * function narrow(objects: ExternalObject[], scope?: ReadScope): ExternalObject[] {
 *   return new ScopeHint(scope).filter(objects);
 * }
 * ```
 */
export class ScopeHint {
  /** The scope as the host sent it; `undefined` when it sent none. */
  readonly scope: ReadScope | undefined;
  #keys: Map<string, Set<string>> = new Map();
  #ids: Map<string, Set<string>> = new Map();
  #whole: Set<string>;

  /**
   * Prepares the rule; nothing is copied from the scope but its lookup sets.
   *
   * @param scope The `scope` argument of `read`, or `undefined`.
   */
  constructor(scope: ReadScope | undefined) {
    this.scope = scope;
    this.#whole = new Set(scope?.kind === "narrowed" ? scope.unnarrowed : []);
  }

  /**
   * Whether every object of a type is wanted: no scope, a full scope, or a type held out in
   * `unnarrowed`. Use it to skip building backend queries.
   *
   * @param typeName A requested type.
   * @returns `true` when the whole type must be read.
   */
  readsWhole(typeName: string): boolean {
    return this.scope?.kind !== "narrowed" || this.#whole.has(typeName);
  }

  /**
   * Whether the host wants an object, by the union rule. Pass what you know; an unknown key
   * or id counts as a possible match.
   *
   * @param typeName The object's type.
   * @param candidate The object's key and backend id, either may be left out.
   * @returns `true` when the object must be returned.
   */
  wants(typeName: string, candidate: ScopeCandidate): boolean {
    const scope = this.scope;
    if (scope?.kind !== "narrowed" || this.#whole.has(typeName)) return true;
    const keys = this.#lookup(
      this.#keys,
      typeName,
      () =>
        (Object.hasOwn(scope.keys, typeName) ? scope.keys[typeName] : undefined)?.map((k) =>
          k.canonical
        ),
    );
    const ids = this.#lookup(
      this.#ids,
      typeName,
      () =>
        (Object.hasOwn(scope.backend_ids, typeName) ? scope.backend_ids[typeName] : undefined)
          ?.map(backendIdKey),
    );
    if (keys === undefined && ids === undefined) return false;
    const { key, backendId } = candidate;
    if (key === undefined || backendId === undefined || backendId === null) return true;
    return (keys?.has(keyString(key)) ?? false) || (ids?.has(backendIdKey(backendId)) ?? false);
  }

  /**
   * The objects of a batch the host wants, in their order ({@linkcode ScopeHint.wants} on each
   * object's `type_name`, `key` and `backend_id`).
   *
   * @param objects A batch of read results.
   * @returns The wanted ones (the same array when the scope wants everything).
   */
  filter<T extends { type_name: string; key: Key; backend_id?: BackendId | null }>(
    objects: T[],
  ): T[] {
    if (this.scope?.kind !== "narrowed") return objects;
    return objects.filter((o) => this.wants(o.type_name, { key: o.key, backendId: o.backend_id }));
  }

  #lookup(
    cache: Map<string, Set<string>>,
    typeName: string,
    load: () => string[] | undefined,
  ): Set<string> | undefined {
    if (!cache.has(typeName)) {
      const values = load();
      if (values === undefined) return undefined;
      cache.set(typeName, new Set(values));
    }
    return cache.get(typeName);
  }
}
