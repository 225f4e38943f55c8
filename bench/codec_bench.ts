/**
 * The SDK's codec alone, without process noise (`deno task bench:codec`, and the in-process
 * rows of `deno task bench`): decoding a write of 100k creates against `JSON.parse`, encoding
 * a read answer of 100k objects against `JSON.stringify`. A regression in the decoder's
 * validation or the encoder's checks shows here first.
 *
 * @module
 */

import { decodeRequest, encodeResult, successLine } from "../codec.ts";
import { fakeUid, observedDevice, siteOf } from "./adapters/backend.mjs";
import { OBJECTS, writeRequest } from "./requests.ts";

const count = Number(Deno.env.get("BENCH_OBJECTS") ?? OBJECTS);
const label = count % 1000 === 0 ? `${count / 1000}k` : String(count);
const request = writeRequest(count);
const objects = Array.from(
  { length: count },
  (_, i) => observedDevice(i + 1, fakeUid("site", siteOf(i + 1))),
);
// Slow iterations (hundreds of ms each): a fixed count keeps a run short.
const n = 7;
const warmup = 2;

Deno.bench({
  name: "JSON.parse",
  group: `decode ${label}-op write request`,
  baseline: true,
  n,
  warmup,
  fn: () => void JSON.parse(request),
});

Deno.bench({
  name: "decodeRequest",
  group: `decode ${label}-op write request`,
  n,
  warmup,
  fn: () => void decodeRequest(request),
});

Deno.bench({
  name: "JSON.stringify",
  group: `encode ${label}-object read answer`,
  baseline: true,
  n,
  warmup,
  fn: () => void `${JSON.stringify({ ok: true, result: objects })}\n`.length,
});

Deno.bench({
  name: "encodeResult",
  group: `encode ${label}-object read answer`,
  n,
  warmup,
  fn: () => void successLine(encodeResult("read", objects)).length,
});
