// The SQLite example adapter, driven as the host drives it: one process per request, with
// read/write permission for the database's directory only. node:sqlite is built into Deno 2.9,
// Node 22.13 and later, and Bun 1.4; under an older Node these tests are skipped, saying why.
/// <reference path="../examples/node_sqlite.d.ts" />
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, describe, it } from "node:test";
import { runConformance } from "../testing.ts";
import { adapterCommand, oneDocument, pipe } from "./support/spawn.ts";

// Looked up without an import, which would fail to load this file where the module is missing.
const sqlite = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.(
  "node:sqlite",
) as typeof import("node:sqlite") | undefined;
const skip = sqlite === undefined
  ? `node:sqlite is not built into this runtime (${process.release?.name} ${process.version}); it needs Node 22.13 or later, Deno 2.9 or Bun 1.4`
  : false;

const FIELD = { type: "string", required: false, nullable: false };
const SCHEMA = {
  types: {
    "dcim.site": {
      key: { slug: { type: "slug", required: true, nullable: false } },
      fields: { name: FIELD, asn: { type: "int", required: false, nullable: true } },
    },
  },
};

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function database() {
  const dir = mkdtempSync(join(tmpdir(), "sqlite-adapter-"));
  dirs.push(dir);
  const command = adapterCommand("examples/sqlite_adapter", [
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
  ]);
  const text = (method: string, fields: Record<string, unknown> = {}, schema: unknown = SCHEMA) =>
    JSON.stringify({ version: 1, setup: { path: "test.db" }, method, schema, ...fields });
  const send = async (method: string, fields?: Record<string, unknown>, schema?: unknown) => {
    const outcome = await pipe(command, text(method, fields, schema), dir);
    assert.equal(outcome.code, 0, outcome.stderr);
    return oneDocument(outcome.stdout) as { ok: boolean; result?: unknown; error?: string };
  };
  const rows = () => {
    const db = new sqlite!.DatabaseSync(join(dir, "test.db"));
    try {
      // Rows come with a null prototype; compare them as plain objects.
      return db.prepare("SELECT * FROM alembic_objects ORDER BY backend_id").all().map((r) => ({
        ...r,
      }));
    } finally {
      db.close();
    }
  };
  return { dir, command, text, send, rows };
}

/** A create op for a site, with the site's slug as its uid's distinguishing part. */
function create(n: number, attrs: Record<string, unknown> = {}) {
  const uid = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const key = { slug: `site-${n}` };
  return {
    op: "create",
    uid,
    type_name: "dcim.site",
    desired: { uid, type: "dcim.site", key, attrs: { name: `Site ${n}`, ...attrs } },
  };
}

const writeOf = (ops: unknown[], mappings: Record<string, unknown> = {}) => ({
  ops,
  state: { mappings },
});
const readAll = { types: ["dcim.site"], state: {} };

