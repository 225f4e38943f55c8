// Faulty adapter code, through real processes (tests/adapters/faulty_adapter.ts, one mode per
// request): whatever the methods throw, return or do to stdout, the answer is exactly one JSON
// document and the exit code is 0. Where the result is unusable, the error names the problem.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runtimeName } from "../mod.ts";
import { adapterCommand, oneDocument, type Outcome, pipe } from "./support/spawn.ts";

const FAULTY = adapterCommand("tests/adapters/faulty_adapter");
const INVALID = "adapter produced an invalid read result: ";

const readWith = (mode: string): string =>
  JSON.stringify({
    version: 1,
    setup: { mode },
    method: "read",
    schema: {},
    types: ["dcim.site"],
    state: {},
  });

function answered(outcome: Outcome): Record<string, unknown> {
  assert.equal(outcome.code, 0, `exit code; stderr: ${outcome.stderr}`);
  return oneDocument(outcome.stdout);
}

const run = async (mode: string): Promise<Record<string, unknown>> =>
  answered(await pipe(FAULTY, readWith(mode)));

describe("a faulty setup", () => {
  const cases: Array<[string, string]> = [
    ["setup-throws", "invalid setup: no endpoint configured"],
    ["setup-throws-string", "invalid setup: bad config"],
    ["setup-throws-undefined", "invalid setup: setup failed without an error message"],
    ["setup-rejects", "invalid setup: endpoint must be a URL"],
  ];
  for (const [mode, error] of cases) {
    it(`${mode}: answers ${JSON.stringify(error)}`, async () => {
      assert.deepEqual(await run(mode), { ok: false, error });
    });
  }
});

