/**
 * The response encoder: checks what an adapter returned against the protocol's closed shapes
 * and writes exactly the keys the protocol defines.
 *
 * The host rejects unknown keys at every level of a result (only `key` and `attrs` are open),
 * and `JSON.stringify` would quietly turn `NaN` into `null`, drop a key whose value is a
 * function, or throw on a `bigint`. Checking first turns each of those into one clear error
 * instead of a host decode failure.
 *
 * @module
 */

import { clip, describeValue, EncodeError, keyPath } from "./errors.ts";
import { stringifyJson } from "./json.ts";
import type { Method } from "./request.ts";
import { PROVISION_CATEGORIES } from "./results.ts";
import { QuickCheck } from "./_quick_check.ts";
import { MAX_DEPTH, OBJECT_KEYS, REPORT_KEYS, RESULT_DEPTH } from "./_shapes.ts";
import { isPlainObject, isUuid } from "./values.ts";

const APPLIED_KEYS: ReadonlySet<string> = new Set(["uid", "type_name", "backend_id"]);
const CATEGORY_KEYS: ReadonlySet<string> = new Set(PROVISION_CATEGORIES);
const ROLES: ReadonlySet<string> = new Set(["adapter", "observer", "emitter"]);

/**
 * Checks a method's result and returns its compact JSON text, holding only protocol keys:
 * `attrs` is always written, an absent `backend_id` is omitted, `resumed` only when non-empty,
 * `provision` always, provision categories exactly when set (even if empty), `role` always.
 *
 * @param method The method the result answers.
 * @param result What the adapter returned.
 * @returns The result's JSON text (`null` for a preview that cannot preview).
 * @throws {EncodeError} naming where the result breaks the protocol and how.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeResult } from "@alembic-adapter/sdk/codec";
 * assert.equal(
 *   encodeResult("read", [{ type_name: "dcim.site", key: { site: "fra1" }, backend_id: 1 }]),
 *   '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":1}]',
 * );
 * ```
 */
export function encodeResult(method: Method, result: unknown): string {
  if (method === "read" || method === "write") {
    const text = encodeQuickly(method, result);
    if (text !== undefined) return text;
  }
  return encodeFully(method, result);
}

/**
 * The quick path of {@link encodeResult} for the two results that grow large: read answers and
 * apply reports checked by `QuickCheck`, which keeps no path to name a failure. What it writes,
 * {@link encodeFully} writes too, to the character, and what that accepts, this does too, but
 * for output holding `\ud` (a lone surrogate's escape, or an escaped backslash before "ud") and
 * maps that inherit a non-JSON value from a polluted `Object.prototype`, which it leaves to the
 * full path (`tests/encoder_agreement_test.ts` holds it to all of that).
 *
 * @param method The method the result answers.
 * @param result What the adapter returned.
 * @returns The result's JSON text, or `undefined` to leave the result to {@link encodeFully}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeQuickly } from "./encode.ts";
 * assert.equal(
 *   encodeQuickly("read", [{ type_name: "dcim.site", key: { site: "fra1" } }]),
 *   '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{}}]',
 * );
 * assert.equal(encodeQuickly("read", [{ type_name: "dcim.site", key: { site: NaN } }]), undefined);
 * ```
 */
export function encodeQuickly(method: "read" | "write", result: unknown): string | undefined {
  const quick = new QuickCheck(quickProvision);
  const wire = method === "read" ? quick.objects(result) : quick.applyReport(result);
  if (wire === undefined) return undefined;
  const text = stringifyJson(wire, quick.sawBigInt);
  // JSON.stringify writes a lone surrogate as a \udXXX escape, so output without "\ud" has
  // none. With one (or an escaped backslash before "ud"), the full walk decides.
  return text.includes("\\ud") ? undefined : text;
}

/**
 * The full path of {@link encodeResult}: every check made with the path kept, so a refusal
 * names where the result breaks the protocol. {@link encodeResult} takes it for every result
 * {@link encodeQuickly} leaves, and for the small results of the other methods.
 *
 * @param method The method the result answers.
 * @param result What the adapter returned.
 * @returns The result's JSON text, as {@link encodeResult} returns it.
 * @throws {EncodeError} naming where the result breaks the protocol and how.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EncodeError } from "./errors.ts";
 * import { encodeFully } from "./encode.ts";
 * assert.equal(encodeFully("capabilities", {}), '{"role":"adapter"}');
 * assert.throws(
 *   () => encodeFully("read", [{ type_name: "dcim.site", key: { site: NaN } }]),
 *   new EncodeError("[0].key.site", "expected a finite number, got NaN"),
 * );
 * ```
 */
export function encodeFully(method: Method, result: unknown): string {
  const encoder = new Encoder();
  let wire: unknown;
  switch (method) {
    case "read":
      wire = encoder.objects(result);
      break;
    case "write":
      wire = encoder.applyReport(result);
      break;
    case "ensure_schema":
      wire = encoder.provision(result);
      break;
    case "preview_schema":
      wire = result === null ? null : encoder.provision(result);
      break;
    case "capabilities":
      wire = encoder.capabilities(result);
      break;
  }
  return stringifyJson(wire, encoder.sawBigInt);
}

