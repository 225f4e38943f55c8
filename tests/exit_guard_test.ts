// Deno's `process` global loads Node compatibility on its first read (about 20 ms a request),
// so the SDK guards `process.exit()` only once user code reads it; these tests hold both halves:
// nothing reads it on a plain request, and an exit through node:process is still answered.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runtimeName } from "../mod.ts";
import { onFirstRead } from "../src/runtime.ts";
import { adapterCommand, oneDocument, pipe } from "./support/spawn.ts";

const PROBE = adapterCommand("tests/adapters/process_probe_adapter");

const readWith = (mode: string): string =>
  JSON.stringify({
    version: 1,
    setup: { mode },
    method: "read",
    schema: {},
    types: ["probe"],
    state: {},
  });

async function answer(mode: string): Promise<Record<string, unknown>> {
  const outcome = await pipe(PROBE, readWith(mode));
  assert.equal(outcome.code, 0, `exit code; stderr: ${outcome.stderr}`);
  return oneDocument(outcome.stdout);
}

describe("Deno's lazy process global", () => {
  // Regression: run() read globalThis.process to guard its exit, which under Deno 2.9.6 took an
  // empty read round trip from 1.3x to 2.0x of the bare floor.
  it("is not read while a request is served", { skip: runtimeName() !== "deno" }, async () => {
    const result = await answer("count");
    assert.deepEqual(result, {
      ok: true,
      result: [{
        type_name: "probe",
        key: { name: "process" },
        attrs: { lazy: true, reads: 0 },
      }],
    });
  });
});

describe("process.exit() through node:process, before the answer", () => {
  // The guard of `process.exit` goes on when the global is first read, so an exit through the
  // imported module (the same object, never read from the global) must still be answered: under
  // Deno it ends through Deno.exit, which is guarded from the start, and is named so.
  const via = runtimeName() === "deno" ? "Deno.exit" : "process.exit";
  for (const [mode, code] of [["imported-exit", 4], ["imported-exit-in-timer", 5]] as const) {
    it(`${mode}: answers the exit as an error, exit 0`, async () => {
      assert.deepEqual(await answer(mode), {
        ok: false,
        error: `adapter called ${via}(${code}) before answering`,
      });
    });
  }
});

describe("onFirstRead", () => {
  it("reads a getter only when something else reads it, and hands the value over once", () => {
    let loads = 0;
    const owner = {
      get lazy(): { n: number } {
        loads++;
        return { n: loads };
      },
    };
    const handed: unknown[] = [];
    onFirstRead(owner, "lazy", (value) => handed.push(value));
    assert.equal(loads, 0);
    const first = owner.lazy;
    assert.equal(owner.lazy.n, 2);
    assert.deepEqual([loads, handed], [2, [first]]);
  });

  it("keeps the setter, which may replace the property", () => {
    let stored: unknown = "lazy";
    const owner = {} as { p: unknown };
    Object.defineProperty(owner, "p", {
      get: () => stored,
      set: (v: unknown) => stored = v,
      configurable: true,
      enumerable: true,
    });
    const handed: unknown[] = [];
    onFirstRead(owner, "p", (value) => handed.push(value));
    owner.p = "mine";
    assert.equal(owner.p, "mine");
    assert.deepEqual(handed, ["mine"]);
    assert.equal(Object.getOwnPropertyDescriptor(owner, "p")?.enumerable, true);
  });

  it("hands a plain value over at once, and a missing property never", () => {
    const handed: unknown[] = [];
    onFirstRead({ plain: 1 }, "plain", (value) => handed.push(value));
    onFirstRead({}, "missing", (value) => handed.push(value));
    assert.deepEqual(handed, [1]);
  });

  it("reads a getter that cannot be replaced at once", () => {
    const owner = {};
    Object.defineProperty(owner, "fixed", { get: () => "now", configurable: false });
    const handed: unknown[] = [];
    onFirstRead(owner, "fixed", (value) => handed.push(value));
    assert.deepEqual(handed, ["now"]);
  });
});