describe("a result the host cannot read is refused, naming the problem", () => {
  const cases: Array<[string, string]> = [
    ["result-nan", "[0].attrs.value: expected a finite number, got NaN"],
    ["result-infinity", "[0].attrs.value: expected a finite number, got -Infinity"],
    ["result-undefined", "expected an array of objects, got undefined"],
    ["result-undefined-in-array", "[0].attrs.value[1]: expected a JSON value, got undefined"],
    ["result-hole-in-array", "[0].attrs.value[1]: expected a JSON value, got undefined"],
    ["result-date", "[0].attrs.value: expected a JSON value, got a Date"],
    [
      "result-class-instance",
      "[0]: expected an object {type_name, key, attrs, backend_id}, got a Site",
    ],
    ["result-map", "[0].attrs.value: expected a JSON value, got a Map"],
    ["result-function", "[0].attrs.value: expected a JSON value, got a function"],
    ["result-symbol", "[0].attrs.value: expected a JSON value, got a symbol"],
    ["result-cycle", "[0].attrs.self: circular reference"],
    ["result-wrong-shape", "expected an array of objects, got an object"],
    ["result-typo", "[0]: unknown key `atrs` (allowed: type_name, key, attrs, backend_id)"],
    ["result-string", 'expected an array of objects, got "[]"'],
    [
      "result-lone-surrogate",
      "[0].attrs.value: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    ],
  ];
  for (const [mode, problem] of cases) {
    it(`${mode}: ${problem}`, async () => {
      assert.deepEqual(await run(mode), { ok: false, error: INVALID + problem });
    });
  }

  it("result-bigint: a bigint is written as a bare, exact integer", async () => {
    const outcome = await pipe(FAULTY, readWith("result-bigint"));
    answered(outcome);
    assert.ok(outcome.stdout.includes('"attrs":{"value":18446744073709551615}'), outcome.stdout);
  });

  it("result-proxy: a result that throws when touched answers what it threw", async () => {
    assert.deepEqual(await run("result-proxy"), { ok: false, error: "trap: get" });
  });
});

describe("hostile thrown values", () => {
  // Regression: the error text was read from the thrown value unguarded, so a value that throws
  // when inspected escaped respond() and, thrown from a timer, killed the process (exit 7 under
  // Node, 1 under Deno) with nothing on stdout.
  const unreadable = "(the thrown value could not be inspected)";
  it("throw-hostile: a thrown value that throws when inspected", async () => {
    assert.deepEqual(await run("throw-hostile"), {
      ok: false,
      error: `read failed without an error message ${unreadable}`,
    });
  });

  it("reject-hostile: a rejection with such a value", async () => {
    assert.deepEqual(await run("reject-hostile"), {
      ok: false,
      error: `read failed without an error message ${unreadable}`,
    });
  });

  it("uncaught-hostile: such a value thrown from a timer", async () => {
    assert.deepEqual(await run("uncaught-hostile"), {
      ok: false,
      error: `adapter crashed: uncaught exception without a message ${unreadable}`,
    });
  });

  // Regression: the whole chain was walked, comparing each link with all before it; 100k links
  // kept the process busy for minutes, past the host's timeout.
  it("throw-long-cause-chain: a chain of 100k causes is cut short", async () => {
    const error = String((await run("throw-long-cause-chain")).error);
    assert.ok(error.startsWith("level 99999: level 99998: "), error.slice(0, 100));
    assert.ok(error.endsWith(": …"), error.slice(-100));
    assert.ok(error.length < 1000, `${error.length} characters`);
  });
});

describe("misuse of the process", () => {
  // Regression: with nothing left to run, the process ended by itself with exit 0 and an empty
  // stdout, which the host reads as a malformed answer.
  it("never-settles: a promise that never settles still gets an answer", async () => {
    assert.deepEqual(await run("never-settles"), {
      ok: false,
      error:
        "adapter never answered: a promise it returned stayed pending with nothing left to run",
    });
  });

  // Regression: Node's end(chunk) wrote the chunk to the real stdout and closed it, so the
  // answer could not be written (exit 1).
  it("stdout-end: stdout.end(chunk) goes to stderr and leaves stdout open", async () => {
    const outcome = await pipe(FAULTY, readWith("stdout-end"));
    assert.deepEqual(answered(outcome), { ok: true, result: [] });
    assert.ok(outcome.stderr.includes("end line"), outcome.stderr);
  });

  // Regression: Deno.stdout.close() closed fd 1 before the answer (exit 1).
  it("stdout-close: closing or destroying stdout does not lose the answer", async () => {
    assert.deepEqual(await run("stdout-close"), { ok: true, result: [] });
  });

  // Regression: under Node a cork left on stdout held the answer back for good (exit 0, empty
  // stdout).
  it("stdout-cork: a cork left on stdout does not hold the answer back", async () => {
    assert.deepEqual(await run("stdout-cork"), { ok: true, result: [] });
  });

  it("rejection-after-answer: a rejection seen after the answer leaves it alone", async () => {
    assert.deepEqual(await run("rejection-after-answer"), {
      ok: true,
      result: [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: {} }],
    });
  });
});

describe("process.exit() and Deno.exit() before the answer", () => {
  // Regression: an exit before the answer ended the process with an empty stdout, which alembic
  // cannot read (or, with a non-zero code, reports as the adapter's failure with no reason).
  const cases: Array<[string, string]> = [
    ["process-exit", "adapter called process.exit(0) before answering"],
    ["process-exit-no-code", "adapter called process.exit() before answering"],
    ["exit-in-timer", "adapter called process.exit(2) before answering"],
    ["exit-caught", "adapter called process.exit(0) before answering"],
    ["exit-in-setup", "adapter called process.exit(3) before answering"],
  ];
  if (runtimeName() === "deno") {
    cases.push(["deno-exit", "adapter called Deno.exit(1) before answering"]);
  }
  for (const [mode, error] of cases) {
    it(`${mode}: answers ${JSON.stringify(error)}, exit 0`, async () => {
      assert.deepEqual(await run(mode), { ok: false, error });
    });
  }
});
