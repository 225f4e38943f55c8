/**
 * The adapter API: the methods an adapter may implement, the `Adapter` base class with the
 * protocol's defaults, and the role an adapter plays when it does not say.
 *
 * @module
 */

import {
  checkSetup,
  describeSetup as describeSetup_,
  type SetupCheck,
  type SetupDescription,
} from "./setup/check.ts";
import type { JsonObject, JsonValue } from "./wire/json.ts";
import type { Op } from "./wire/ops.ts";
import type {
  ApplyReport,
  Capabilities,
  ExternalObject,
  ProvisionReport,
  Role,
} from "./wire/results.ts";
import type { Schema } from "./wire/schema.ts";
import type { ReadScope } from "./wire/scope.ts";
import type { State } from "./wire/state.ts";

/**
 * A value, or a promise of it: every adapter method may be sync or async.
 *
 * @example
 * ```ts
 * import type { MaybePromise } from "@alembic-adapter/sdk";
 * const now: MaybePromise<number> = 1;
 * const later: MaybePromise<number> = Promise.resolve(1);
 * ```
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What an adapter may implement; every method is optional and may be sync or async. Pass a
 * plain object with the methods you need, or subclass {@link Adapter}. To give the adapter a
 * name, a version and a checked setup, wrap it in {@link defineAdapter}.
 *
 * Methods are camelCase; the wire names (`ensure_schema`, `preview_schema`) stay the
 * protocol's. Throwing (or rejecting) answers `{"ok":false,"error":<message>}`; the message
 * includes the `cause` chain.
 *
 * @example
 * ```ts
 * import { type AdapterMethods, run } from "@alembic-adapter/sdk";
 * const observer: AdapterMethods = {
 *   read: (_schema, types) =>
 *     types.includes("dcim.site")
 *       ? [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: {}, backend_id: 1 }]
 *       : [],
 * };
 * if (import.meta.main) run(observer); // serve under `deno run`; importing it serves nothing
 * ```
 */
export interface AdapterMethods<Setup = JsonValue> {
  /**
   * Receives the backend config's `setup` block (`null` when there is none) before every
   * method, capabilities included; once {@link defineAdapter} declares a validator, what the
   * validator gave back. A throw answers `invalid setup: <message>`.
   */
  setup?(config: Setup): MaybePromise<void>;
  /** The role. Without it, the role follows from which of `read` and `write` exist. */
  capabilities?(): MaybePromise<Capabilities>;
  /**
   * Observes the objects of `types` on the backend. Ref-typed fields must hold uids. `scope`
   * is the advisory narrowing hint, present only when the host sent one.
   */
  read?(
    schema: Schema,
    types: string[],
    state: State,
    scope?: ReadScope,
  ): MaybePromise<ExternalObject[]>;
  /** Applies `ops` in order and reports each applied op. */
  write?(schema: Schema, ops: Op[], state: State): MaybePromise<ApplyReport>;
  /**
   * `false` for a writer whose backend has no ids (an emitter that writes files): its creates
   * and updates are then reported without a backend id, and the SDK does not warn about that.
   * Absent or `true`, a create or update reported without one is warned about on stderr,
   * because alembic then keeps no binding for the object.
   */
  readonly assignsBackendIds?: boolean;
  /** Provisions the backend for `schema` and reports what changed. */
  ensureSchema?(schema: Schema): MaybePromise<ProvisionReport>;
  /** Reports what `ensureSchema` would do, writing nothing; `null` means "cannot preview". */
  previewSchema?(schema: Schema): MaybePromise<ProvisionReport | null>;
}

/** The error text of a write the adapter does not implement. */
export const WRITE_NOT_IMPLEMENTED = "adapter does not implement write";

/**
 * A base class with the protocol's defaults, for adapters written as classes. Override what
 * your backend supports:
 *
 * | method | default |
 * |---|---|
 * | `setup` | does nothing |
 * | `capabilities` | the role your overrides imply: `read` only → `observer`, `write` only → `emitter`, otherwise `adapter` |
 * | `read` | `[]` (emit-only adapters and hosts older than `capabilities` rely on it) |
 * | `write` | fails with `adapter does not implement write` |
 * | `ensureSchema` | the empty report `{}` |
 * | `previewSchema` | the empty report `{}` (return `null` to say "cannot preview") |
 * | `assignsBackendIds` | `true`: creates and updates are reported with their backend id |
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Adapter, applied, type ApplyReport, type Op, run, type Schema, type State } from "@alembic-adapter/sdk";
 *
 * class Emitter extends Adapter {
 *   override write(_schema: Schema, ops: Op[], _state: State): ApplyReport {
 *     return { applied: ops.map((op, i) => applied(op, i + 1)) };
 *   }
 * }
 * assert.deepEqual(await new Emitter().capabilities(), { role: "emitter" }); // write only
 * if (import.meta.main) run(new Emitter()); // serve under `deno run`; importing it serves nothing
 * ```
 */
