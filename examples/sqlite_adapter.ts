/**
 * An alembic adapter over a SQLite file, through the runtimes' own SQLite (`node:sqlite`: Deno
 * 2.9, Node 22.13 or later, Bun 1.4), so it needs no dependency.
 *
 * The database layout is the one of cyberwitchery's `alembic-adapter-sqlite`, so both adapters
 * can work on one file, and `sqlite3` can look inside it:
 *
 * ```sql
 * CREATE TABLE alembic_objects (
 *   backend_id INTEGER PRIMARY KEY AUTOINCREMENT,  -- the backend id, never reused
 *   type_name  TEXT NOT NULL,
 *   key_json   TEXT NOT NULL,                      -- the canonical key (keyString)
 *   attrs_json TEXT NOT NULL,                      -- refs hold uids, as alembic sends them
 *   UNIQUE(type_name, key_json)
 * );
 * ```
 *
 * Schema provisioning is a migration: the object types and fields `ensure_schema` provisioned are
 * recorded in `alembic_provisioned`; `preview_schema` reports exactly what `ensure_schema` would
 * change (deletions too, so alembic's `--allow-delete` gate works) and changes nothing.
 *
 * In your own project, import the SDK by its package name instead of the relative paths:
 *
 *     import { run } from "jsr:@alembic-adapter/sdk";                // Deno
 *     import { parseJson } from "jsr:@alembic-adapter/sdk/codec";
 *
 * Try it:
 *
 *     deno run --allow-read=. --allow-write=. examples/sqlite_adapter.ts < examples/requests/read.json
 *
 * Wire it into alembic with `examples/backend-sqlite.yaml`.
 *
 * @module
 */

/// <reference path="./node_sqlite.d.ts" />
import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  applied,
  type ApplyReport,
  type BackendId,
  type Delete,
  deleted,
  type ExternalObject,
  type JsonObject,
  type JsonValue,
  keyString,
  type Op,
  type ProvisionReport,
  run,
  type Schema,
  type Update,
} from "../mod.ts";
import { checkWrite } from "../checks.ts";
import { parseJson, stringifyJson } from "../codec.ts";

/** How long a writer waits for another one to finish before it gives up. */
const BUSY_TIMEOUT_MS = 10_000;

const LAYOUT = `
CREATE TABLE IF NOT EXISTS alembic_objects (
  backend_id INTEGER PRIMARY KEY AUTOINCREMENT,
  type_name  TEXT NOT NULL,
  key_json   TEXT NOT NULL,
  attrs_json TEXT NOT NULL,
  UNIQUE(type_name, key_json)
);
CREATE TABLE IF NOT EXISTS alembic_provisioned (
  kind TEXT NOT NULL CHECK (kind IN ('object_type', 'object_field')),
  name TEXT NOT NULL,
  PRIMARY KEY (kind, name)
);`;

let path = "alembic.db";

