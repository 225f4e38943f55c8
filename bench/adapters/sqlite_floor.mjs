// The SQLite floor: the same rows inserted with node:sqlite and no SDK, under Deno or Node. It
// reads all of stdin, `JSON.parse`s the write, creates the example's tables, inserts every
// create's type, key and attrs as JSON text in one transaction with one prepared statement,
// and writes the same report the example writes. No validation, no checks, no lookups.

import { DatabaseSync } from "node:sqlite";
import process from "node:process";

const deno = globalThis.Deno;

async function readStdin() {
  const chunks = [];
  for await (const chunk of deno ? deno.stdin.readable : process.stdin) chunks.push(chunk);
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

const request = JSON.parse(await readStdin());
const db = new DatabaseSync(request.setup.path);
db.exec(`
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
);`);
const insert = db.prepare(
  "INSERT INTO alembic_objects (type_name, key_json, attrs_json) VALUES (?, ?, ?)",
);
const applied = [];
db.exec("BEGIN IMMEDIATE");
for (const op of request.ops) {
  const { key, attrs } = op.desired;
  const { lastInsertRowid } = insert.run(op.type_name, JSON.stringify(key), JSON.stringify(attrs));
  applied.push({ uid: op.uid, type_name: op.type_name, backend_id: Number(lastInsertRowid) });
}
db.exec("COMMIT");
db.close();

const out = `${JSON.stringify({ ok: true, result: { applied, provision: {} } })}\n`;
if (deno) {
  const bytes = new TextEncoder().encode(out);
  let written = 0;
  while (written < bytes.length) written += await deno.stdout.write(bytes.subarray(written));
} else {
  process.stdout.write(out);
}
