/**
 * The encoder's quick path for the two results that grow large, read answers and apply
 * reports: the checks of the full encoder without the bookkeeping that names a failure.
 *
 * @module
 */

import { MAX_DEPTH, REPORT_KEYS, RESULT_DEPTH, WIRE_ORDER } from "./_shapes.ts";
import { isBackendId, isPlainObject, isUuid } from "./values.ts";

/**
 * The full encoder's checks for read results and apply reports, without the bookkeeping that
 * names a failure (path, ancestors, closures, key arrays) and without the lone-surrogate test,
 * which `encodeResult` makes on the output. Each method returns the wire value, or `undefined`
 * as soon as anything is off; the full encoder then walks the result again and names the
 * problem. So it must refuse everything the full encoder refuses, and write what it writes:
 * `tests/encoder_agreement_test.ts` holds it to that on arbitrary results. On 100k objects the
 * bookkeeping cost more than the checks, and a fresh process pays it before the JIT has warmed
 * up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QuickCheck } from "./_quick_check.ts";
 * const quick = new QuickCheck(() => ({}));
 * assert.deepEqual(quick.objects([{ type_name: "dcim.site", key: { site: "fra1" } }]), [
 *   { type_name: "dcim.site", key: { site: "fra1" }, attrs: {} },
 * ]);
 * assert.equal(quick.objects([{ type_name: "dcim.site", key: {}, atrs: {} }]), undefined);
 * ```
 */
export class QuickCheck {
  /** Whether a checked value holds a `bigint`, which the serializer must then write exactly. */
  sawBigInt = false;
  readonly #provision: (value: unknown) => unknown;

  /**
   * Creates a checker for one result.
   *
   * @param provision Checks a provision report (small, so the caller's exact check serves) and
   * returns its wire form, or `undefined` to refuse it.
   */
  constructor(provision: (value: unknown) => unknown) {
    this.#provision = provision;
  }

  /**
   * A read answer's wire form.
   *
   * @param result What `read` returned.
   * @returns The wire value, or `undefined` when anything is off.
   */
  objects(result: unknown): unknown[] | undefined {
    if (!Array.isArray(result)) return undefined;
    const wire = new Array(result.length);
    for (let i = 0; i < result.length; i++) {
      const o = result[i];
      if (!isPlainObject(o)) return undefined;
      // How many of the wire keys came first and in wire order; WIRE_ORDER.length + 1 once
      // any key is out of place.
      let inOrder = 0;
      for (const k in o) {
        if (k === WIRE_ORDER[inOrder]) inOrder++;
        else if (
          k !== "type_name" && k !== "key" && k !== "attrs" && k !== "backend_id" &&
          Object.hasOwn(o, k)
        ) return undefined;
        else inOrder = WIRE_ORDER.length + 1;
      }
      const typeName = o.type_name;
      if (typeof typeName !== "string" || typeName.trim() === "") return undefined;
      const key = o.key;
      if (!isPlainObject(key) || !this.json(key, RESULT_DEPTH + 2)) return undefined;
      let attrs = o.attrs;
      if (attrs === undefined) {
        attrs = {};
        // An own `attrs: undefined` counts as in order, but JSON.stringify would drop it: only
        // a copy writes the `attrs: {}` the wire form holds.
        inOrder = WIRE_ORDER.length + 1;
      } else if (!isPlainObject(attrs) || !this.json(attrs, RESULT_DEPTH + 2)) return undefined;
      const id = o.backend_id;
      if (id === undefined || id === null) wire[i] = { type_name: typeName, key, attrs };
      else if (!this.backendId(id)) return undefined;
      // An object that already has exactly the wire keys, in wire order, is its own wire
      // form: JSON.stringify writes it as it would write the copy. Skipping 100k copies is a
      // tenth of the encoder's time on a large read. for-in lists own keys before inherited
      // ones, so an own `backend_id` means all four are own: one lent by a polluted
      // Object.prototype would be read here but not written by JSON.stringify.
      else if (inOrder === WIRE_ORDER.length && Object.hasOwn(o, "backend_id")) wire[i] = o;
      else wire[i] = { type_name: typeName, key, attrs, backend_id: id };
    }
    return wire;
  }