/** The database, opened for one request, with the layout in place. */
function open(): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`);
  db.exec(LAYOUT);
  return db;
}

/** Runs `work` in one write transaction: all of it is committed, or none of it. */
function transaction<T>(db: DatabaseSync, work: () => T): T {
  // IMMEDIATE takes the write lock now, so overlapping writers queue (for the busy timeout)
  // instead of failing halfway with SQLITE_BUSY.
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (e) {
    db.exec("ROLLBACK");
    throw e;
  }
}

/** A rowid as a backend id: a number while it is exact, a bigint beyond 2^53-1. */
function backendId(rowid: number | bigint): BackendId {
  return typeof rowid === "bigint" && rowid <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(rowid)
    : rowid;
}

/** The JSON text of a key or attrs, integers exact (bigints are written as bare digits). */
function jsonText(value: JsonValue): string {
  try {
    return JSON.stringify(value);
  } catch {
    // Only a bigint makes JSON.stringify throw here; the slower exact path is kept for those.
    return stringifyJson(value, true);
  }
}

function read(types: string[]): ExternalObject[] {
  const db = open();
  try {
    const select = db.prepare(
      "SELECT backend_id, key_json, attrs_json FROM alembic_objects WHERE type_name = ? ORDER BY backend_id",
    );
    select.setReadBigInts(true);
    const out: ExternalObject[] = [];
    for (const type of types) {
      for (const row of select.all(type)) {
        out.push({
          type_name: type,
          key: parseJson(String(row.key_json)) as JsonObject,
          attrs: parseJson(String(row.attrs_json)) as JsonObject,
          backend_id: backendId(row.backend_id as bigint),
        });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/** The prepared statements of one write. */
interface Statements {
  insert: StatementSync;
  byId: StatementSync;
  byKey: StatementSync;
  update: StatementSync;
  remove: StatementSync;
}

function statements(db: DatabaseSync): Statements {
  const s = {
    insert: db.prepare(
      "INSERT INTO alembic_objects (type_name, key_json, attrs_json) VALUES (?, ?, ?)",
    ),
    byId: db.prepare("SELECT backend_id, type_name FROM alembic_objects WHERE backend_id = ?"),
    byKey: db.prepare(
      "SELECT backend_id FROM alembic_objects WHERE type_name = ? AND key_json = ?",
    ),
    update: db.prepare(
      "UPDATE alembic_objects SET key_json = ?, attrs_json = ? WHERE backend_id = ?",
    ),
    remove: db.prepare("DELETE FROM alembic_objects WHERE backend_id = ?"),
  };
  for (const statement of Object.values(s)) statement.setReadBigInts(true);
  return s;
}

/** The op as the error messages name it: `ops[3] update dcim.site 065690e9-…`. */
function label(op: Op, index: number): string {
  return `ops[${index}] ${op.op} ${op.type_name} ${op.uid}`;
}

/**
 * The row an update or delete targets: by its backend id (which must belong to the op's type),
 * else by the type and canonical key. `undefined` when neither finds one.
 */
function target(
  s: Statements,
  op: Update | Delete,
  key: JsonObject,
  at: string,
): bigint | undefined {
  if (op.backend_id !== undefined) {
    if (typeof op.backend_id === "string") {
      throw new Error(
        `${at}: backend id ${JSON.stringify(op.backend_id.slice(0, 40))} is not a rowid`,
      );
    }
    const row = s.byId.get(op.backend_id);
    if (row !== undefined) {
      if (row.type_name !== op.type_name) {
        throw new Error(
          `${at}: backend id ${op.backend_id} belongs to a ${
            String(row.type_name)
          }, not a ${op.type_name}`,
        );
      }
      return row.backend_id as bigint;
    }
  }
  return s.byKey.get(op.type_name, keyString(key))?.backend_id as bigint | undefined;
}

function write(ops: Op[]): ApplyReport {
  const db = open();
  try {
    return transaction(db, () => {
      const s = statements(db);
      const report: ApplyReport = { applied: [] };
      ops.forEach((op, i) => {
        const at = label(op, i);
        try {
          if (op.op === "delete") {
            const id = target(s, op, op.key, at);
            if (id !== undefined) s.remove.run(id);
            // Deleted or never there: either way alembic must drop the binding.
            report.applied.push(deleted(op));
            return;
          }
          const key = keyString(op.desired.key);
          const attrs = jsonText(op.desired.attrs);
          if (op.op === "create") {
            const { lastInsertRowid } = s.insert.run(op.type_name, key, attrs);
            report.applied.push(applied(op, backendId(lastInsertRowid)));
            return;
          }
          const id = target(s, op, op.desired.key, at);
          if (id === undefined) throw new Error(`${at}: no such object to update`);
          // Attrs are replaced whole: `desired.attrs` is the object as it must be.
          s.update.run(key, attrs, id);
          report.applied.push(applied(op, backendId(id)));
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (message.startsWith(at)) throw e;
          if (/UNIQUE constraint failed/.test(message)) {
            throw new Error(`${at}: an object of this type with this key already exists`, {
              cause: e,
            });
          }
          throw new Error(`${at}: ${message}`, { cause: e });
        }
      });
      // Commit only a report the SDK will send: an answer of ok:false must leave nothing saved.
      const errors = checkWrite(ops, report).filter((p) => p.severity === "error");
      if (errors.length > 0) throw new Error(errors.map((p) => p.message).join("; "));
      return report;
    });
  } finally {
    db.close();
  }
}

/** What a schema provisions: its object types, and their fields as `type.field`. */
function declared(schema: Schema): { types: Set<string>; fields: Set<string> } {
  const types = new Set(Object.keys(schema.types));
  const fields = new Set<string>();
  for (const [type, t] of Object.entries(schema.types)) {
    for (const field of [...Object.keys(t.key), ...Object.keys(t.fields)]) {
      fields.add(`${type}.${field}`);
    }
  }
  return { types, fields };
}

/** The migration from what is provisioned to what `schema` declares. */
function migration(db: DatabaseSync, schema: Schema): Required<
  Pick<
    ProvisionReport,
    | "created_object_types"
    | "created_object_fields"
    | "deleted_object_types"
    | "deleted_object_fields"
  >
> {
  const want = declared(schema);
  const have = { types: new Set<string>(), fields: new Set<string>() };
  for (const row of db.prepare("SELECT kind, name FROM alembic_provisioned").all()) {
    (row.kind === "object_type" ? have.types : have.fields).add(String(row.name));
  }
  const missing = (from: Set<string>, other: Set<string>): string[] =>
    [...from].filter((name) => !other.has(name)).sort();
  return {
    created_object_types: missing(want.types, have.types),
    created_object_fields: missing(want.fields, have.fields),
    deleted_object_types: missing(have.types, want.types),
    deleted_object_fields: missing(have.fields, want.fields),
  };
}

function previewSchema(schema: Schema): ProvisionReport {
  const db = open();
  try {
    return migration(db, schema);
  } finally {
    db.close();
  }
}

function ensureSchema(schema: Schema): ProvisionReport {
  const db = open();
  try {
    return transaction(db, () => {
      const plan = migration(db, schema);
      const record = db.prepare("INSERT INTO alembic_provisioned (kind, name) VALUES (?, ?)");
      const forget = db.prepare("DELETE FROM alembic_provisioned WHERE kind = ? AND name = ?");
      for (const type of plan.created_object_types) record.run("object_type", type);
      for (const field of plan.created_object_fields) record.run("object_field", field);
      const dropType = db.prepare("DELETE FROM alembic_objects WHERE type_name = ?");
      for (const type of plan.deleted_object_types) {
        forget.run("object_type", type);
        dropType.run(type);
      }
      const rows = db.prepare(
        "SELECT backend_id, attrs_json FROM alembic_objects WHERE type_name = ?",
      );
      rows.setReadBigInts(true);
      const setAttrs = db.prepare("UPDATE alembic_objects SET attrs_json = ? WHERE backend_id = ?");
      for (const name of plan.deleted_object_fields) {
        forget.run("object_field", name);
        const dot = name.lastIndexOf(".");
        const [type, field] = [name.slice(0, dot), name.slice(dot + 1)];
        // Dropping a field drops its values; parsed exactly, not with SQLite's JSON functions,
        // so integers beyond 2^53 keep their digits.
        for (const row of rows.all(type)) {
          const attrs = parseJson(String(row.attrs_json)) as JsonObject;
          if (!Object.hasOwn(attrs, field)) continue;
          delete attrs[field];
          setAttrs.run(jsonText(attrs), row.backend_id as bigint);
        }
      }
      return plan;
    });
  } finally {
    db.close();
  }
}

// Served only when started as a program, so that tests may import this module.
run({
  setup(config) {
    const given = (config as { path?: unknown } | null)?.path;
    if (given !== undefined && (typeof given !== "string" || given === "")) {
      throw new Error("setup.path must be the database file's path");
    }
    path = given ?? "alembic.db";
  },
  read: (_schema, types) => read(types),
  write: (_schema, ops) => write(ops),
  ensureSchema,
  previewSchema,
}, { ifMain: import.meta });