/**
 * The success envelope for an encoded result, as one line.
 *
 * @param resultJson The text {@link encodeResult} returned.
 * @returns `{"ok":true,"result":…}` and a newline.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { successLine } from "@alembic-adapter/sdk/codec";
 * assert.equal(successLine("[]"), '{"ok":true,"result":[]}\n');
 * ```
 */
export function successLine(resultJson: string): string {
  return "".concat(...successPieces(resultJson));
}

/**
 * {@link successLine} as the pieces it is made of, in order. A writer that takes them one after
 * the other spares the copy that joining them costs: 23 MB for a read of 100k objects.
 *
 * @param resultJson The text {@link encodeResult} returned.
 * @returns The envelope's head, `resultJson` itself, and its tail with the newline.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { successPieces } from "./encode.ts";
 * assert.equal(successPieces("[]").join(""), '{"ok":true,"result":[]}\n');
 * ```
 */
export function successPieces(resultJson: string): [string, string, string] {
  return ['{"ok":true,"result":', resultJson, "}\n"];
}

/**
 * The error envelope, as one line. An empty message is replaced, and lone surrogates are
 * repaired, because the host cannot read either.
 *
 * @param message The error text.
 * @returns `{"ok":false,"error":…}` and a newline.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorLine } from "@alembic-adapter/sdk/codec";
 * assert.equal(errorLine("no deletes here"), '{"ok":false,"error":"no deletes here"}\n');
 * ```
 */
export function errorLine(message: string): string {
  const text = message.trim() === "" ? "adapter failed without an error message" : message;
  return `${JSON.stringify({ ok: false, error: text.toWellFormed() })}\n`;
}

class Encoder {
  sawBigInt = false;
  #path: Array<string | number> = [];
  #ancestors: object[] = [];

  objects(result: unknown): unknown[] {
    if (!Array.isArray(result)) {
      this.#fail(`expected an array of objects, got ${describeValue(result)}`);
    }
    const out = new Array(result.length);
    for (let i = 0; i < result.length; i++) {
      this.#path.push(i);
      out[i] = this.#object(result[i]);
      this.#path.pop();
    }
    return out;
  }

