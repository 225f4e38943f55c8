/**
 * The SDK side of the large rows, written as a user would: `run()` with `read` and `write`,
 * over the same simulated backend as the floor.
 *
 * @module
 */

import { applied, type ApplyReport, type ExternalObject, type JsonValue, run } from "../../mod.ts";
import { observedDevice, siteOf } from "./backend.mjs";

let devices = 0;

run({
  setup(config: JsonValue): void {
    const n = (config as { devices?: unknown } | null)?.devices;
    devices = typeof n === "number" ? n : 0;
  },

  read(_schema, types, state): ExternalObject[] {
    if (!types.includes("dcim.device")) return [];
    const objects: ExternalObject[] = new Array(devices);
    for (let i = 1; i <= devices; i++) {
      objects[i - 1] = observedDevice(i, state.uid("dcim.site", siteOf(i))!);
    }
    return objects;
  },

  write(_schema, ops, state): ApplyReport {
    const store = new Map<number, unknown>();
    const report: ApplyReport = { applied: [] };
    for (const op of ops) {
      if (op.op !== "create") throw new Error(`${op.op} is not part of this benchmark`);
      const id = store.size + 1;
      const attrs = op.desired.attrs;
      store.set(id, { ...attrs, site: state.backendId("dcim.site", attrs.site as string) });
      report.applied!.push(applied(op, id));
    }
    return report;
  },
});