describe("the SQLite example adapter", { skip }, () => {
  it("lives a whole lifecycle: ensure, create, read, update, delete, read again", async () => {
    const db = database();
    const ensured = await db.send("ensure_schema");
    assert.deepEqual(ensured.result, {
      created_object_types: ["dcim.site"],
      created_object_fields: ["dcim.site.asn", "dcim.site.name", "dcim.site.slug"],
      deleted_object_types: [],
      deleted_object_fields: [],
    });
    const made = await db.send("write", writeOf([create(1), create(2)]));
    assert.deepEqual(made.result, {
      applied: [
        { uid: create(1).uid, type_name: "dcim.site", backend_id: 1 },
        { uid: create(2).uid, type_name: "dcim.site", backend_id: 2 },
      ],
      provision: {},
    });
    const update = {
      op: "update",
      uid: create(1).uid,
      type_name: "dcim.site",
      backend_id: 1,
      desired: { ...create(1).desired, attrs: { name: "Renamed" } },
      changes: [{ field: "name", from: "Site 1", to: "Renamed" }],
    };
    const remove = {
      op: "delete",
      uid: create(2).uid,
      type_name: "dcim.site",
      key: { slug: "site-2" },
    };
    const changed = await db.send("write", writeOf([update, remove]));
    assert.deepEqual(changed.result, {
      applied: [
        { uid: create(1).uid, type_name: "dcim.site", backend_id: 1 },
        { uid: create(2).uid, type_name: "dcim.site" },
      ],
      provision: {},
    });
    assert.deepEqual((await db.send("read", readAll)).result, [
      {
        type_name: "dcim.site",
        key: { slug: "site-1" },
        attrs: { name: "Renamed" },
        backend_id: 1,
      },
    ]);
    // The id of the deleted row is never given out again.
    const again = await db.send("write", writeOf([create(3)]));
    assert.equal((again.result as { applied: { backend_id: number }[] }).applied[0]!.backend_id, 3);
  });

  it("keeps the database layout of alembic-adapter-sqlite, readable with SQL", async () => {
    const db = database();
    await db.send("write", writeOf([create(1, { asn: 64512 })]));
    assert.deepEqual(db.rows(), [{
      backend_id: 1,
      type_name: "dcim.site",
      key_json: '{"slug":"site-1"}',
      attrs_json: '{"name":"Site 1","asn":64512}',
    }]);
  });

  it("keeps integers beyond 2^53 exact, in and out", async () => {
    const db = database();
    const big = "18446744073709551615";
    const request = db.text("write", writeOf([create(1)])).replace(
      '"name":"Site 1"',
      `"asn":${big}`,
    );
    const outcome = await pipe(db.command, request, db.dir);
    assert.equal(oneDocument(outcome.stdout).ok, true, outcome.stdout);
    const read = await pipe(db.command, db.text("read", readAll), db.dir);
    assert.match(read.stdout, new RegExp(`"attrs":\\{"asn":${big}\\}`));
  });

  it("rolls a failing write back whole, naming the op", async () => {
    const db = database();
    await db.send("write", writeOf([create(1)]));
    const failed = await db.send("write", writeOf([create(2), create(1)]));
    assert.equal(failed.ok, false);
    assert.equal(
      failed.error,
      `ops[1] create dcim.site ${
        create(1).uid
      }: an object of this type with this key already exists: UNIQUE constraint failed: alembic_objects.type_name, alembic_objects.key_json`,
    );
    assert.equal(db.rows().length, 1, "site-2 was rolled back with the failing op");
  });

  it("refuses an update or delete whose backend id belongs to another type", async () => {
    const db = database();
    await db.send("write", writeOf([create(1)]));
    const op = {
      op: "delete",
      uid: "00000000-0000-4000-8000-00000000ffff",
      type_name: "dcim.device",
      key: { name: "sw1" },
      backend_id: 1,
    };
    const refused = await db.send("write", writeOf([op]));
    assert.equal(
      refused.error,
      "ops[0] delete dcim.device 00000000-0000-4000-8000-00000000ffff: backend id 1 belongs to a dcim.site, not a dcim.device",
    );
    assert.equal(db.rows().length, 1);
  });

  it("previews exactly what ensure_schema will do, deletions included, and changes nothing", async () => {
    const db = database();
    await db.send("ensure_schema");
    await db.send("write", writeOf([create(1, { asn: 1 })]));
    const smaller = {
      types: {
        "dcim.site": { key: SCHEMA.types["dcim.site"].key, fields: { name: FIELD } },
        "dcim.rack": { key: { name: FIELD }, fields: {} },
      },
    };
    const expected = {
      created_object_types: ["dcim.rack"],
      created_object_fields: ["dcim.rack.name"],
      deleted_object_types: [],
      deleted_object_fields: ["dcim.site.asn"],
    };
    assert.deepEqual((await db.send("preview_schema", {}, smaller)).result, expected);
    assert.deepEqual((await db.send("preview_schema", {}, smaller)).result, expected);
    assert.deepEqual((await db.send("ensure_schema", {}, smaller)).result, expected);
    assert.deepEqual((await db.send("ensure_schema", {}, smaller)).result, {
      created_object_types: [],
      created_object_fields: [],
      deleted_object_types: [],
      deleted_object_fields: [],
    });
    // The dropped field's values went with it.
    assert.equal(db.rows()[0]!.attrs_json, '{"name":"Site 1"}');
  });

  it("serializes six overlapping writers, losing nothing", async () => {
    const db = database();
    await db.send("ensure_schema");
    const writers = Array.from({ length: 6 }, (_, w) =>
      pipe(
        db.command,
        db.text("write", writeOf(Array.from({ length: 5 }, (_, i) => create(w * 10 + i)))),
        db.dir,
      ));
    const answers = (await Promise.all(writers)).map((o) => oneDocument(o.stdout));
    assert.ok(answers.every((a) => a.ok === true), JSON.stringify(answers));
    const ids = answers.flatMap((a) =>
      (a.result as { applied: { backend_id: number }[] }).applied.map((e) => e.backend_id)
    );
    assert.equal(new Set(ids).size, 30);
    assert.equal(db.rows().length, 30);
  });

  it("leaves the old or the new state when killed during a 50k-op write", async () => {
    const db = database();
    await db.send("write", writeOf([create(0)]));
    const ops = Array.from({ length: 50_000 }, (_, i) => create(i + 1));
    const child = spawn(db.command[0]!, db.command.slice(1), { cwd: db.dir, stdio: "pipe" });
    const exited = new Promise((resolve) => child.on("close", resolve));
    child.stdin.end(db.text("write", writeOf(ops)));
    // SQLite's rollback journal exists exactly while the write transaction holds changes.
    const journal = join(db.dir, "test.db-journal");
    while (!existsSync(journal) && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 1));
    }
    child.kill("SIGKILL");
    await exited;
    const count = db.rows().length;
    assert.ok(count === 1 || count === 50_001, `${count} rows: neither the old nor the new state`);
    assert.deepEqual(
      (await db.send("read", readAll)).ok,
      true,
      "the database opens and reads after the kill",
    );
  });

  it("passes the conformance runner, with the writing checks and its cases", async () => {
    const db = database();
    const report = await runConformance(db.command, {
      cases: `${process.cwd()}/tests/cases/sqlite`,
      writeChecks: true,
      cwd: db.dir,
    });
    assert.ok(report.passed, report.text);
    assert.match(report.text, /case\/3 read it back, key and attrs as written +ok/);
  });
});
