// The Node floor: what the runtime itself needs to answer, with no SDK. It reads all of stdin,
// JSON.parses it, builds the same answer the SDK adapter builds (on the same simulated
// backend), JSON.stringifies it and writes it whole; Node keeps the process alive until the
// pipe has taken it. No validation, no checks.

import process from "node:process";
import { Buffer } from "node:buffer";
import { observedDevice, siteOf } from "./backend.mjs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const siteIds = request.state?.mappings?.["dcim.site"] ?? {};

let result;
if (request.method === "write") {
  const store = new Map();
  const applied = [];
  for (const op of request.ops) {
    const id = store.size + 1;
    const attrs = op.desired.attrs;
    store.set(id, { ...attrs, site: siteIds[attrs.site] });
    applied.push({ uid: op.uid, type_name: op.type_name, backend_id: id });
  }
  result = { applied, provision: {} };
} else {
  const siteUids = new Map();
  for (const [uid, id] of Object.entries(siteIds)) siteUids.set(id, uid);
  const count = request.types.includes("dcim.device") ? request.setup?.devices ?? 0 : 0;
  const objects = new Array(count);
  for (let i = 1; i <= count; i++) objects[i - 1] = observedDevice(i, siteUids.get(siteOf(i)));
  result = objects;
}

process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
