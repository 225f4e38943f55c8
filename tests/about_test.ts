// Adapters that explain themselves: `--help`, `--version`, `--about` and `--about --format json`
// as the only arguments print to stdout and exit 0 without reading stdin; any other argument is
// the adapter's own. The description itself (role, methods, setup as JSON Schema) in-process.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import * as v from "valibot";
import { z } from "zod";
import {
  Adapter,
  defineAdapter,
  describeAdapter,
  type ExternalObject,
  SDK_VERSION,
  type StandardSchemaV1,
} from "../mod.ts";
import { adapterCommand, flavour, oneDocument, type Outcome, pipe } from "./support/spawn.ts";
import { programOf } from "./support/tuple.ts";

const EXAMPLE = adapterCommand("examples/example_adapter");
const ZOD = adapterCommand("examples/zod_adapter");
const SDK = { name: "alembic-adapter-sdk", version: SDK_VERSION };

/** Runs `argv` with stdin left open: a process that read it would never end. */
function withOpenStdin(argv: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(...programOf(argv), { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => stdout += c);
    child.stderr.setEncoding("utf8").on("data", (c: string) => stderr += c);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      child.stdin.destroy();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe("the SDK's version", () => {
  it("is the package's", () => {
    const manifest = existsSync("deno.json") ? "deno.json" : "package.json";
    assert.equal(SDK_VERSION, JSON.parse(readFileSync(manifest, "utf8")).version);
  });
});

describe("self-description through the real process, without reading stdin", () => {
  it("--version: the adapter's name and version, then the SDK's", async () => {
    const outcome = await withOpenStdin([...ZOD, "--version"]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(
      outcome.stdout,
      `static-sites 1.0.0\nalembic-adapter-sdk ${SDK_VERSION} (protocol version 1)\n`,
    );
  });

  it("--help: usage, naming every self-description", async () => {
    const outcome = await withOpenStdin([...EXAMPLE, "--help"]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.ok(outcome.stdout.startsWith("example-adapter 0.1.0: A skeleton"), outcome.stdout);
    for (const flag of ["--help", "--version", "--about", "--about --format json"]) {
      assert.ok(outcome.stdout.includes(`ADAPTER ${flag} `), flag);
    }
  });

  it("--about: what the README shows, exactly", async () => {
    const outcome = await withOpenStdin([...ZOD, "--about"]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(outcome.stdout, readmeBlockAfter("deno run examples/zod_adapter.ts --about"));
  });

  it("--about --format json: one JSON document", async () => {
    const outcome = await withOpenStdin([...EXAMPLE, "--about", "--format", "json"]);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(oneDocument(outcome.stdout), {
      name: "example-adapter",
      version: "0.1.0",
      description: "A skeleton that serves one sample site.",
      sdk: SDK,
      protocol_version: 1,
      role: "adapter",
      implements: ["read", "write"],
      setup: {
        checked_by: "function",
        json_schema: { properties: { host: { type: "string", default: "http://localhost:8080" } } },
      },
    });
  });

  it("any other argument list is the adapter's: the request is served", async () => {
    const request = '{"version":1,"setup":{},"method":"capabilities"}';
    for (const args of [["--verbose"], ["--help", "--verbose"], ["--about", "--format", "text"]]) {
      const outcome = await pipe([...EXAMPLE, ...args], request);
      assert.equal(outcome.code, 0, outcome.stderr);
      assert.deepEqual(oneDocument(outcome.stdout), { ok: true, result: { role: "adapter" } });
    }
  });
});

/** The text of the README's first fenced block after the line that holds `marker`. */
function readmeBlockAfter(marker: string): string {
  const readme = readFileSync("README.md", "utf8");
  const at = readme.indexOf(marker);
  assert.ok(at >= 0, `README.md has no ${marker}`);
  const block = /```text\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block !== null, `README.md has no text block after ${marker}`);
  return block[1]!; // the group is not optional
}

describe("the README's typed adapter is examples/zod_adapter.ts", () => {
  it("shows its code as it is", { skip: flavour() !== "deno" }, () => {
    const file = readFileSync("examples/zod_adapter.ts", "utf8");
    const code = file.slice(file.indexOf("*/\n") + 3).trimStart()
      .replace('from "../mod.ts"', 'from "@alembic-adapter/sdk"');
    const readme = readFileSync("README.md", "utf8");
    assert.ok(
      readme.includes(`\`\`\`ts ignore\n${code}\`\`\``),
      "README.md shows another version of it",
    );
  });
});

describe("describeAdapter", () => {
  it("says what zod accepts as JSON Schema (the Standard JSON Schema interface)", () => {
    const adapter = defineAdapter({
      name: "z",
      version: "1.0.0",
      setup: z.object({ host: z.string(), port: z.number().default(22) }),
    });
    assert.deepEqual(describeAdapter(adapter).setup, {
      checked_by: "zod",
      json_schema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        properties: { host: { type: "string" }, port: { type: "number", default: 22 } },
        // The input side: what the block may hold, so a defaulted field is not required.
        required: ["host"],
      },
    });
  });

  it("names a validator that cannot say, and takes the schema given beside it", () => {
    const Setup = v.object({ host: v.string() });
    assert.deepEqual(
      describeAdapter(defineAdapter({ name: "v", version: "1", setup: Setup })).setup,
      { checked_by: "valibot", json_schema: null },
    );
    const given = { type: "object", properties: { host: { type: "string" } } };
    assert.deepEqual(
      describeAdapter(
        defineAdapter({ name: "v", version: "1", setup: Setup, setupJsonSchema: given }),
      )
        .setup,
      { checked_by: "valibot", json_schema: given },
    );
  });

  it("asks arktype's toJsonSchema() (a callable validator), and survives a converter that throws", () => {
    const callable = Object.assign((x: unknown) => x, {
      "~standard": {
        version: 1 as const,
        vendor: "arktype",
        validate: (x: unknown) => ({ value: x }),
      },
      toJsonSchema: () => ({ type: "string" }),
    });
    assert.deepEqual(
      describeAdapter(defineAdapter({ name: "a", version: "1", setup: callable })).setup,
      { checked_by: "arktype", json_schema: { type: "string" } },
    );
    const throwing: StandardSchemaV1<unknown, unknown> = {
      "~standard": {
        version: 1,
        vendor: "partial",
        validate: (x) => ({ value: x }),
        jsonSchema: {
          input: () => {
            throw new Error("a transform has no JSON Schema");
          },
          output: () => ({}),
        },
      },
    };
    assert.deepEqual(
      describeAdapter(defineAdapter({ name: "p", version: "1", setup: throwing })).setup,
      { checked_by: "partial", json_schema: null },
    );
  });

  it("describes plain objects and Adapter subclasses too, by what they implement", () => {
    class Reader extends Adapter {
      override read(): ExternalObject[] {
        return [];
      }
    }
    assert.deepEqual(describeAdapter(new Reader()), {
      name: null,
      version: null,
      description: null,
      sdk: SDK,
      protocol_version: 1,
      role: "observer",
      implements: ["read"],
      setup: null,
    });
    const decides = describeAdapter({
      capabilities: () => ({ role: "emitter" }),
      write: () => ({ applied: [] }),
    });
    assert.equal(decides.role, null);
    assert.deepEqual(decides.implements, ["capabilities", "write"]);
  });
});
