// The conformance runner: the examples pass it, adapters with the usual mistakes fail it for
// the right reason, and its command line behaves as upstream's alembic-adapter-test.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, describe, it } from "node:test";
import { type CheckOutcome, runConformance } from "../testing.ts";
import { runCli } from "../src/conformance/cli.ts";
import { judge } from "../src/conformance/judge.ts";
import { adapterCommand, pipe } from "./support/spawn.ts";

const EXAMPLE = adapterCommand("examples/example_adapter");
const STORE = adapterCommand("examples/json_store_adapter", ["--allow-read", "--allow-write"]);
const broken = (
  mode: string,
) => [...adapterCommand("tests/adapters/broken_adapter", ["--allow-read"]), mode];

function failures(outcomes: CheckOutcome[]): Record<string, string> {
  return Object.fromEntries(
    outcomes.filter((o) => o.verdict === "failed").map((o) => [o.name, o.detail ?? ""]),
  );
}

describe("the examples pass the conformance runner", () => {
  it("example_adapter, with its cases: the report upstream would print", async () => {
    const report = await runConformance(EXAMPLE, { cases: "tests/cases/example_adapter" });
    assert.equal(
      report.text,
      `protocol/invalid-json                        ok
protocol/version-mismatch                    ok
protocol/unknown-method                      ok
protocol/capabilities                        ok
protocol/read-empty                          ok
protocol/write-empty                         skipped (writes are opt-in, pass --write-checks)
protocol/preview-schema-empty                ok
protocol/ensure-schema-empty                 skipped (writes are opt-in, pass --write-checks)
case/preview provisions nothing              ok
case/read a type the backend does not hold   ok
case/read the sample site                    ok
case/a write the skeleton refuses            ok

10 passed, 2 skipped
`,
    );
    assert.ok(report.passed);
  });

  const scratch = mkdtempSync(join(tmpdir(), "conformance-store-"));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("json_store_adapter, with the writing checks and its cases, in a scratch directory", async () => {
    const report = await runConformance(STORE, {
      cases: `${process.cwd()}/tests/cases/json_store`,
      writeChecks: true,
      scopeChecks: true,
      cwd: scratch,
    });
    assert.deepEqual(failures(report.outcomes), {}, report.text);
    assert.match(report.text, /\n\n\d+ passed(, \d+ skipped)?\n$/);
  });
});

describe("adapters with the usual mistakes fail it, saying where to look", () => {
  it("a log line on stdout", async () => {
    const { outcomes } = await runConformance(broken("stdout-log"));
    assert.equal(
      failures(outcomes)["protocol/read-empty"],
      "stdout is not one json document: expected value at line 1 column 1",
    );
  });

  it("exit code 1 on an error", async () => {
    const { outcomes, text } = await runConformance(broken("exit-1-on-error"));
    assert.equal(
      failures(outcomes)["protocol/invalid-json"],
      "adapter exited unsuccessfully (exit status: 1)",
    );
    assert.match(
      text,
      /protocol\/invalid-json +FAILED\n {4}error: {2}adapter exited unsuccessfully \(exit status: 1\)\n {4}status: exit status: 1\n {4}stdout:\n {6}\{"ok":false,"error":"bad json"\}\n/,
    );
  });

  it("an unknown envelope key", async () => {
    const { outcomes } = await runConformance(broken("unknown-envelope-key"));
    assert.equal(
      failures(outcomes)["protocol/read-empty"],
      "bad response envelope: unknown key warnings",
    );
  });

  it("a ref written as a backend id", async () => {
    const { outcomes } = await runConformance(broken("ref-as-backend-id"), {
      cases: "tests/cases/value_space/read-device.json",
    });
    assert.deepEqual(failures(outcomes), {
      "case/read a device and its site":
        "read result leaves alembic's value space: invalid value for dcim.device.site: expected uuid, got number",
    });
  });

  it("an int written as a float literal, which alembic reads as a float", async () => {
    const { outcomes } = await runConformance(broken("int-as-float"), {
      cases: "tests/cases/value_space/read-device.json",
    });
    assert.equal(
      failures(outcomes)["case/read a device and its site"],
      "read result leaves alembic's value space: invalid value for dcim.device.mtu: expected int, got number",
    );
  });

  it("a narrowing read that drops an object named by its backend id, or by its key (legacy scope checks)", async () => {
    const cases = "tests/cases/example_adapter/read-site.json";
    const keysOnly = await runConformance(broken("keys-only-narrowing"), {
      cases,
      scopeChecks: true,
    });
    assert.deepEqual(failures(keysOnly.outcomes), {
      "case/read the sample site": failures(keysOnly.outcomes)["case/read the sample site"],
      "case/read the sample site (legacy scope: narrowed on backend ids)":
        'the narrowed read dropped objects the scope names: dcim.site {"slug":"fra1"}, dcim.site {"slug":"ams1"}',
    });
    const idsOnly = await runConformance(broken("ids-only-narrowing"), {
      cases,
      scopeChecks: true,
    });
    assert.equal(
      failures(idsOnly.outcomes)["case/read the sample site (legacy scope: narrowed on keys)"],
      'the narrowed read dropped objects the scope names: dcim.site {"slug":"fra1"}, dcim.site {"slug":"ams1"}',
    );
    const union = await runConformance(broken("union-narrowing"), { cases, scopeChecks: true });
    assert.equal(
      union.outcomes.filter((o) => o.name.includes("legacy scope") && o.verdict === "failed")
        .length,
      0,
      union.text,
    );
  });
});