export class Adapter<Setup = JsonValue> implements AdapterMethods<Setup> {
  /**
   * Whether the backend gives the objects it writes ids. Override it with `false` for an
   * emitter that writes files, so creates and updates reported without an id draw no warning.
   */
  readonly assignsBackendIds: boolean = true;

  /**
   * Receives the `setup` block before every method. Does nothing by default.
   *
   * @param _config The backend config's `setup` block, or `null`; with {@link defineAdapter}
   * and a validator, what the validator gave back.
   */
  setup(_config: Setup): MaybePromise<void> {}

  /**
   * The role implied by the methods this class overrides.
   *
   * @returns `{ role }`.
   */
  capabilities(): MaybePromise<Capabilities> {
    return { role: impliedRole(this) };
  }

  /**
   * Observes nothing by default.
   *
   * @param _schema The inventory schema.
   * @param _types The types to read.
   * @param _state The host's state.
   * @param _scope The advisory narrowing hint, when the host sent one.
   * @returns `[]`.
   */
  read(
    _schema: Schema,
    _types: string[],
    _state: State,
    _scope?: ReadScope,
  ): MaybePromise<ExternalObject[]> {
    return [];
  }

  /**
   * Fails by default: `adapter does not implement write`.
   *
   * @param _schema The plan's schema.
   * @param _ops The ops to apply.
   * @param _state The host's state.
   * @returns Never.
   */
  write(_schema: Schema, _ops: Op[], _state: State): MaybePromise<ApplyReport> {
    throw new Error(WRITE_NOT_IMPLEMENTED);
  }

  /**
   * Provisions nothing by default.
   *
   * @param _schema The schema to provision.
   * @returns `{}`.
   */
  ensureSchema(_schema: Schema): MaybePromise<ProvisionReport> {
    return {};
  }

  /**
   * Previews nothing by default.
   *
   * @param _schema The schema to preview.
   * @returns `{}`.
   */
  previewSchema(_schema: Schema): MaybePromise<ProvisionReport | null> {
    return {};
  }
}

/**
 * The role an adapter's methods imply: `observer` when it reads but does not write, `emitter`
 * when it writes but does not read, `adapter` otherwise. Methods inherited unchanged from
 * {@link Adapter} do not count.
 *
 * @param adapter A plain object or an {@link Adapter}.
 * @returns The implied role.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { impliedRole } from "@alembic-adapter/sdk/codec";
 * assert.equal(impliedRole({ read: () => [] }), "observer");
 * ```
 */
export function impliedRole(adapter: AdapterMethods<never>): Role {
  const reads = overrides(adapter, "read");
  const writes = overrides(adapter, "write");
  if (reads && !writes) return "observer";
  if (writes && !reads) return "emitter";
  return "adapter";
}

/** Whether the adapter has its own `name` method (not absent, not the base class default). */
export function overrides(adapter: AdapterMethods<never>, name: "read" | "write"): boolean {
  const method = adapter[name];
  return typeof method === "function" && method !== Adapter.prototype[name];
}

// ---- defineAdapter ---------------------------------------------------------------------------

/**
 * Who an adapter is: what `--version` and `--about` print. Written in code, where the adapter
 * is defined, so it is there in a `deno compile` binary and in a run without read permission.
 *
 * @example
 * ```ts
 * import type { AdapterAbout } from "@alembic-adapter/sdk";
 * const about: AdapterAbout = { name: "netbox-sites", version: "1.2.0" };
 * ```
 */
export interface AdapterAbout {
  /** The adapter's name, such as `netbox-sites`. */
  name: string;
  /** Its version, such as `1.2.0`. */
  version: string;
  /** One line on what it connects alembic to. */
  description?: string | undefined;
}

/**
 * {@link AdapterAbout}, and the setup the adapter accepts.
 *
 * @typeParam Setup What the validator gives back, and the methods receive.
 * @example
 * ```ts
 * import type { AdapterInfo } from "@alembic-adapter/sdk";
 * const info: AdapterInfo<string> = {
 *   name: "file-store",
 *   version: "0.3.0",
 *   setup: (config) => {
 *     if (typeof config !== "string") throw new Error("expected the store's path");
 *     return config;
 *   },
 *   setupJsonSchema: { type: "string" },
 * };
 * ```
 */
