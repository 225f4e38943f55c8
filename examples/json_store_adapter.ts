/**
 * A complete alembic external adapter whose "backend" is one JSON file.
 *
 * Where `example_adapter.ts` leaves the backend calls as TODOs, this one implements every
 * method, so `alembic plan` / `apply` converge against it as against a real backend. The store:
 *
 *     {
 *       "next_id": 3,
 *       "types": { "dcim.site": ["name", "slug"] },
 *       "objects": { "1": { "type": "dcim.site", "key": {...}, "attrs": {...} } }
 *     }
 *
 * Backend ids are the integer keys of `objects`, handed out from `next_id` and never reused.
 * A write applies all of its ops to a copy of the store and replaces the file in one rename,
 * so a crash (or a failing op) leaves the previous store intact, and the host records nothing
 * for a write that did not complete. Refs are kept as uids, which alembic understands as is;
 * a backend that stores its own ids would translate them with `state.uid()` on read.
 *
 * File I/O uses `node:fs`, so the same file runs under Deno and Node. Under Deno it needs read
 * and write access to the store's directory (the temporary file sits beside the store):
 *
 *     deno run --allow-read=. --allow-write=. examples/json_store_adapter.ts < request.json
 *
 * `setup: { path: "store.json" }` chooses the file (relative to the working directory).
 *
 * @module
 */

import { open, readFile, rename, rm } from "node:fs/promises";
import {
  Adapter,
  applied,
  type ApplyReport,
  type BackendId,
  deleted,
  type ExternalObject,
  type JsonObject,
  type JsonValue,
  keyString,
  type Op,
  type ProvisionReport,
  run,
  type Schema,
  type State,
} from "../mod.ts";

interface StoredObject {
  type: string;
  key: JsonObject;
  attrs: JsonObject;
}

interface Store {
  next_id: number;
  /** Provisioned types, each with its provisioned attribute fields. */
  types: Record<string, string[]>;
  objects: Record<string, StoredObject>;
}

class JsonStoreAdapter extends Adapter {
  path = "store.json";

  override setup(config: JsonValue): void {
    if (config === null || typeof config !== "object" || Array.isArray(config)) return;
    if (config.path !== undefined) {
      if (typeof config.path !== "string") throw new Error("setup.path must be a string");
      this.path = config.path;
    }
  }

  override async read(_schema: Schema, types: string[], _state: State): Promise<ExternalObject[]> {
    const wanted = new Set(types);
    const store = await this.load();
    return Object.entries(store.objects)
      .filter(([, o]) => wanted.has(o.type))
      .map(([id, o]) => ({
        type_name: o.type,
        key: o.key,
        attrs: o.attrs,
        backend_id: Number(id),
      }));
  }

  override async write(_schema: Schema, ops: Op[], state: State): Promise<ApplyReport> {
    const store = await this.load();
    // A create and a later update of the same uid may share one write (reference cycles).
    const createdHere = new Map<string, BackendId>();
    const report: ApplyReport = { applied: [] };
    for (const op of ops) {
      switch (op.op) {
        case "create": {
          const id = store.next_id++;
          store.objects[id] = { type: op.type_name, key: op.desired.key, attrs: op.desired.attrs };
          createdHere.set(op.uid, id);
          report.applied.push(applied(op, id));
          break;
        }
        case "update": {
          const id = op.backend_id ?? createdHere.get(op.uid) ??
            state.backendId(op.type_name, op.uid);
          const record = id === undefined ? undefined : store.objects[String(id)];
          if (id === undefined || record === undefined || record.type !== op.type_name) {
            throw new Error(
              `update of ${op.type_name} ${op.uid}: no stored object with backend id ${id}`,
            );
          }
          // An update carries the whole desired projection, not only the changed fields.
          record.key = op.desired.key;
          record.attrs = op.desired.attrs;
          report.applied.push(applied(op, id));
          break;
        }
        case "delete": {
          const id = op.backend_id === undefined
            ? findByKey(store, op.type_name, op.key)
            : String(op.backend_id);
          if (id !== undefined) delete store.objects[id];
          // Already gone counts as deleted; reporting no backend id unbinds the uid.
          report.applied.push(deleted(op));
          break;
        }
      }
    }
    await this.save(store);
    return report;
  }

  override async ensureSchema(schema: Schema): Promise<ProvisionReport> {
    const store = await this.load();
    const report = missingSchema(store, schema);
    for (const [type, typeSchema] of Object.entries(schema.types)) {
      const known = Object.hasOwn(store.types, type) ? store.types[type] : [];
      const fields = new Set([...known, ...Object.keys(typeSchema.fields)]);
      store.types[type] = [...fields].sort();
    }
    if (report.created_object_types!.length + report.created_object_fields!.length > 0) {
      await this.save(store);
    }
    return report;
  }

  override async previewSchema(schema: Schema): Promise<ProvisionReport> {
    return missingSchema(await this.load(), schema);
  }

  async load(): Promise<Store> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return { next_id: 1, types: {}, objects: {} };
      throw new Error(`cannot read the store ${this.path}`, { cause: e });
    }
    return JSON.parse(text);
  }

  /** Replaces the store in one step: write a temporary file, flush it to disk, rename it over. */
  async save(store: Store): Promise<void> {
    const temporary = `${this.path}.${crypto.randomUUID()}.tmp`;
    try {
      const file = await open(temporary, "wx");
      try {
        await file.writeFile(`${JSON.stringify(store, null, 2)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (e) {
      await rm(temporary, { force: true });
      throw new Error(`cannot save the store ${this.path}`, { cause: e });
    }
  }
}

function findByKey(store: Store, type: string, key: JsonObject): string | undefined {
  const wanted = keyString(key);
  return Object.keys(store.objects).find((id) => {
    const o = store.objects[id];
    return o.type === type && keyString(o.key) === wanted;
  });
}

/** What the schema declares that the store has not provisioned yet. */
function missingSchema(store: Store, schema: Schema): ProvisionReport {
  const types: string[] = [];
  const fields: string[] = [];
  for (const [type, typeSchema] of Object.entries(schema.types)) {
    const known = Object.hasOwn(store.types, type) ? store.types[type] : undefined;
    if (known === undefined) types.push(type);
    for (const field of Object.keys(typeSchema.fields)) {
      if (!known?.includes(field)) fields.push(`${type}.${field}`);
    }
  }
  return { created_object_types: types.sort(), created_object_fields: fields.sort() };
}

run(new JsonStoreAdapter());
