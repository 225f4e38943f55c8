// The process contract, through real processes: exactly one JSON document on stdout, newline
// terminated, exit code 0, for good requests, bad requests and misbehaving adapter code. The
// minimal example runs with no permission flags at all (it is `deno compile`-ready as is).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runtimeName } from "../mod.ts";
import { adapterCommand, oneDocument, type Outcome, pipe } from "./support/spawn.ts";
import { text } from "./support/files.ts";

const EXAMPLE = adapterCommand("examples/example_adapter");
const FAULTY = adapterCommand("tests/adapters/faulty_adapter");

function answered(outcome: Outcome): Record<string, unknown> {
  assert.equal(outcome.code, 0, `exit code; stderr: ${outcome.stderr}`);
  return oneDocument(outcome.stdout);
}

const readWith = (setup: unknown): string =>
  JSON.stringify({ version: 1, setup, method: "read", schema: {}, types: ["t"], state: {} });

describe("example_adapter, with no permissions", () => {
  const expected: Record<string, (r: Record<string, unknown>) => void> = {
    "capabilities.json": (r) => assert.deepEqual(r, { ok: true, result: { role: "adapter" } }),
    "read.json": (r) =>
      assert.deepEqual(r, {
        ok: true,
        result: [{
          type_name: "dcim.site",
          key: { site: "fra1" },
          attrs: { name: "FRA1", slug: "fra1" },
          backend_id: 1,
        }],
      }),
    "write.json": (r) =>
      assert.deepEqual(r, { ok: false, error: "create of dcim.site is not implemented yet" }),
    "ensure_schema.json": (r) => assert.deepEqual(r, { ok: true, result: {} }),
    "preview_schema.json": (r) => assert.deepEqual(r, { ok: true, result: {} }),
  };

  it("has an expectation for every sample request", () => {
    assert.deepEqual(readdirSync("examples/requests").sort(), Object.keys(expected).sort());
  });

  for (const [file, check] of Object.entries(expected)) {
    it(`answers examples/requests/${file}`, async () => {
      check(answered(await pipe(EXAMPLE, text(`examples/requests/${file}`))));
    });
  }
});

describe("bad requests, to each example", () => {
  const dir = mkdtempSync(join(tmpdir(), "bad-requests-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const examples: Array<[string, string[]]> = [
    ["example_adapter", EXAMPLE],
    [
      "json_store_adapter",
      adapterCommand("examples/json_store_adapter", [
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
      ]),
    ],
  ];
  const bad: Array<[string, string | Uint8Array, string]> = [
    ["malformed JSON", "not json", "invalid request: "],
    ["an empty stdin", "", "invalid request: empty request: expected one JSON object on stdin"],
    ["a JSON array", "[1,2]", "invalid request: expected a JSON object"],
    ["a JSON string", '"read"', "invalid request: expected a JSON object"],
    [
      "a wrong version",
      '{"version":2,"setup":{},"method":"read"}',
      "unsupported protocol version 2 (expected 1)",
    ],
    [
      "an unknown method",
      '{"version":1,"setup":{},"method":"frobnicate"}',
      "invalid request: unknown variant `frobnicate`, expected one of `read`, `write`, `ensure_schema`, `preview_schema`, `capabilities`",
    ],
    [
      "invalid UTF-8",
      new Uint8Array([0x7b, 0xff, 0x7d]),
      "invalid request: stdin is not valid UTF-8",
    ],
  ];
  for (const [example, command] of examples) {
    for (const [name, input, error] of bad) {
      it(`${example} answers ${name} with ok:false and exits 0`, async () => {
        const response = answered(await pipe(command, input, dir));
        assert.equal(response.ok, false);
        assert.deepEqual(Object.keys(response), ["ok", "error"]);
        if (error.endsWith(": ")) {
          assert.ok(String(response.error).startsWith(error), String(response.error));
        } else assert.equal(response.error, error);
      });
    }
  }
});

describe("misbehaving adapter code", () => {
  const errors: Array<[string, string]> = [
    ["throw-string", "a plain string"],
    ["throw-undefined", "read failed without an error message"],
    ["reject-object", 'threw a non-Error value: {"code":503}'],
    ["uncaught", "adapter crashed: timer blew up"],
    ["rejection-before-answer", "adapter crashed: nobody awaited this"],
    ["crash-then-return", "adapter crashed: crashed first"],
  ];
  for (const [mode, error] of errors) {
    it(`${mode}: one ok:false document, exit 0`, async () => {
      assert.deepEqual(answered(await pipe(FAULTY, readWith({ mode }))), { ok: false, error });
    });
  }

  it("console output and direct stdout writes go to stderr, never into the answer", async () => {
    const outcome = await pipe(FAULTY, readWith({ mode: "log" }));
    assert.deepEqual(answered(outcome), { ok: true, result: [] });
    for (
      const line of [
        "log line",
        "info line",
        "debug line",
        "dir",
        "dirxml line",
        "table",
        "count line: 1",
        "time line: ",
        "group line",
        "collapsed line",
        "warn line",
        "error line",
        "assert line",
        "process.stdout.write line",
        ...(runtimeName() === "deno" ? ["deno writeSync line", "deno write line"] : []),
      ]
    ) {
      assert.ok(
        outcome.stderr.includes(line),
        `stderr lacks ${JSON.stringify(line)}:\n${outcome.stderr}`,
      );
    }
  });

  it("output after the answer stays off stdout", async () => {
    const outcome = await pipe(FAULTY, readWith({ mode: "after-answer" }));
    assert.deepEqual(answered(outcome), { ok: true, result: [] });
  });

  it("an unhandled rejection around the answer still leaves one document and exit 0", async () => {
    const response = answered(await pipe(FAULTY, readWith({ mode: "rejection-around-answer" })));
    assert.ok(
      response.ok === true || response.error === "adapter crashed: too late",
      JSON.stringify(response),
    );
  });

  it("a 50 MB answer arrives whole through the pipe", async () => {
    const outcome = await pipe(FAULTY, readWith({ mode: "big" }));
    assert.ok(outcome.stdout.length > 50_000_000, `only ${outcome.stdout.length} bytes`);
    const response = answered(outcome);
    const result = response.result as Array<{ backend_id: number }>;
    assert.equal(result.length, 50_000);
    assert.equal(result[49_999]!.backend_id, 49_999);
  });
});
