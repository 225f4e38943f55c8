/**
 * The union rule of a read's optional `scope` hint, ready to apply to the objects a read builds.
 *
 * @module
 */

import { type BackendId, backendIdKey, type Key } from "../wire/values.ts";
import type { ReadScope } from "../wire/scope.ts";
import { keyString } from "./uids.ts";

/**
 * What a caller knows about one object when asking {@linkcode ScopeHint.wants}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ScopeHint, type ScopeCandidate } from "@alembic-adapter/sdk";
 * const candidate: ScopeCandidate = { key: { slug: "fra1" }, backendId: 7 };
 * assert.equal(new ScopeHint(undefined).wants("dcim.site", candidate), true); // no scope: all
 * ```
 */
export interface ScopeCandidate {
  /** The object's key, if known; ref-typed key fields hold uids. */
  key?: Key;
  /** The object's backend id, if known. */
  backendId?: BackendId | null | undefined;
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
