// Importable adapters: a module that defines an adapter and ends in
// `run(adapter, { ifMain: import.meta })` serves a request when it is the program's entry point,
// and only then, so its tests import it. Under Node 20 and 22, where `import.meta.main` does not
// exist, the SDK compares the module's URL with the entry script's real path; these tests run
// there too (the compiled suite under `node --test`).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { adapter as example } from "../examples/example_adapter.ts";
import { adapter as zodSites } from "../examples/zod_adapter.ts";
import { run } from "../mod.ts";
import { invoke, request, schemaOf } from "../testing.ts";
import { adapterCommand, flavour, oneDocument, pipe } from "./support/spawn.ts";

const CAPABILITIES = '{"version":1,"setup":{},"method":"capabilities"}';

describe("an adapter module imported by its tests", () => {
  // Had importing started either adapter, it would have taken this process's stdio and ended it.
  it("is not started, and answers in-process", async () => {
    assert.deepEqual(await invoke(example, request.capabilities()), {
      ok: true,
      result: { role: "adapter" },
    });
    const schema = schemaOf({ "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } } });
    const setup = { region: "eu", sites: [{ slug: "fra1", name: "FRA1" }] };
    assert.deepEqual(
      await invoke(zodSites, request.read({ schema, types: ["dcim.site"], setup })),
      {
        ok: true,
        result: [{
          type_name: "dcim.site",
          key: { slug: "fra1" },
          attrs: { name: "FRA1", region: "eu", tenant: null },
          backend_id: 1,
        }],
      },
    );
  });

  it("run() with another module's import.meta returns at once, touching nothing", async () => {
    await run(example, { ifMain: { url: "file:///not/the/entry.js", main: false } });
    // Without `main` (Node 20, 22): decided from the entry script, which this URL is not.
    await run(example, { ifMain: { url: "file:///not/the/entry.js" } });
  });
});

describe("the same module as the entry point", () => {
  const dir = mkdtempSync(join(tmpdir(), "importable-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the request", async () => {
    const outcome = await pipe(adapterCommand("examples/example_adapter"), CAPABILITIES);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(oneDocument(outcome.stdout), { ok: true, result: { role: "adapter" } });
  });

  // Regression: on Node 20 the entry check threw ENOTDIR for `<file>.js/index.js`, before the
  // SDK could answer; a symlinked or extension-less entry must still be recognised.
  // Node only: Deno says `import.meta.main` itself (and resolves imports from a symlink's place).
  it("serves it when started through a symlink, or without the file's extension", {
    skip: flavour() === "deno",
  }, async () => {
    const [runtime, ...rest] = adapterCommand("examples/example_adapter");
    const script = rest.at(-1);
    assert.ok(runtime !== undefined && script !== undefined, "adapterCommand gave no script");
    const ext = script.slice(script.lastIndexOf("."));
    const link = join(dir, `linked${ext}`);
    symlinkSync(script, link);
    const commands = [[runtime, ...rest.slice(0, -1), link]];
    if (ext === ".js") commands.push([runtime, script.slice(0, -3)]);
    for (const command of commands) {
      const outcome = await pipe(command, CAPABILITIES);
      assert.equal(outcome.code, 0, `${command.join(" ")}: ${outcome.stderr}`);
      assert.deepEqual(oneDocument(outcome.stdout), { ok: true, result: { role: "adapter" } });
    }
  });
});
