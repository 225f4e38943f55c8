// The example backend configs start a working adapter when alembic runs their command and args
// from its working directory (the repository root). backend.yaml is checked under Deno, and
// backend-node.yaml under Node, where the compiled tests run from npm/ inside the repository.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import process from "node:process";
import { describe, it } from "node:test";
import { runtimeName } from "../mod.ts";
import { oneDocument, pipe } from "./support/spawn.ts";

interface BackendConfig {
  command: string;
  args: string[];
  setup: Record<string, string>;
}

/** Reads the few keys the examples use; a change of their layout fails here, loudly. */
function parseConfig(yaml: string): BackendConfig {
  const lines = yaml.split("\n").filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  const config: BackendConfig = { command: "", args: [], setup: {} };
  let section = "";
  for (const line of lines) {
    const top = /^(\w+):\s*(.*)$/.exec(line);
    const item = /^\s+-\s+(.+)$/.exec(line);
    const entry = /^\s+(\w+):\s+(.+)$/.exec(line);
    if (top) {
      section = top[1]!; // the groups are not optional
      if (section === "command") config.command = top[2]!;
    } else if (item && section === "args") config.args.push(item[1]!);
    else if (entry && section === "setup") config.setup[entry[1]!] = entry[2]!;
    else assert.fail(`unexpected line in a backend config: ${line}`);
  }
  assert.ok(config.command !== "" && config.args.length > 0, "command and args are set");
  return config;
}

const runtime = runtimeName();
const repository = runtime === "deno" ? process.cwd() : `${process.cwd()}/..`;
const configs = [
  { file: "examples/backend.yaml", command: "deno" },
  { file: "examples/backend-node.yaml", command: "node" },
];

for (const { file, command } of configs) {
  describe(file, { skip: runtime !== command && `runs under ${command} only` }, () => {
    const config = parseConfig(readFileSync(`${repository}/${file}`, "utf8"));
    // CI has no `deno` on PATH (it comes from npx): run the config on this very runtime.
    const argv = [process.execPath, ...config.args];

    it(`runs ${command}`, () => assert.equal(config.command, command));

    for (const method of ["capabilities", "read"]) {
      it(`answers ${method} with the config's setup`, async () => {
        const request = {
          version: 1,
          setup: config.setup,
          method,
          schema: {},
          types: [],
          state: {},
        };
        const outcome = await pipe(argv, JSON.stringify(request), repository);
        assert.equal(outcome.code, 0, outcome.stderr);
        assert.equal(outcome.stderr, "", "the adapter and runtime are quiet");
        const response = oneDocument(outcome.stdout);
        assert.equal(response.ok, true, outcome.stdout);
        if (method === "capabilities") assert.deepEqual(response.result, { role: "adapter" });
        else assert.ok(Array.isArray(response.result));
      });
    }
  });
}