  /**
   * An apply report's wire form.
   *
   * @param result What `write` returned.
   * @returns The wire value, or `undefined` when anything is off.
   */
  applyReport(result: unknown): unknown {
    if (!isPlainObject(result)) return undefined;
    for (const k in result) if (!REPORT_KEYS.has(k) && Object.hasOwn(result, k)) return undefined;
    const applied = result.applied === undefined ? [] : this.#appliedList(result.applied);
    if (applied === undefined) return undefined;
    const out: Record<string, unknown> = { applied };
    if (result.resumed !== undefined) {
      const resumed = this.#appliedList(result.resumed);
      if (resumed === undefined) return undefined;
      if (resumed.length > 0) out.resumed = resumed;
    }
    const count = result.previously_applied_count;
    if (count !== undefined && count !== null) {
      if (typeof count === "bigint" && count >= 0n) this.sawBigInt = true;
      else if (!(typeof count === "number" && Number.isSafeInteger(count) && count >= 0)) {
        return undefined;
      }
      out.previously_applied_count = count;
    }
    const provision = result.provision;
    if (provision === undefined) out.provision = {};
    else {
      out.provision = this.#provision(provision);
      if (out.provision === undefined) return undefined;
    }
    return out;
  }

  #appliedList(value: unknown): unknown[] | undefined {
    if (!Array.isArray(value)) return undefined;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const entry = value[i];
      if (!isPlainObject(entry)) return undefined;
      for (const k in entry) {
        if (k !== "uid" && k !== "type_name" && k !== "backend_id" && Object.hasOwn(entry, k)) {
          return undefined;
        }
      }
      const uid = entry.uid;
      if (!isUuid(uid)) return undefined;
      const typeName = entry.type_name;
      if (typeof typeName !== "string" || typeName.trim() === "") return undefined;
      const id = entry.backend_id;
      if (id === undefined || id === null) out[i] = { uid, type_name: typeName };
      else if (this.backendId(id)) out[i] = { uid, type_name: typeName, backend_id: id };
      else return undefined;
    }
    return out;
  }

  /**
   * Whether a value is a backend id the host reads, noting a `bigint`.
   *
   * @param id The value.
   * @returns `true` for a backend id.
   */
  backendId(id: unknown): boolean {
    if (!isBackendId(id)) return false;
    if (typeof id === "bigint") this.sawBigInt = true;
    return true;
  }

  /**
   * The full encoder's JSON-value checks, lone surrogates aside; a cycle ends in the depth limit.
   *
   * @param value The value.
   * @param depth Its depth in the response document.
   * @returns `true` when the value is JSON the host reads.
   */
  json(value: unknown, depth: number): boolean {
    switch (typeof value) {
      case "string":
      case "boolean":
        return true;
      case "number":
        return Number.isFinite(value);
      case "bigint":
        this.sawBigInt = true;
        return true;
      case "object": {
        if (value === null) return true;
        if (depth > MAX_DEPTH) return false;
        // Scalars are checked in the loops: a call per value is most of the cost before the
        // JIT has optimized this.
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const item = value[i];
            if (typeof item === "string" || item === null || typeof item === "boolean") continue;
            if (typeof item === "number") {
              if (Number.isFinite(item)) continue;
              return false;
            }
            if (item === undefined || !this.json(item, depth + 1)) return false;
          }
          return true;
        }
        if (!isPlainObject(value)) return false;
        // for-in allocates no key array. It also visits inherited enumerable keys, which can
        // only make this check stricter than #json, never looser.
        for (const key in value) {
          const item = value[key];
          if (
            typeof item === "string" || item === undefined || item === null ||
            typeof item === "boolean"
          ) continue;
          if (typeof item === "number") {
            if (Number.isFinite(item)) continue;
            return false;
          }
          if (!this.json(item, depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }
}