describe("the command line", () => {
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runCli(args, {
      stdout: (t) => out += t,
      stderr: (t) => err += t,
    });
    return { code, out, err };
  }

  it("exits 2 on usage errors", async () => {
    assert.equal((await cli([])).code, 2);
    assert.equal((await cli(["--timeout", "soon", "--", "x"])).code, 2);
    assert.equal((await cli(["--write-checks", "--no-provisioning-check", "--", "x"])).code, 2);
    assert.equal((await cli(["--frobnicate", "--", "x"])).code, 2);
  });

  it("exits 2 with upstream's texts when cases cannot be loaded", async () => {
    const missing = await cli(["--cases", "tests/no-such-dir", "--", "x"]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: reading cases at tests\/no-such-dir: /);
    const nested = await cli(["--cases", "tests/cases", "--", "x"]);
    assert.equal(nested.code, 2);
    assert.match(
      nested.err,
      /^error: cases in tests\/cases\/\w+(, tests\/cases\/\w+)+ are not loaded: `--cases` reads tests\/cases itself, not its subdirectories/,
    );
  });

  it("exits 1 when a check fails, and says so in the summary", async () => {
    const run = await cli(["--", ...broken("unknown-envelope-key")]);
    assert.equal(run.code, 1);
    assert.match(run.out, /\n\n\d+ passed, \d+ skipped, \d+ failed\n$/);
  });

  it("takes the adapter from the first argument that is not an option when `--` is gone", async () => {
    // `bun conformance.js -- ./adapter` hands the script `./adapter`: Bun keeps that `--`.
    const bare = await cli(["--cases", "tests/cases/example_adapter", ...EXAMPLE]);
    assert.equal(bare.code, 0, bare.err);
    assert.match(bare.out, /\n\n10 passed, 2 skipped\n$/);
    const afterTimeout = await cli(["--timeout", "10", ...broken("unknown-envelope-key")]);
    assert.equal(afterTimeout.code, 1, afterTimeout.err);
    // After the adapter's first word, every argument is the adapter's, options included.
    const adapterOptions = await cli([...EXAMPLE, "--write-checks"]);
    assert.match(adapterOptions.out, /write-empty +skipped/);
  });

  it("warns about the deprecated flag", async () => {
    const run = await cli(["--no-provisioning-check", "--", ...EXAMPLE]);
    assert.equal(run.code, 0);
    assert.equal(
      run.err,
      "warning: --no-provisioning-check is the default now; drop it, or pass --write-checks to run the writing checks\n",
    );
  });
});

describe("the published entry point (`jsr:…/conformance`, the npm bin), as a process", () => {
  const runner = adapterCommand("conformance", ["--allow-run", "--allow-read", "--allow-env"]);

  it("passes the example with its cases, printing the report and exiting 0", async () => {
    const run = await pipe(
      [...runner, "--cases", "tests/cases/example_adapter", "--", ...EXAMPLE],
      "",
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^protocol\/invalid-json +ok\n/);
    assert.match(run.stdout, /\n\n10 passed, 2 skipped\n$/);
  });

  it("exits 1 for a failing adapter and 2 for a usage error", async () => {
    const failing = await pipe([...runner, "--", ...broken("stdout-log")], "");
    assert.equal(failing.code, 1, failing.stderr);
    assert.match(failing.stdout, /protocol\/read-empty +FAILED\n/);
    const usage = await pipe(runner, "");
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^error: the adapter command is required after `--`/);
  });
});

describe("judging a read case's values, in-process", () => {
  const answered = (stdout: string) => ({
    status: { kind: "exited" as const, code: 0 },
    stdout: new TextEncoder().encode(stdout),
    stderr: new Uint8Array(),
  });
  const readCase = (request: Record<string, unknown>) => ({
    kind: "case" as const,
    expect: { ok: true },
    request: { method: "read", ...request },
  });
  const site = '{"ok":true,"result":[{"type_name":"dcim.site","key":{"slug":"fra1"},"attrs":{}}]}';

  it("needs the case to carry a schema that decodes", () => {
    assert.equal(
      judge(answered(site), "read", readCase({})).failure,
      "read case request carries no schema",
    );
    assert.equal(
      judge(
        answered(site),
        "read",
        readCase({ schema: { types: { "dcim.site": { key: { slug: {} } } } } }),
      )
        .failure,
      'read case request schema does not parse: schema.types["dcim.site"].key.slug: field schema requires type',
    );
  });

  it("drops objects of undeclared types, and checks the rest", () => {
    const schema = { types: { "dcim.site": { key: { slug: { type: "slug" } } } } };
    assert.equal(judge(answered(site), "read", readCase({ schema })).failure, undefined);
    const stray = '{"ok":true,"result":[{"type_name":"x.y","key":{},"attrs":{"a":1}}]}';
    assert.equal(judge(answered(stray), "read", readCase({ schema })).failure, undefined);
  });

  it("like upstream's runner, leaves unique backend ids to the host", () => {
    const schema = { types: { "dcim.site": { key: { slug: { type: "slug" } } } } };
    const twice =
      '{"ok":true,"result":[{"type_name":"dcim.site","key":{"slug":"fra1"},"backend_id":1},' +
      '{"type_name":"dcim.site","key":{"slug":"ams1"},"backend_id":1}]}';
    assert.equal(judge(answered(twice), "read", readCase({ schema })).failure, undefined);
  });

  it("leaves the case's request as written, for the re-reads that follow", () => {
    const schema = { types: { "dcim.site": { key: { slug: { type: "slug" } } } } };
    const request = { schema };
    judge(answered(site), "read", readCase(request));
    assert.deepEqual(request.schema, {
      types: { "dcim.site": { key: { slug: { type: "slug" } } } },
    });
  });
});