export interface AdapterInfo<Setup = JsonValue> extends AdapterAbout {
  /**
   * Checks the `setup` block before every method, capabilities included: a Standard Schema
   * validator (zod, valibot, arktype, …) or a function returning the checked value. A refusal
   * answers `invalid setup: <path>: <message>; …`. Without it the methods receive the block as
   * it came (`null` when the backend config has none).
   */
  setup?: SetupCheck<Setup> | undefined;
  /**
   * The JSON Schema of the setup block, for `--about`, when the validator cannot say it itself
   * (valibot: `toJsonSchema(schema)` from `@valibot/to-json-schema`; zod before 4.2:
   * `z.toJSONSchema(schema, { io: "input" })`).
   */
  setupJsonSchema?: JsonObject | undefined;
}

/**
 * An adapter as one object: its {@link AdapterInfo} and the methods it implements, each of them
 * receiving the checked setup as its last argument, typed from the validator.
 *
 * @typeParam Setup What the validator gives back.
 * @example
 * ```ts
 * import type { AdapterDefinition } from "@alembic-adapter/sdk";
 * const definition: AdapterDefinition<{ site: string }> = {
 *   name: "one-site",
 *   version: "1.0.0",
 *   read: (_schema, types, _state, _scope, setup) =>
 *     types.includes("dcim.site")
 *       ? [{ type_name: "dcim.site", key: { site: setup.site }, attrs: {}, backend_id: 1 }]
 *       : [],
 * };
 * ```
 */
export interface AdapterDefinition<Setup = JsonValue> extends AdapterInfo<Setup> {
  /**
   * `false` for a backend that has no ids (an emitter that writes files): creates and updates
   * reported without one are then not warned about. See {@link AdapterMethods}.
   */
  readonly assignsBackendIds?: boolean;
  /** The role. Without it, the role follows from which of `read` and `write` exist. */
  capabilities?(setup: Setup): MaybePromise<Capabilities>;
  /**
   * Observes the objects of `types`. `scope` is the advisory narrowing hint, `undefined` when
   * the host sent none.
   */
  read?(
    schema: Schema,
    types: string[],
    state: State,
    scope: ReadScope | undefined,
    setup: Setup,
  ): MaybePromise<ExternalObject[]>;
  /** Applies `ops` in order and reports each applied op. */
  write?(schema: Schema, ops: Op[], state: State, setup: Setup): MaybePromise<ApplyReport>;
  /** Provisions the backend for `schema` and reports what changed. */
  ensureSchema?(schema: Schema, setup: Setup): MaybePromise<ProvisionReport>;
  /** Reports what `ensureSchema` would do, writing nothing; `null` means "cannot preview". */
  previewSchema?(schema: Schema, setup: Setup): MaybePromise<ProvisionReport | null>;
}

/**
 * A protocol method by its wire name.
 *
 * @example
 * ```ts
 * import type { WireMethod } from "@alembic-adapter/sdk";
 * const method: WireMethod = "ensure_schema";
 * ```
 */
export type WireMethod = "capabilities" | "read" | "write" | "ensure_schema" | "preview_schema";

/**
 * An adapter made by {@link defineAdapter}: `run()` serves it, `invoke()` tests it, and
 * `--about` describes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineAdapter } from "@alembic-adapter/sdk";
 * const adapter = defineAdapter({ name: "empty", version: "0.0.1", read: () => [] });
 * assert.deepEqual(adapter.about, { name: "empty", version: "0.0.1" });
 * assert.deepEqual(adapter["~alembic"].implements, ["read"]);
 * ```
 */
export interface DefinedAdapter {
  /** Its name, version and description. */
  readonly about: AdapterAbout;
  /** What the SDK reads from it; tilde-prefixed, as Standard Schema's `~standard`. */
  readonly "~alembic": DefinedAdapterParts;
}

/**
 * The parts of a {@link DefinedAdapter} the SDK uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineAdapter } from "@alembic-adapter/sdk";
 * const parts = defineAdapter({ name: "w", version: "1.0.0", write: () => ({ applied: [] }) })["~alembic"];
 * assert.equal(parts.role, "emitter");
 * assert.equal(parts.describeSetup(), null);
 * ```
 */
export interface DefinedAdapterParts {
  /** The wire methods the adapter implements itself; the SDK answers the others by default. */
  readonly implements: readonly WireMethod[];
  /** The role its methods imply, or `undefined` when its `capabilities()` decides. */
  readonly role: Role | undefined;
  /** The setup it accepts, or `null` when it takes any block unchecked. */
  describeSetup(): SetupDescription | null;
  /**
   * Checks a setup block and runs the setup hook, then gives the methods to call with it bound.
   * Rejects, with the text after `invalid setup: `, when the block is refused.
   */
  prepare(config: JsonValue): Promise<AdapterMethods<never>>;
}

