// The one file the README recommends deploying when start-up matters, and the form the Deno
// start-up target is measured on (`deno bundle --minify`), answers byte for byte as the source it
// was made from: every sample request, a bad request, and `--about`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, it } from "node:test";
import { adapterCommand, flavour, pipe } from "./support/spawn.ts";
import { text } from "./support/files.ts";

describe("the example as one `deno bundle --minify` file", {
  skip: flavour() !== "deno" && "deno bundle is Deno's",
}, () => {
  let dir = "";
  let bundled: string[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bundle-"));
    const file = join(dir, "example_adapter.js");
    const made = spawnSync(process.execPath, [
      "bundle",
      "--quiet",
      "--minify",
      "--output",
      file,
      "examples/example_adapter.ts",
    ], { encoding: "utf8" });
    assert.equal(made.status, 0, `deno bundle failed: ${made.stderr}`);
    bundled = [process.execPath, "run", file];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const source = adapterCommand("examples/example_adapter");
  const inputs: Array<[string, string]> = readdirSync("examples/requests").sort().map((file) => [
    `examples/requests/${file}`,
    text(`examples/requests/${file}`),
  ]);
  inputs.push(["malformed JSON", "not json"]);

  for (const [name, input] of inputs) {
    it(`answers ${name} as the source does`, async () => {
      const [want, got] = await Promise.all([pipe(source, input), pipe(bundled, input)]);
      assert.equal(got.code, 0, `exit code; stderr: ${got.stderr}`);
      assert.equal(got.stdout, want.stdout);
    });
  }

  it("says what the source says to --about", async () => {
    const [want, got] = await Promise.all([
      pipe([...source, "--about"], ""),
      pipe([...bundled, "--about"], ""),
    ]);
    assert.equal(got.code, 0, `exit code; stderr: ${got.stderr}`);
    assert.match(want.stdout, /^example-adapter /);
    assert.equal(got.stdout, want.stdout);
  });
});
