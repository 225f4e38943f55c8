/**
 * A starting point for an alembic external adapter. Copy this file, rename `ExampleAdapter`,
 * and replace the sample data and the TODOs with calls to your backend.
 *
 * In your own project, import the SDK by its package name instead of the relative path:
 *
 *     import { Adapter, run } from "jsr:@alembic-adapter/sdk";   // Deno
 *     import { Adapter, run } from "alembic-adapter-sdk";        // Node
 *
 * Try it (no permissions needed):
 *
 *     deno run examples/example_adapter.ts < examples/requests/read.json
 *
 * Wire it into alembic with a backend config like `examples/backend.yaml`.
 *
 * @module
 */

import {
  Adapter,
  type ApplyReport,
  type ExternalObject,
  type JsonValue,
  type Op,
  run,
  type Schema,
  type State,
} from "../mod.ts";

class ExampleAdapter extends Adapter {
  host = "http://localhost:8080";

  /** `setup` is the backend config's `setup:` block, sent with every request. */
  override setup(config: JsonValue): void {
    if (config !== null && typeof config === "object" && !Array.isArray(config)) {
      if (typeof config.host === "string") this.host = config.host;
    }
  }

  /**
   * Returns every object of the requested types that the backend holds. Ref-typed fields must
   * carry the target's uid: find it with `state.uid(targetType, backendId)`.
   */
  override read(_schema: Schema, types: string[], _state: State): ExternalObject[] {
    // TODO: query this.host. This sample stands in for one backend record.
    const sites: ExternalObject[] = [
      {
        type_name: "dcim.site",
        key: { site: "fra1" },
        attrs: { name: "FRA1", slug: "fra1" },
        backend_id: 1,
      },
    ];
    return sites.filter((o) => types.includes(o.type_name));
  }

  /**
   * Applies the ops in order. Report a create or update with `applied(op, backendId)`, a
   * delete with `deleted(op)`: the host binds, or unbinds, the uid accordingly.
   */
  override write(_schema: Schema, ops: Op[], _state: State): ApplyReport {
    const report: ApplyReport = { applied: [] };
    for (const op of ops) {
      switch (op.op) {
        case "create": // TODO: create op.desired, then report.applied.push(applied(op, newId))
        case "update": // TODO: write all of op.desired.attrs to op.backend_id, then applied(op, id)
        case "delete": // TODO: delete op.backend_id, then report.applied.push(deleted(op))
          throw new Error(`${op.op} of ${op.type_name} is not implemented yet`);
      }
    }
    return report;
  }

  // Optional: override ensureSchema/previewSchema to provision custom fields or types (both
  // default to the empty report), and capabilities() to declare a role explicitly.
}

run(new ExampleAdapter());
