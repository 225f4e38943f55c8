/**
 * Checks the npm package that `scripts/build_npm.ts` wrote to `npm/`, the way a user meets it:
 *
 * 1. `npm pack` it and check the tarball's file list (the library, its declarations, README and
 *    LICENSE; no compiled tests or examples);
 * 2. `@arethetypeswrong/cli` on the tarball (every resolution mode) and `publint --strict`;
 * 3. `npm install` the tarball into a scratch project outside the repository, where an ES module
 *    and a CommonJS file each run an adapter on a piped request under Node;
 * 4. type-check a consumer there with TypeScript 4.9 (node10 and node16 resolution), which rejects
 *    the `.ts` specifiers a declaration file must not keep;
 * 5. follow the README's single-executable recipe (esbuild bundle, Node SEA blob, postject) and
 *    run the binary on a piped request;
 * 6. count the files `esm/mod.js` loads: two (itself and one shared chunk), since Node's
 *    ES-module loader pays per file on every adapter start (`bundleEsm` in the build says why).
 *
 * Any failure exits 1. Usage: `deno task check:npm` after `deno task build:npm`.
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const PACKAGE = `${ROOT}/npm`;
const ATTW = "@arethetypeswrong/cli@0.18.5";
const PUBLINT = "publint@0.3.25";
const OLD_TYPESCRIPT = "typescript@4.9.5";
const ESBUILD = "esbuild@0.28.2";
const POSTJECT = "postject@1.0.0-alpha.6";

function log(message: string): void {
  console.error(`[check_npm] ${message}`);
}

/** Runs a command and returns its stdout; prints everything and throws if it does not exit 0. */
async function exec(argv: string[], cwd: string, stdin?: string): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error("exec: argv is empty, no program to run");
  const child = new Deno.Command(program, {
    args,
    cwd,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", npm_config_update_notifier: "false", npm_config_fund: "false" },
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const out = new TextDecoder().decode(stdout);
  const err = new TextDecoder().decode(stderr);
  if (code !== 0) {
    console.error(out + err);
    throw new Error(`${argv.join(" ")} exited ${code}`);
  }
  return out;
}

async function pack(into: string): Promise<string> {
  const json = await exec(["npm", "pack", "--json", "--pack-destination", into], PACKAGE);
  const [packed] = JSON.parse(json) as Array<
    { filename: string; files: Array<{ path: string }> }
  >;
  if (packed === undefined) throw new Error("npm pack --json named no tarball");
  const { filename, files } = packed;
  const paths = files.map((f) => f.path).sort();
  log(`npm pack: ${filename}, ${paths.length} files:\n  ${paths.join("\n  ")}`);
  const required = [
    "package.json",
    "README.md",
    "LICENSE",
    "esm/mod.js",
    "esm/mod.d.ts",
    "esm/package.json",
    "script/mod.js",
    "script/mod.d.ts",
    "script/package.json",
  ];
  const missing = required.filter((p) => !paths.includes(p));
  const unwanted = paths.filter((p) => /^(esm|script)\/(tests|examples)\//.test(p));
  // The ES-module bundles' shared chunks are internal; the entry points declare their types.
  const undeclared = paths.filter((p) =>
    /\.js$/.test(p) && !p.startsWith("esm/_chunks/") && !paths.includes(p.replace(/js$/, "d.ts"))
  );
  const perModule = paths.filter((p) => /^esm\/src\/.*\.js$/.test(p));
  if (perModule.length > 0) throw new Error(`the bundled ES modules ship unbundled: ${perModule}`);
  if (missing.length + unwanted.length + undeclared.length > 0) {
    throw new Error(
      `tarball content: missing ${missing}; unwanted ${unwanted}; without .d.ts ${undeclared}`,
    );
  }
  return `${into}/${filename}`;
}

const ESM_ADAPTER = `import { Adapter, run } from "alembic-adapter-sdk";

class Sites extends Adapter {
  read(_schema, types) {
    return types.map((t) => ({ type_name: t, key: { site: "fra1" }, attrs: { via: "esm" }, backend_id: 1 }));
  }
  write(_schema, ops) {
    return { applied: [] };
  }
}
run(new Sites());
`;

const CJS_ADAPTER = `const { Adapter, run } = require("alembic-adapter-sdk");

class Sites extends Adapter {
  read(_schema, types) {
    return types.map((t) => ({ type_name: t, key: { site: "fra1" }, attrs: { via: "cjs" }, backend_id: 1 }));
  }
  write(_schema, ops) {
    return { applied: [] };
  }
}
run(new Sites());
`;

/** A typed consumer: what an adapter author's TypeScript sees through the declarations. */
const TYPED_CONSUMER = `import {
  Adapter, ApplyReport, deleted, ExternalObject, Op, run, Schema, State,
} from "alembic-adapter-sdk";

class Sites extends Adapter {
  override read(_schema: Schema, types: string[], _state: State): ExternalObject[] {
    return types.map((t) => ({ type_name: t, key: { site: "fra1" }, attrs: {}, backend_id: 1 }));
  }
  override write(_schema: Schema, ops: Op[], _state: State): ApplyReport {
    return { applied: ops.filter((op) => op.op === "delete").map((op) => deleted(op)) };
  }
}
run(new Sites());
`;

const READ_REQUEST = JSON.stringify({
  version: 1,
  method: "read",
  setup: {},
  schema: { types: {} },
  types: ["dcim.site"],
  state: {},
});

async function runConsumer(dir: string, argv: string[], via: string): Promise<void> {
  const file = argv.at(-1);
  const stdout = await exec(argv, dir, READ_REQUEST);
  if (!stdout.endsWith("\n") || stdout.indexOf("\n") !== stdout.length - 1) {
    throw new Error(`${file}: stdout is not one JSON line: ${JSON.stringify(stdout)}`);
  }
  const response = JSON.parse(stdout);
  if (response.ok !== true || response.result?.[0]?.attrs?.via !== via) {
    throw new Error(`${file}: unexpected answer ${stdout}`);
  }
  log(`${argv.join(" ")} answered: ${stdout.trim()}`);
}

async function typeCheck(dir: string): Promise<void> {
  const tsc = ["npx", "-y", "-p", OLD_TYPESCRIPT, "tsc"];
  const common = ["--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,dom"];
  await exec(
    [...tsc, ...common, "--module", "commonjs", "--moduleResolution", "node", "typed.ts"],
    dir,
  );
  log(`${OLD_TYPESCRIPT}, node10 resolution: typed.ts compiles`);
  for (const file of ["typed.mts", "typed.cts"]) {
    await exec(
      [...tsc, ...common, "--module", "node16", "--moduleResolution", "node16", file],
      dir,
    );
    log(`${OLD_TYPESCRIPT}, node16 resolution: ${file} compiles`);
  }
}

/** The README's "One binary with Node" recipe, step by step. */
async function singleExecutable(dir: string): Promise<void> {
  await exec([
    "npx",
    "-y",
    ESBUILD,
    "adapter.cjs",
    "--bundle",
    "--platform=node",
    "--target=node20",
    "--outfile=dist/adapter.cjs",
  ], dir);
  await Deno.writeTextFile(
    `${dir}/sea-config.json`,
    JSON.stringify({
      main: "dist/adapter.cjs",
      output: "dist/adapter.blob",
      disableExperimentalSEAWarning: true,
    }),
  );
  await exec(["node", "--experimental-sea-config", "sea-config.json"], dir);
  const node = (await exec(["node", "-p", "process.execPath"], dir)).trim();
  await Deno.copyFile(node, `${dir}/dist/sites-adapter`);
  await exec([
    "npx",
    "-y",
    POSTJECT,
    "dist/sites-adapter",
    "NODE_SEA_BLOB",
    "dist/adapter.blob",
    "--sentinel-fuse",
    "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ], dir);
  await runConsumer(dir, ["./dist/sites-adapter"], "cjs");
}

/** Every file an ES module loads through static relative imports, itself included. */
async function staticGraph(file: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = await Deno.readTextFile(file);
  for (const [, specifier] of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"/gms)) {
    await staticGraph(new URL(specifier!, `file://${file}`).pathname, seen);
  }
  return seen;
}

async function rootEntryFiles(): Promise<void> {
  const files = [...await staticGraph(`${PACKAGE}/esm/mod.js`)].map((f) => f.slice(PACKAGE.length));
  if (files.length !== 2) {
    throw new Error(`esm/mod.js loads ${files.length} files, not 2:\n${files.join("\n")}`);
  }
  log(`esm/mod.js loads ${files.join(" and ")}`);
}

async function main(): Promise<void> {
  const scratch = await Deno.makeTempDir({ prefix: "alembic-sdk-npm-check-" });
  try {
    await rootEntryFiles();
    log(`node ${(await exec(["node", "--version"], ROOT)).trim()}`);
    const tarball = await pack(scratch);
    log(await exec(["npx", "-y", ATTW, "--no-color", tarball], scratch));
    log(await exec(["npx", "-y", PUBLINT, "--strict", PACKAGE], scratch));

    const project = `${scratch}/project`;
    await Deno.mkdir(project);
    await Deno.writeTextFile(
      `${project}/package.json`,
      JSON.stringify({ name: "scratch", private: true }),
    );
    await exec(["npm", "install", "--no-audit", "--no-fund", tarball], project);
    await Deno.writeTextFile(`${project}/adapter.mjs`, ESM_ADAPTER);
    await Deno.writeTextFile(`${project}/adapter.cjs`, CJS_ADAPTER);
    await runConsumer(project, ["node", "adapter.mjs"], "esm");
    await runConsumer(project, ["node", "adapter.cjs"], "cjs");
    const conformance = [
      "npx",
      "--no-install",
      "alembic-adapter-conformance",
      "--",
      "node",
      "adapter.mjs",
    ];
    log(`${conformance.join(" ")}:\n${await exec(conformance, project)}`);
    for (const file of ["typed.ts", "typed.mts", "typed.cts"]) {
      await Deno.writeTextFile(`${project}/${file}`, TYPED_CONSUMER);
    }
    await typeCheck(project);
    await singleExecutable(project);
    log("the package installs, runs from ESM, CommonJS and a single executable, and type-checks");
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    Deno.exitCode = 1;
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

await main();
