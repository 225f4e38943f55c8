// The Node floor: what the runtime itself needs to answer, with no SDK. It reads all of stdin,
// JSON.parses it, builds the same answer the SDK adapter builds (on the same simulated
// backend, loaded only when there are objects to make, so the empty round trip stays bare),
// JSON.stringifies it and writes it whole; Node keeps the process alive until the pipe has
// taken it, then exits 0. No validation, no checks.

import process from "node:process";
import { Buffer } from "node:buffer";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const request = JSON.parse(await readStdin());
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
  const count = request.types.includes("dcim.device") ? request.setup?.devices ?? 0 : 0;
  const objects = new Array(count);
  if (count > 0) {
    const { observedDevice, siteOf } = await import("./backend.mjs");
    const siteUids = new Map();
    for (const [uid, id] of Object.entries(siteIds)) siteUids.set(id, uid);
    for (let i = 1; i <= count; i++) objects[i - 1] = observedDevice(i, siteUids.get(siteOf(i)));
  }
  result = objects;
}

process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
