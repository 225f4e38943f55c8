// The SDK side of the large rows under Node, written as a user would, against the npm build
// (`deno task build:npm`): the same adapter as deno_sdk.ts, in JavaScript.

import { applied, run } from "../../npm/esm/mod.js";
import { observedDevice, siteOf } from "./backend.mjs";

let devices = 0;

run({
  setup(config) {
    const n = config?.devices;
    devices = typeof n === "number" ? n : 0;
  },

  read(_schema, types, state) {
    if (!types.includes("dcim.device")) return [];
    const objects = new Array(devices);
    for (let i = 1; i <= devices; i++) {
      objects[i - 1] = observedDevice(i, state.uid("dcim.site", siteOf(i)));
    }
    return objects;
  },

  write(_schema, ops, state) {
    const store = new Map();
    const report = { applied: [] };
    for (const op of ops) {
      if (op.op !== "create") throw new Error(`${op.op} is not part of this benchmark`);
      const id = store.size + 1;
      const attrs = op.desired.attrs;
      store.set(id, { ...attrs, site: state.backendId("dcim.site", attrs.site) });
      report.applied.push(applied(op, id));
    }
    return report;
  },
});
