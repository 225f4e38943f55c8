// An adapter that watches Deno's lazy `process` global, and exits through `process` as imported
// from node:process rather than read from the global, as `setup.mode` says.
import nodeProcess from "node:process";
import { type JsonValue, run } from "../../mod.ts";

// Under Deno `process` is a getter whose first read loads the Node compatibility layer: count
// the reads from here on. Under Node it is a plain value, and nothing is counted.
let reads = 0;
const lazy = Object.getOwnPropertyDescriptor(globalThis, "process");
const get = lazy?.get;
if (get !== undefined) {
  Object.defineProperty(globalThis, "process", {
    get(): unknown {
      reads++;
      return get.call(globalThis);
    },
    configurable: true,
    enumerable: lazy?.enumerable ?? false,
  });
}

let mode = "";

run({
  setup(config: JsonValue) {
    mode = String((config as { mode?: unknown } | null)?.mode ?? "");
  },
  read() {
    switch (mode) {
      case "imported-exit":
        nodeProcess.exit(4);
        return [];
      case "imported-exit-in-timer":
        setTimeout(() => nodeProcess.exit(5), 0);
        return new Promise(() => {});
    }
    return [{
      type_name: "probe",
      key: { name: "process" },
      attrs: { lazy: get !== undefined, reads },
    }];
  },
});
