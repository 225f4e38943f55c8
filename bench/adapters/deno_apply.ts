/**
 * The journal rows: a `write` through `applyOps` over an in-memory backend, with the journal
 * named by the first argument (`none`, `os` or `disk`) in `bench/.out/`.
 *
 * @module
 */

import { run } from "../../mod.ts";
import { applyOps } from "../../apply.ts";

const mode = Deno.args[0] ?? "none";
if (mode !== "none" && mode !== "os" && mode !== "disk") throw new Error(`unknown mode ${mode}`);

run({
  write(schema, ops, state) {
    const store = new Map<number, unknown>();
    return applyOps({ schema, ops, state }, {
      journal: mode === "none"
        ? undefined
        : { dir: `bench/.out/journal-${mode}`, instance: "bench", durability: mode },
      create(op, ctx) {
        store.set(store.size + 1, ctx.backendAttrs(op));
        return store.size;
      },
    });
  },
});