  #object(value: unknown): unknown {
    const depth = RESULT_DEPTH + 1;
    const o = this.#closed(value, OBJECT_KEYS, "an object {type_name, key, attrs, backend_id}");
    const typeName = this.#typeName(o);
    const key = this.#openMap(o, "key", depth + 1, false);
    const attrs = this.#openMap(o, "attrs", depth + 1, true);
    const id = o.backend_id;
    if (id === undefined || id === null) return { type_name: typeName, key, attrs };
    this.#path.push("backend_id");
    this.#backendId(id);
    this.#path.pop();
    return { type_name: typeName, key, attrs, backend_id: id };
  }

  applyReport(result: unknown): unknown {
    const report = this.#closed(
      result,
      REPORT_KEYS,
      "an apply report {applied, resumed, previously_applied_count, provision}",
    );
    const out: Record<string, unknown> = {
      applied: this.#at("applied", () => this.#appliedList(report.applied)) ?? [],
    };
    const resumed = this.#at("resumed", () => this.#appliedList(report.resumed));
    if (resumed !== undefined && resumed.length > 0) out.resumed = resumed;
    const count = report.previously_applied_count;
    if (count !== undefined && count !== null) {
      this.#at("previously_applied_count", () => this.#count(count));
      out.previously_applied_count = count;
    }
    const provision = report.provision;
    out.provision = provision === undefined
      ? {}
      : this.#at("provision", () => this.provision(provision));
    return out;
  }

  #appliedList(value: unknown): unknown[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.#fail(`expected an array, got ${describeValue(value)}`);
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      this.#path.push(i);
      const entry = this.#closed(
        value[i],
        APPLIED_KEYS,
        "an applied op {uid, type_name, backend_id}",
      );
      const uid = entry.uid;
      if (!isUuid(uid)) {
        this.#at("uid", () => this.#fail(`expected a UUID, got ${describeValue(uid)}`));
      }
      const typeName = this.#typeName(entry);
      const id = entry.backend_id;
      if (id === undefined || id === null) out[i] = { uid, type_name: typeName };
      else {
        this.#path.push("backend_id");
        this.#backendId(id);
        this.#path.pop();
        out[i] = { uid, type_name: typeName, backend_id: id };
      }
      this.#path.pop();
    }
    return out;
  }

  provision(value: unknown): unknown {
    const report = this.#closed(value, CATEGORY_KEYS, "a provision report");
    const out: Record<string, string[]> = {};
    for (const category of PROVISION_CATEGORIES) {
      const list = report[category];
      if (list === undefined) continue;
      this.#at(category, () => {
        if (!Array.isArray(list)) {
          this.#fail(`expected an array of strings, got ${describeValue(list)}`);
        }
        for (let i = 0; i < list.length; i++) {
          this.#path.push(i);
          this.#string(list[i]);
          this.#path.pop();
        }
      });
      out[category] = list as string[];
    }
    return out;
  }

  capabilities(result: unknown): unknown {
    const caps = this.#closed(result, new Set(["role"]), "capabilities {role}");
    const role = caps.role ?? "adapter";
    if (typeof role !== "string" || !ROLES.has(role)) {
      this.#at(
        "role",
        () => this.#fail(`expected "adapter", "observer" or "emitter", got ${describeValue(role)}`),
      );
    }
    return { role };
  }

  /** A plain object whose keys are all in `allowed`. */
  #closed(value: unknown, allowed: ReadonlySet<string>, what: string): Record<string, unknown> {
    if (!isPlainObject(value)) this.#fail(`expected ${what}, got ${describeValue(value)}`);
    // for-in with hasOwn visits what Object.keys lists, in its order, without allocating an
    // array per object.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (!allowed.has(key)) {
        this.#fail(`unknown key \`${clip(key)}\` (allowed: ${[...allowed].join(", ")})`);
      }
    }
    return value;
  }

  // The per-object checks push and pop the path inline rather than through #at, which would
  // allocate a closure per check.
  #typeName(owner: Record<string, unknown>): string {
    const name = owner.type_name;
    this.#path.push("type_name");
    if (typeof name !== "string" || name.trim() === "") {
      this.#fail(`expected a type name, got ${describeValue(name)}`);
    }
    this.#string(name);
    this.#path.pop();
    return name;
  }

  #openMap(
    owner: Record<string, unknown>,
    name: "key" | "attrs",
    depth: number,
    optional: boolean,
  ): unknown {
    const map = owner[name];
    if (map === undefined && optional) return {};
    this.#path.push(name);
    if (!isPlainObject(map)) this.#fail(`expected an object, got ${describeValue(map)}`);
    this.#json(map, depth);
    this.#path.pop();
    return map;
  }

  #backendId(id: unknown): void {
    switch (typeof id) {
      case "string":
        this.#string(id);
        return;
      case "number":
        if (!Number.isInteger(id) || id < 0) break;
        if (!Number.isSafeInteger(id)) {
          this.#fail(
            `backend id ${id} is beyond 2^53-1, where a number loses digits; pass it as a bigint or a string`,
          );
        }
        return;
      case "bigint":
        if (id < 0n || id > 0xffff_ffff_ffff_ffffn) break;
        this.sawBigInt = true;
        return;
    }
    this.#fail(`expected a non-negative integer or a string, got ${describeValue(id)}`);
  }

  #count(value: unknown): void {
    if (typeof value === "bigint" && value >= 0n) {
      this.sawBigInt = true;
      return;
    }
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return;
    this.#fail(`expected a non-negative integer, got ${describeValue(value)}`);
  }

  #string(value: unknown): void {
    if (typeof value !== "string") this.#fail(`expected a string, got ${describeValue(value)}`);
    if (!value.isWellFormed()) {
      this.#fail("the string holds a lone UTF-16 surrogate, which is not valid UTF-8");
    }
  }

  /** Any JSON value, at `depth` if it is a container. */
  #json(value: unknown, depth: number): void {
    switch (typeof value) {
      case "string":
        this.#string(value);
        return;
      case "number":
        if (!Number.isFinite(value)) this.#fail(`expected a finite number, got ${value}`);
        return;
      case "boolean":
        return;
      case "bigint":
        this.sawBigInt = true;
        return;
      case "object": {
        if (value === null) return;
        if (this.#ancestors.includes(value)) this.#fail("circular reference");
        if (depth > MAX_DEPTH) {
          this.#fail(`nested more than ${MAX_DEPTH} levels deep, which the host cannot read`);
        }
        this.#ancestors.push(value);
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            this.#path.push(i);
            const item = value[i];
            if (item === undefined) this.#fail("expected a JSON value, got undefined");
            this.#json(item, depth + 1);
            this.#path.pop();
          }
        } else if (isPlainObject(value)) {
          for (const key of Object.keys(value)) {
            const item = value[key];
            if (item === undefined) continue;
            this.#path.push(key);
            if (!key.isWellFormed()) this.#fail("the key holds a lone UTF-16 surrogate");
            this.#json(item, depth + 1);
            this.#path.pop();
          }
        } else {
          this.#fail(`expected a JSON value, got ${describeValue(value)}`);
        }
        this.#ancestors.pop();
        return;
      }
      default:
        this.#fail(`expected a JSON value, got ${describeValue(value)}`);
    }
  }

  #at<T>(key: string, check: () => T): T {
    this.#path.push(key);
    const result = check();
    this.#path.pop();
    return result;
  }

  #fail(problem: string): never {
    throw new EncodeError(renderPath(this.#path), problem);
  }
}

/** The provision check for the quick path: small, so the exact one serves; `undefined` refuses. */
function quickProvision(value: unknown): unknown {
  try {
    return new Encoder().provision(value);
  } catch (e) {
    if (e instanceof EncodeError) return undefined;
    throw e;
  }
}

function renderPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const part of path) out = typeof part === "number" ? `${out}[${part}]` : keyPath(out, part);
  return out;
}