/**
 * Anything `run()` serves: a plain object of methods, an {@link Adapter}, or a
 * {@link DefinedAdapter}.
 *
 * @example
 * ```ts
 * import { type AdapterLike, defineAdapter } from "@alembic-adapter/sdk";
 * const adapters: AdapterLike[] = [{}, defineAdapter({ name: "a", version: "1.0.0" })];
 * ```
 */
export type AdapterLike = AdapterMethods | DefinedAdapter;

/**
 * Defines an adapter without starting it, so that its tests can import it, and types every
 * method's parameters, setup included.
 *
 * With one argument, the adapter is one object: name, version, optional `setup` validator, and
 * the methods, each receiving the checked setup as its last argument. With two, it is an
 * object or an {@link Adapter} subclass instance whose `setup(config)` hook receives the
 * checked setup (a class's methods cannot take their parameter types from the base class:
 * annotate them, as the example shows).
 *
 * Start it from the module's own code with `run(adapter, { ifMain: import.meta })`, or
 * `if (import.meta.main) run(adapter)` where `import.meta.main` exists (Deno, Bun, Node ≥ 24.2).
 *
 * @param definition The adapter's name, version, setup validator and methods.
 * @returns The adapter, for `run()`, `invoke()` and `--about`.
 * @example One object; the setup is checked and typed by a Standard Schema validator
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineAdapter, type StandardSchemaV1 } from "@alembic-adapter/sdk";
 * import { invoke, request } from "@alembic-adapter/sdk/testing";
 *
 * // Any Standard Schema validator does: zod's z.object({ site: z.string() }), valibot's, …
 * const SiteSetup: StandardSchemaV1<unknown, { site: string }> = {
 *   "~standard": {
 *     version: 1,
 *     vendor: "example",
 *     validate: (v) =>
 *       typeof (v as { site?: unknown })?.site === "string"
 *         ? { value: v as { site: string } }
 *         : { issues: [{ message: "Expected string", path: ["site"] }] },
 *   },
 * };
 *
 * const adapter = defineAdapter({
 *   name: "one-site",
 *   version: "1.0.0",
 *   setup: SiteSetup,
 *   read(_schema, types, _state, _scope, setup) {
 *     return types.includes("dcim.site")
 *       ? [{ type_name: "dcim.site", key: { site: setup.site }, attrs: {}, backend_id: 1 }]
 *       : [];
 *   },
 * });
 *
 * const bad = await invoke(adapter, request.capabilities({ setup: { site: 1 } }));
 * assert.deepEqual(bad, { ok: false, error: "invalid setup: site: Expected string" });
 * ```
 */
export function defineAdapter<Setup = JsonValue>(
  definition: AdapterDefinition<Setup>,
): DefinedAdapter;
/**
 * Defines an adapter from its info and an object or {@link Adapter} instance whose
 * `setup(config)` hook receives the checked setup.
 *
 * @param info The adapter's name, version and setup validator.
 * @param adapter Its methods: an {@link Adapter} subclass instance or a plain object.
 * @returns The adapter.
 * @example A class: annotate the parameters, the hook receives the checked setup
 * ```ts
 * import assert from "node:assert/strict";
 * import { Adapter, defineAdapter, type ExternalObject, type Schema, type State } from "@alembic-adapter/sdk";
 *
 * type Setup = { site: string };
 * class OneSite extends Adapter<Setup> {
 *   site = "";
 *   override setup(config: Setup): void {
 *     this.site = config.site;
 *   }
 *   override read(_schema: Schema, types: string[], _state: State): ExternalObject[] {
 *     return types.includes("dcim.site")
 *       ? [{ type_name: "dcim.site", key: { site: this.site }, attrs: {}, backend_id: 1 }]
 *       : [];
 *   }
 * }
 * const check = (config: unknown): Setup => ({ site: String((config as Setup).site) });
 * const adapter = defineAdapter({ name: "one-site", version: "1.0.0", setup: check }, new OneSite());
 * assert.equal(adapter["~alembic"].role, "observer");
 * ```
 */
