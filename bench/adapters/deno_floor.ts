/**
 * The Deno floor: what the runtime itself needs to answer, with no SDK. It reads all of stdin,
 * `JSON.parse`s it, builds the same answer the SDK adapter builds (on the same simulated
 * backend, loaded only when there are objects to make, so the empty round trip stays bare),
 * `JSON.stringify`s it, writes it whole and exits 0. No validation, no checks.
 *
 * @module
 */

async function readStdin(): Promise<string> {
  // Deno.stdin.read, not Deno.stdin.readable, as the SDK reads it: the first ReadableStream of
  // a process costs 2.5-4.5 ms. Each 64 KiB chunk is filled before the next one is made.
  const chunks: Uint8Array[] = [];
  let chunk = new Uint8Array(65536);
  let filled = 0;
  for (;;) {
    const n = await Deno.stdin.read(filled === 0 ? chunk : chunk.subarray(filled));
    if (n === null) break;
    filled += n;
    if (filled === chunk.length) {
      chunks.push(chunk);
      chunk = new Uint8Array(65536);
      filled = 0;
    }
  }
  chunks.push(chunk.subarray(0, filled));
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(bytes);
}

const request = JSON.parse(await readStdin());
const siteIds: Record<string, number> = request.state?.mappings?.["dcim.site"] ?? {};

let result: unknown;
if (request.method === "write") {
  const store = new Map<number, unknown>();
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
    const siteUids = new Map<number, string>();
    for (const [uid, id] of Object.entries(siteIds)) siteUids.set(id, uid);
    for (let i = 1; i <= count; i++) objects[i - 1] = observedDevice(i, siteUids.get(siteOf(i))!);
  }
  result = objects;
}

const out = new TextEncoder().encode(`${JSON.stringify({ ok: true, result })}\n`);
let written = 0;
while (written < out.length) written += await Deno.stdout.write(out.subarray(written));
Deno.exit(0);
