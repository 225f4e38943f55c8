/**
 * A starting point for an alembic external adapter. Copy this file, rename it, and replace the
 * sample data and the TODOs with calls to your backend.
 *
 * In your own project, import the SDK by its package name instead of the relative path:
 *
 *     import { defineAdapter, run } from "jsr:@alembic-adapter/sdk";   // Deno
 *     import { defineAdapter, run } from "alembic-adapter-sdk";        // Node
 *
 * Try it (no permissions needed):
 *
 *     deno run examples/example_adapter.ts < examples/requests/read.json
 *     deno run examples/example_adapter.ts --about
 *
 * Its tests import `adapter` from this module without starting it: `run()` serves a request
 * only when this module is the program's entry point (`ifMain: import.meta`, which also holds
 * under Node 20 and 22, where `import.meta.main` does not exist).
 *
 * Wire it into alembic with a backend config like `examples/backend.yaml`.
 *
 * @module
 */

import {
  defineAdapter,
  type DefinedAdapter,
  type ExternalObject,
  type JsonValue,
  run,
} from "../mod.ts";

/** The backend config's `setup:` block, as this adapter accepts it. */
export interface Setup {
  /** The backend's base URL. */
  host: string;
}

/**
 * Checks the `setup:` block (sent with every request) and fills in the default: a block that is
 * not a mapping is taken as none, a `host` that is not a string is refused (a throw answers
 * `invalid setup: <message>`). With a validator library, pass its schema instead: any Standard
 * Schema (zod, valibot, arktype) types the methods' `setup` the same way, and says for `--about`
 * what it accepts (see `examples/zod_adapter.ts`).
 */
function checkSetup(config: JsonValue): Setup {
  const given = config !== null && typeof config === "object" && !Array.isArray(config)
    ? config.host
    : undefined;
  if (given === undefined) return { host: "http://localhost:8080" };
  if (typeof given !== "string") throw new Error("host: expected a string");
  return { host: given };
}

/** The adapter. Every method's parameters are typed, `setup` by what `checkSetup` returns. */
export const adapter: DefinedAdapter = defineAdapter({
  name: "example-adapter",
  version: "0.1.0",
  description: "A skeleton that serves one sample site.",
  setup: checkSetup,
  // What checkSetup accepts, for --about: `properties` holds for mappings, anything else passes.
  setupJsonSchema: { properties: { host: { type: "string", default: "http://localhost:8080" } } },

  /**
   * Returns every object of the requested types that the backend holds. Ref-typed fields must
   * carry the target's uid: find it with `state.uid(targetType, backendId)`.
   */
  read(_schema, types, _state, _scope, _setup): ExternalObject[] {
    // TODO: query setup.host. This sample stands in for one backend record.
    const sites: ExternalObject[] = [
      {
        type_name: "dcim.site",
        key: { site: "fra1" },
        attrs: { name: "FRA1", slug: "fra1" },
        backend_id: 1,
      },
    ];
    return sites.filter((o) => types.includes(o.type_name));
  },

  /**
   * Applies the ops in order. Report a create or update with `applied(op, backendId)`, a
   * delete with `deleted(op)`: the host binds, or unbinds, the uid accordingly.
   */
  write(_schema, ops, _state, _setup) {
    for (const op of ops) {
      switch (op.op) {
        case "create": // TODO: create op.desired, then report.applied.push(applied(op, newId))
        case "update": // TODO: write all of op.desired.attrs to op.backend_id, then applied(op, id)
        case "delete": // TODO: delete op.backend_id, then report.applied.push(deleted(op))
          throw new Error(`${op.op} of ${op.type_name} is not implemented yet`);
      }
    }
    return { applied: [] };
  },
  // Optional: ensureSchema(schema, setup) and previewSchema(schema, setup) to provision custom
  // fields or types (both default to the empty report), and capabilities(setup) to declare a
  // role explicitly.
});

run(adapter, { ifMain: import.meta });
