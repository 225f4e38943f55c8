// Big data through real pipes: a large answer reaches a slow reader whole, a reader that goes
// away does not crash the process, and a large request costs memory in proportion to its size.
import assert from "node:assert/strict";
import process from "node:process";
import { describe, it } from "node:test";
import { adapterCommand, oneDocument, pipe } from "./support/spawn.ts";

const FAULTY = adapterCommand("tests/adapters/faulty_adapter");
const BIG = JSON.stringify({
  version: 1,
  setup: { mode: "big" },
  method: "read",
  schema: {},
  types: ["t"],
  state: {},
});

describe("big answers and pipe readers", () => {
  it("a 50 MB answer arrives whole through a slow pipe reader", async () => {
    const outcome = await pipe(FAULTY, BIG, undefined, { slow: true });
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.ok(outcome.stdout.length > 50_000_000, `only ${outcome.stdout.length} bytes`);
    const result = oneDocument(outcome.stdout).result as Array<{ backend_id: number }>;
    assert.equal(result.length, 50_000);
    assert.deepEqual(result.map((o) => o.backend_id), [...result.keys()]);
  });

  it("a request that arrives in pieces is read whole, characters split between reads", async () => {
    // 150 KB of text that is mostly multi-byte, cut every 4099 bytes: pieces end inside a
    // character and inside the SDK's 64 KiB read chunks.
    const text = "é€😀x".repeat(15_000);
    const bytes = new TextEncoder().encode(
      JSON.stringify({
        version: 1,
        setup: { text },
        method: "read",
        schema: {},
        types: [],
        state: {},
      }),
    );
    const pieces = Array.from(
      { length: Math.ceil(bytes.length / 4099) },
      (_, i) => bytes.subarray(i * 4099, (i + 1) * 4099),
    );
    const outcome = await pipe(adapterCommand("tests/adapters/echo_adapter"), pieces);
    assert.equal(outcome.code, 0, outcome.stderr);
    const [echoed] = oneDocument(outcome.stdout).result as Array<{ attrs: { setup: unknown } }>;
    assert.deepEqual(echoed?.attrs.setup, { text });
  });

  for (const [when, closeAfter] of [["before the answer", 0], ["mid-answer", 100_000]] as const) {
    it(`a reader that closes ${when} ends the process cleanly, with exit 1`, async () => {
      const outcome = await pipe(FAULTY, BIG, undefined, { closeAfter });
      // Exit 1 is the one failure the protocol reserves for a stdout that cannot be written;
      // what must not happen is a crash on an unhandled EPIPE / BrokenPipe error.
      assert.equal(outcome.code, 1, outcome.stderr);
      assert.equal(outcome.signal, null);
      assert.match(outcome.stderr, /^alembic-adapter-sdk: could not write the response: .+\n$/);
    });
  }
});

// Peak resident memory, as Linux reports it (VmHWM in /proc/self/status), is read by the adapter
// itself; Deno grants /proc/self only with --allow-all.
const PROC = process.platform === "linux";

describe("memory", () => {
  const ECHO = adapterCommand("tests/adapters/echo_adapter", ["--allow-all"]);
  const peakKb = async (request: string): Promise<number> => {
    const outcome = await pipe(ECHO, request);
    assert.equal(outcome.code, 0, outcome.stderr);
    const response = oneDocument(outcome.stdout);
    const [object] = response.result as Array<{ attrs: { peak_kb: number } }>;
    assert.ok(object);
    return object.attrs.peak_kb;
  };
  const request = (ops: number, extra = ""): string =>
    `{"version":1,"setup":{"report":"memory"${extra}},"method":"read","schema":{},"types":[],` +
    `"state":{"mappings":{"dcim.site":{${
      Array.from({ length: ops }, (_, i) =>
        `"${(i + 1).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000":"site-${i}-${
          "x".repeat(300)
        }"`).join(",")
    }}}}}`;

  const skip = PROC ? false : "needs /proc/self/status (Linux)";
  it("a 40 MB request costs memory in proportion to its size", { skip }, async () => {
    const small = await peakKb(request(1));
    const text = request(120_000);
    assert.ok(text.length > 40_000_000, `${text.length} bytes`);
    const big = await peakKb(text);
    // The text arrives as bytes and is decoded to a string, and parsed; a handful of copies of
    // the request is expected, a copy per chunk or per member is not.
    const factor = ((big - small) * 1024) / text.length;
    assert.ok(factor < 12, `peak memory grew by ${factor.toFixed(1)} times the request size`);
  });
});