export function defineAdapter<Setup = JsonValue>(
  info: AdapterInfo<Setup>,
  adapter: AdapterMethods<Setup>,
): DefinedAdapter;
export function defineAdapter<Setup = JsonValue>(
  definition: AdapterDefinition<Setup>,
  adapter?: AdapterMethods<Setup>,
): DefinedAdapter {
  const about: AdapterAbout = { name: definition.name, version: definition.version };
  if (definition.description !== undefined) about.description = definition.description;
  const { setup: check, setupJsonSchema } = definition;
  const checked = (config: JsonValue): Promise<Setup> =>
    check === undefined ? Promise.resolve(config as Setup) : checkSetup(check, config);
  const describeSetup = (): SetupDescription | null =>
    check === undefined ? null : describeSetup_(check as SetupCheck<unknown>, setupJsonSchema);
  if (adapter !== undefined) {
    const methods = adapter as AdapterMethods<never>;
    const has = implementedMethods(methods);
    return {
      about,
      "~alembic": {
        implements: has,
        role: has.includes("capabilities") ? undefined : impliedRole(methods),
        describeSetup,
        async prepare(config) {
          const setup = await checked(config);
          await adapter.setup?.(setup);
          return adapter as AdapterMethods<never>;
        },
      },
    };
  }
  const d = definition;
  const has = {
    capabilities: typeof d.capabilities === "function",
    read: typeof d.read === "function",
    write: typeof d.write === "function",
    ensureSchema: typeof d.ensureSchema === "function",
    previewSchema: typeof d.previewSchema === "function",
  };
  return {
    about,
    "~alembic": {
      implements: wireMethods(has),
      role: has.capabilities ? undefined : roleOf(has.read, has.write),
      describeSetup,
      async prepare(config) {
        const setup = await checked(config);
        // Bound per request, not stored on the definition: concurrent invokes in a test must
        // not see each other's setup.
        const bound: AdapterMethods<never> = d.assignsBackendIds === undefined
          ? {}
          : { assignsBackendIds: d.assignsBackendIds };
        if (has.capabilities) bound.capabilities = () => d.capabilities!(setup);
        if (has.read) {
          bound.read = (schema, types, state, scope) => d.read!(schema, types, state, scope, setup);
        }
        if (has.write) bound.write = (schema, ops, state) => d.write!(schema, ops, state, setup);
        if (has.ensureSchema) bound.ensureSchema = (schema) => d.ensureSchema!(schema, setup);
        if (has.previewSchema) bound.previewSchema = (schema) => d.previewSchema!(schema, setup);
        return bound;
      },
    },
  };
}

function roleOf(reads: boolean, writes: boolean): Role {
  if (reads && !writes) return "observer";
  if (writes && !reads) return "emitter";
  return "adapter";
}

/**
 * The wire methods an object or {@link Adapter} implements itself: methods it has, other than
 * those inherited unchanged from {@link Adapter}.
 *
 * @param adapter The adapter.
 * @returns Wire names, in the protocol's order.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Adapter } from "@alembic-adapter/sdk";
 * import { implementedMethods } from "./adapter.ts";
 * assert.deepEqual(implementedMethods(new Adapter()), []);
 * assert.deepEqual(implementedMethods({ read: () => [], previewSchema: () => null }), ["read", "preview_schema"]);
 * ```
 */
export function implementedMethods(adapter: AdapterMethods<never>): WireMethod[] {
  const own = (name: "capabilities" | "ensureSchema" | "previewSchema"): boolean =>
    typeof adapter[name] === "function" && adapter[name] !== Adapter.prototype[name];
  return wireMethods({
    capabilities: own("capabilities"),
    read: overrides(adapter, "read"),
    write: overrides(adapter, "write"),
    ensureSchema: own("ensureSchema"),
    previewSchema: own("previewSchema"),
  });
}

function wireMethods(
  has: Record<"capabilities" | "read" | "write" | "ensureSchema" | "previewSchema", boolean>,
): WireMethod[] {
  const out: WireMethod[] = [];
  if (has.capabilities) out.push("capabilities");
  if (has.read) out.push("read");
  if (has.write) out.push("write");
  if (has.ensureSchema) out.push("ensure_schema");
  if (has.previewSchema) out.push("preview_schema");
  return out;
}

/**
 * Whether `adapter` was made by {@link defineAdapter} (checked by shape, so a second copy of the
 * SDK in one program still recognises it).
 *
 * @param adapter Anything `run()` was given.
 * @returns Whether it is a {@link DefinedAdapter}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineAdapter } from "@alembic-adapter/sdk";
 * import { isDefinedAdapter } from "./adapter.ts";
 * assert.equal(isDefinedAdapter(defineAdapter({ name: "a", version: "1" })), true);
 * assert.equal(isDefinedAdapter({ read: () => [] }), false);
 * ```
 */
export function isDefinedAdapter(adapter: AdapterLike): adapter is DefinedAdapter {
  const parts = (adapter as Partial<DefinedAdapter>)["~alembic"];
  return typeof parts === "object" && parts !== null && typeof parts.prepare === "function";
}
