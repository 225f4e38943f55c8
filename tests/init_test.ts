// The scaffold, in-process: the files each kind of project gets, the samples and cases in them
// (decoded and loaded as the SDK and its conformance runner read them), the folder it refuses,
// the names it refuses, and its command line. scripts/check_init.ts runs the generated projects.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { decodeRequest } from "../codec.ts";
import { SDK_VERSION } from "../mod.ts";
import { loadCases } from "../src/conformance/cases.ts";
import { type InitIo, runInit } from "../src/init/cli.ts";
import { nameProblem, projectFiles } from "../src/init/project.ts";
import { SAMPLE_METHODS, SAMPLES_SOURCE } from "../src/init/samples.ts";
import type { ProjectFile, ProjectRuntime } from "../src/init/shared.ts";
import { InitRefused, writeProject } from "../src/init/write.ts";

const RUNTIMES: ProjectRuntime[] = ["deno", "node"];
const scratch = mkdtempSync(join(tmpdir(), "alembic-init-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function files(runtime: ProjectRuntime, name = "my-adapter"): Map<string, string> {
  return new Map(projectFiles({ name, runtime }).map((f: ProjectFile) => [f.path, f.text]));
}

function text(map: Map<string, string>, path: string): string {
  const found = map.get(path);
  assert.ok(found !== undefined, `no ${path} among ${[...map.keys()].join(", ")}`);
  return found;
}

/** A command line whose output is kept. */
function cli(runtime: ProjectRuntime = "deno"): InitIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, runtime, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe("a generated project", () => {
  it("has, for each runtime, the adapter, its test, cases, samples, config, README, workflow", () => {
    const common = [
      ".github/workflows/ci.yml",
      ".gitignore",
      "README.md",
      "backend.yaml",
      ...SAMPLE_METHODS.map((m) => `requests/${m}.json`),
    ];
    const deno = [...files("deno").keys()];
    const node = [...files("node").keys()];
    for (const path of [...common, "deno.json", "adapter.ts", "tests/adapter_test.ts"]) {
      assert.ok(deno.includes(path), `deno: ${path}`);
    }
    for (const path of [...common, "package.json", "adapter.mjs", "tests/adapter_test.mjs"]) {
      assert.ok(node.includes(path), `node: ${path}`);
    }
    assert.ok(deno.some((p) => p.startsWith("tests/cases/")));
    assert.deepEqual(deno, [...deno].sort(), "sorted by path");
  });

  it("has a sample request for every method, each one the SDK decodes as that method", () => {
    assert.deepEqual(SAMPLE_METHODS, [
      "capabilities",
      "read",
      "write",
      "ensure_schema",
      "preview_schema",
    ]);
    for (const runtime of RUNTIMES) {
      const map = files(runtime);
      const samples = [...map.keys()].filter((p) => p.startsWith("requests/"));
      assert.deepEqual(samples.sort(), SAMPLE_METHODS.map((m) => `requests/${m}.json`).sort());
      for (const method of SAMPLE_METHODS) {
        const decoded = decodeRequest(text(map, `requests/${method}.json`));
        assert.equal(decoded.method, method);
      }
    }
  });

  it("holds only JSON that parses, every JSON file ending in a newline", () => {
    for (const runtime of RUNTIMES) {
      for (const [path, content] of files(runtime)) {
        if (!path.endsWith(".json")) continue;
        assert.doesNotThrow(() => JSON.parse(content), path);
        assert.ok(content.endsWith("}\n"), path);
      }
    }
  });

  it("holds conformance cases the runner loads, a write among them", () => {
    const dir = join(scratch, "cases");
    writeProject(dir, projectFiles({ name: "cases", runtime: "deno" }));
    const cases = loadCases(join(dir, "tests", "cases"));
    assert.ok(cases.length >= 5, `${cases.length} cases`);
    const methods = new Set(cases.map((c) => c.request.method));
    for (const method of ["capabilities", "read", "write", "preview_schema"]) {
      assert.ok(methods.has(method), method);
    }
    for (const c of cases) decodeRequest(c.requestText);
  });

  it("Deno: imports the SDK from JSR at this version, zod from npm, and has the four tasks", () => {
    const config = JSON.parse(text(files("deno"), "deno.json"));
    assert.equal(
      config.imports["@alembic-adapter/sdk"],
      `jsr:@alembic-adapter/sdk@^${SDK_VERSION}`,
    );
    assert.match(config.imports.zod, /^npm:zod@/);
    assert.deepEqual(Object.keys(config.tasks).sort(), [
      "compile",
      "conformance",
      "request",
      "test",
    ]);
    assert.match(
      config.tasks.conformance,
      /@alembic-adapter\/sdk\/conformance --cases tests\/cases --write-checks -- deno run --quiet adapter\.ts$/,
    );
    assert.match(config.tasks.compile, /^deno compile --output dist\/my-adapter adapter\.ts$/);
  });

  it("Node: depends on alembic-adapter-sdk at this version and zod, with the scripts", () => {
    const pkg = JSON.parse(text(files("node"), "package.json"));
    assert.equal(pkg.type, "module");
    assert.equal(pkg.name, "my-adapter");
    assert.equal(pkg.dependencies["alembic-adapter-sdk"], `^${SDK_VERSION}`);
    assert.ok(pkg.dependencies.zod);
    for (const script of ["test", "typecheck", "conformance", "request", "build-sea"]) {
      assert.ok(pkg.scripts[script], script);
    }
    assert.match(pkg.scripts.conformance, /^alembic-adapter-conformance --cases tests\/cases /);
  });

  it("has an importable adapter that declares its setup with a Standard Schema validator", () => {
    for (const [runtime, path] of [["deno", "adapter.ts"], ["node", "adapter.mjs"]] as const) {
      const adapter = text(files(runtime), path);
      assert.match(adapter, /export const adapter\b/);
      assert.match(adapter, /setup: Setup,/);
      assert.match(adapter, /const Setup = z\.object\(/);
      assert.match(adapter, /name: "my-adapter"/);
      assert.ok(adapter.trimEnd().endsWith("run(adapter, { ifMain: import.meta });"), runtime);
    }
  });

  it("builds its requests in the request script from the samples' own source", () => {
    const deno = text(files("deno"), "scripts/request.ts");
    const node = text(files("node"), "scripts/request.mjs");
    const tail = SAMPLES_SOURCE.slice(SAMPLES_SOURCE.indexOf("const samples"));
    const head = SAMPLES_SOURCE.slice(0, SAMPLES_SOURCE.indexOf("const samples"));
    for (const script of [deno, node]) {
      assert.ok(script.includes(head));
      assert.ok(script.includes(tail.slice(tail.indexOf("{"))));
      assert.match(script, /spawnAdapter\(/);
    }
  });

  it("has a workflow that runs the tests and the conformance runner", () => {
    assert.match(text(files("deno"), ".github/workflows/ci.yml"), /run: deno task test\n/);
    assert.match(text(files("deno"), ".github/workflows/ci.yml"), /run: deno task conformance\n/);
    assert.match(text(files("node"), ".github/workflows/ci.yml"), /run: npm test\n/);
    assert.match(text(files("node"), ".github/workflows/ci.yml"), /run: npm run conformance\n/);
  });

  it("names its executable and its state after the name without the npm scope", () => {
    const map = files("node", "@acme/netbox-adapter");
    assert.equal(JSON.parse(text(map, "package.json")).name, "@acme/netbox-adapter");
    assert.match(text(map, "backend.yaml"), /\ninstance: netbox-adapter\n/);
    assert.match(text(map, "scripts/build_sea.mjs"), /const binary = "dist\/netbox-adapter";/);
  });
});

describe("names", () => {
  it("accepts npm package names, scoped ones included", () => {
    for (const name of ["my-adapter", "a", "netbox2", "x.y_z", "@acme/netbox-adapter"]) {
      assert.equal(nameProblem(name), undefined, name);
    }
  });

  it("refuses what cannot be a package, a file or a YAML name", () => {
    for (
      const name of ["", "My-Adapter", "my adapter", "-x", ".x", "_x", "a/b", "@acme", "é", "a:b"]
    ) {
      assert.notEqual(nameProblem(name), undefined, name);
    }
    assert.match(nameProblem("a".repeat(215))!, /at most 214/);
    assert.throws(() => projectFiles({ name: "Bad Name", runtime: "deno" }), TypeError);
  });
});

describe("writing a project", () => {
  it("creates a missing folder, or fills an empty one", () => {
    const missing = join(scratch, "new", "deeper");
    writeProject(missing, [{ path: "a/b.txt", text: "b" }]);
    assert.ok(existsSync(join(missing, "a", "b.txt")));
    const empty = join(scratch, "empty");
    mkdirSync(empty);
    writeProject(empty, [{ path: "c.txt", text: "c" }]);
    assert.deepEqual(readdirSync(empty), ["c.txt"]);
  });

  it("refuses a folder that holds anything, even a dotfile, and writes nothing", () => {
    const dir = join(scratch, "taken");
    mkdirSync(dir);
    writeFileSync(join(dir, ".git"), "gitdir: elsewhere\n");
    assert.throws(
      () => writeProject(dir, [{ path: "adapter.ts", text: "" }]),
      (e: unknown) => e instanceof InitRefused && /is not empty \(it holds \.git\)/.test(e.message),
    );
    assert.deepEqual(readdirSync(dir), [".git"]);
  });

  it("refuses a path that is a file", () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "");
    assert.throws(() => writeProject(file, []), /exists and is not a folder/);
  });
});

describe("the init command line", () => {
  it("writes the project, prints what it created and the next commands, exits 0", () => {
    const dir = join(scratch, "cli-deno");
    const io = cli("deno");
    assert.equal(runInit([dir], io), 0);
    assert.deepEqual(io.err, []);
    assert.match(io.out[0]!, /^Created cli-deno, an alembic adapter project for Deno, in /);
    assert.match(io.out[0]!, /\n {2}adapter\.ts\n/);
    assert.match(io.out[0]!, /\nNext:\n {2}cd .*\n {2}deno task test\n {2}deno task conformance\n/);
    assert.ok(existsSync(join(dir, "deno.json")));
  });

  it("takes a leading init as the npm bin's subcommand, and the runtime from the caller", () => {
    const dir = join(scratch, "cli-node");
    const io = cli("node");
    assert.equal(runInit(["init", dir], io), 0, io.err.join(""));
    assert.ok(existsSync(join(dir, "package.json")));
    assert.ok(!existsSync(join(dir, "deno.json")));
    assert.match(io.out[0]!, /\n {2}npm install\n {2}npm test\n/);
  });

  it("takes --runtime and --name, both as two words or with =", () => {
    const a = join(scratch, "cli-a");
    assert.equal(runInit([a, "--runtime", "node", "--name", "sites"], cli("deno")), 0);
    assert.match(readdirSync(a).join(","), /package\.json/);
    const b = join(scratch, "cli-b");
    assert.equal(runInit(["--runtime=deno", "--name=@acme/sites", b], cli("node")), 0);
    assert.ok(existsSync(join(b, "deno.json")));
  });

  it("refuses a non-empty folder with exit code 1, naming it", () => {
    const dir = join(scratch, "cli-taken");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const io = cli();
    assert.equal(runInit([dir], io), 1);
    assert.match(io.err[0]!, /^error: .*cli-taken is not empty \(it holds notes\.txt\)/);
    assert.deepEqual(readdirSync(dir), ["notes.txt"]);
    assert.deepEqual(io.out, []);
  });

  it("refuses a folder name that is no package name with exit code 1, pointing at --name", () => {
    const io = cli();
    assert.equal(runInit([join(scratch, "My Adapter")], io), 1);
    assert.match(io.err[0]!, /"My Adapter" is not a package name.*pass --name/);
    assert.ok(!existsSync(join(scratch, "My Adapter")));
    assert.equal(runInit([join(scratch, "My Adapter"), "--name", "my-adapter"], cli()), 0);
  });

  it("answers usage errors with exit code 2 and the usage, and --help with 0", () => {
    for (
      const args of [[], ["--runtime", "bun", "x"], ["--runtime"], ["x", "--name"], [
        "--force",
        "x",
      ], [
        "a",
        "b",
      ]]
    ) {
      const io = cli();
      assert.equal(runInit(args, io), 2, args.join(" "));
      assert.match(io.err[0]!, /^error: .*\n\nUsage: alembic-adapter-sdk init <DIR>/s);
    }
    const io = cli();
    assert.equal(runInit(["init", "--help"], io), 0);
    assert.match(io.out[0]!, /--runtime <deno\|node>/);
    assert.ok(!existsSync("a") && !existsSync("x"), "nothing written in the working directory");
  });
});
