// The journal rows under Node, against the npm build: the same adapter as deno_apply.ts.

import process from "node:process";
import { run } from "../../npm/esm/mod.js";
import { applyOps } from "../../npm/esm/apply.js";

const mode = process.argv[2] ?? "none";
if (mode !== "none" && mode !== "os" && mode !== "disk") throw new Error(`unknown mode ${mode}`);

run({
  write(schema, ops, state) {
    const store = new Map();
    return applyOps({ schema, ops, state }, {
      journal: mode === "none"
        ? undefined
        : { dir: `bench/.out/journal-${mode}-node`, instance: "bench", durability: mode },
      create(op, ctx) {
        store.set(store.size + 1, ctx.backendAttrs(op));
        return store.size;
      },
    });
  },
});
