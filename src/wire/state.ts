/**
 * The host's state: which backend id each uid is bound to, per type.
 *
 * @module
 */

import { clip, invalid, keyPath } from "./errors.ts";
import {
  type BackendId,
  backendIdKey,
  isBackendId,
  isPlainObject,
  isUuid,
  type Uid,
} from "./values.ts";

/**
 * The forward map the host sends: type name → uid → backend id.
 *
 * @example
 * ```ts
 * import type { StateMappings } from "@alembic-adapter/sdk";
 * const mappings: StateMappings = {
 *   "dcim.site": { "065690e9-7b8d-5a15-acc8-a6db4c42efb5": 1 },
 * };
 * ```
 */
export type StateMappings = Record<string, Record<Uid, BackendId>>;

/**
 * The state a request carries, with lookups both ways. Every call is a fresh process, so this
 * is all an adapter knows of earlier applies unless it keeps records of its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { State } from "@alembic-adapter/sdk";
 * const state = new State({ "dcim.site": { "065690e9-7b8d-5a15-acc8-a6db4c42efb5": 1 } });
 * assert.equal(state.backendId("dcim.site", "065690e9-7b8d-5a15-acc8-a6db4c42efb5"), 1);
 * assert.equal(state.uid("dcim.site", 1), "065690e9-7b8d-5a15-acc8-a6db4c42efb5");
 * ```
 */
export class State {
  /** The forward map, exactly as the host sent it. */
  readonly mappings: StateMappings;
  #reverse: Map<string, ReverseMap> = new Map();
  readonly #warn: (message: string) => void;

  /**
   * Wraps the host's mappings; nothing is copied.
   *
   * @param mappings The forward map (type → uid → backend id); empty by default.
   * @param warn Receives the note about two uids that share a backend id; `console.warn` by
   * default. Under `run()` it is the request's warning channel, stderr.
   */
  constructor(mappings: StateMappings = {}, warn: (message: string) => void = console.warn) {
    this.mappings = mappings;
    this.#warn = warn;
  }

  /**
   * The backend id bound to a uid, if state knows it.
   *
   * @param typeName The object's type.
   * @param uid The object's uid.
   * @returns The bound id, or `undefined`.
   */
  backendId(typeName: string, uid: Uid): BackendId | undefined {
    const byUid = ownMember(this.mappings, typeName);
    return byUid === undefined ? undefined : ownMember(byUid, uid);
  }

  /**
   * The uid bound to a backend id, if state knows it. The host keeps this direction
   * single-valued; should two uids share an id anyway, the first in sorted order wins and the
   * clash is reported on stderr. `1` and `"1"` are different ids; a `bigint` and a `number` of
   * the same value are the same id.
   *
   * @param typeName The object's type.
   * @param backendId The backend's id for it.
   * @returns The bound uid, or `undefined`.
   */
  uid(typeName: string, backendId: BackendId): Uid | undefined {
    let reverse = this.#reverse.get(typeName);
    if (reverse === undefined) {
      reverse = this.#invert(typeName);
      this.#reverse.set(typeName, reverse);
    }
    const n = integerKey(backendId);
    return n === undefined ? reverse.others.get(backendIdKey(backendId)) : reverse.numbers.get(n);
  }

  /**
   * The wire form, `{"mappings": …}`, so a `State` serializes as the host writes it.
   *
   * @returns The state data.
   */
  toJSON(): { mappings: StateMappings } {
    return { mappings: this.mappings };
  }

  #invert(typeName: string): ReverseMap {
    const reverse: ReverseMap = { numbers: new Map(), others: new Map() };
    const byUid = ownMember(this.mappings, typeName);
    if (byUid === undefined) return reverse;
    // The smallest uid wins a shared id: "first in sorted order" without sorting every uid.
    for (const uid of Object.keys(byUid)) {
      const id = byUid[uid]!;
      const n = integerKey(id);
      const map: Map<number | string, Uid> = n === undefined ? reverse.others : reverse.numbers;
      const key = n ?? backendIdKey(id);
      const other = map.get(key);
      if (other === undefined) {
        map.set(key, uid);
        continue;
      }
      const [first, second] = uid < other ? [uid, other] : [other, uid];
      map.set(key, first);
      this.#warn(
        `alembic-adapter-sdk: state maps ${typeName} backend id ${
          String(id)
        } to both ${first} and ${second}; using ${first}`,
      );
    }
    return reverse;
  }
}

/**
 * The reverse map of one type. Integer ids within ±(2^53−1), number or bigint, are keyed by
 * their value: `uid()` runs once per ref of a read, and building a string key for each lookup
 * cost more than the lookup. Every other id is keyed by {@link backendIdKey}; no key of one map
 * can equal a key of the other, so ids agree exactly when their backendIdKey strings do.
 */
interface ReverseMap {
  numbers: Map<number, Uid>;
  others: Map<string, Uid>;
}

function integerKey(id: BackendId): number | undefined {
  if (typeof id === "number") return Number.isSafeInteger(id) ? id : undefined;
  if (typeof id === "bigint") {
    return id >= -MAX_SAFE && id <= MAX_SAFE ? Number(id) : undefined;
  }
  return undefined;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function ownMember<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * Validates the `state` member of a request and wraps it. A missing `mappings` means `{}`
 * (the conformance runner sends `"state": {}`).
 *
 * @param value The `state` member of a request.
 * @param path Where the value sits, for error messages.
 * @param warn Where the state's notes go (see {@link State}); `console.warn` by default.
 * @returns A {@link State} over the same mappings object.
 * @throws {RequestError} `invalid request: state.mappings…: <detail>`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeState } from "@alembic-adapter/sdk/codec";
 * const state = decodeState({});
 * assert.equal(state.backendId("dcim.site", "065690e9-7b8d-5a15-acc8-a6db4c42efb5"), undefined);
 * ```
 */
export function decodeState(
  value: unknown,
  path = "state",
  warn: (message: string) => void = console.warn,
): State {
  if (!isPlainObject(value)) return invalid(path, "expected an object");
  const mappings = value.mappings;
  if (mappings === undefined) return new State({}, warn);
  const mappingsPath = keyPath(path, "mappings");
  if (!isPlainObject(mappings)) return invalid(mappingsPath, "expected an object");
  for (const typeName of Object.keys(mappings)) {
    const byUid = mappings[typeName];
    if (!isPlainObject(byUid)) {
      return invalid(keyPath(mappingsPath, typeName), "expected an object");
    }
    // The host sends every binding with every request (100k of them after a large apply).
    // for-in walks them without the key array Object.keys would build; it also visits
    // inherited enumerable keys, which are not the host's and are skipped.
    for (const uid in byUid) {
      if (isUuid(uid) && isBackendId(byUid[uid])) continue;
      if (!Object.hasOwn(byUid, uid)) continue;
      if (!isUuid(uid)) {
        return invalid(
          keyPath(mappingsPath, typeName),
          `expected UUID keys, got ${JSON.stringify(clip(uid))}`,
        );
      }
      return invalid(
        keyPath(keyPath(mappingsPath, typeName), uid),
        "expected a non-negative integer or a string",
      );
    }
  }
  return new State(mappings as StateMappings, warn);
}
