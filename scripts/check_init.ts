/**
 * Checks the scaffold on what users get: `init` creates one project of each kind in a scratch
 * folder, and each must pass its own gate.
 *
 * - Deno: `init.ts` run from the sources (as `deno run -A jsr:@alembic-adapter/sdk/init` runs
 *   it), the project's import map pointed at this repository's files instead of JSR (which is
 *   unreachable here), then `deno fmt --check`, `deno lint`, `deno task test`,
 *   `deno task conformance`, and the request task for every method.
 * - Node: the built bin (`npm/esm/init.js`) run under Node without `--runtime`, which must give a
 *   Node project; the tarball `npm pack npm/` makes installed in it in place of the registry's
 *   package, then `npm run typecheck`, `npm test`, `npm run conformance`, the request script
 *   for every method, and `npm run build-sea` with the binary answering a request.
 *
 * Each project's `request <method> --print` must print its `requests/<method>.json`: the samples
 * and the script that builds them are generated apart. Any failure exits 1.
 * Usage: `deno task check:init` after `deno task build:npm`.
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const METHODS = ["capabilities", "read", "write", "ensure_schema", "preview_schema"];

function log(message: string): void {
  console.error(`[check_init] ${message}`);
}

let env: Record<string, string> = {};

/** Runs a command in `cwd`; prints its output and throws unless it exits 0. Returns stdout. */
async function exec(argv: string[], cwd: string, stdin?: string): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error("exec: argv is empty, no program to run");
  const child = new Deno.Command(program, {
    args,
    cwd,
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
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
    throw new Error(`${argv.join(" ")} (in ${cwd}) exited ${code}`);
  }
  log(`${argv.join(" ")}: ok`);
  return out;
}

/** The request task prints each sample as the generated file holds it, and pipes it in. */
async function checkRequests(dir: string, request: (method: string) => string[]): Promise<void> {
  for (const method of METHODS) {
    const printed = await exec([...request(method), "--print"], dir);
    const file = await Deno.readTextFile(`${dir}/requests/${method}.json`);
    if (printed !== file) {
      throw new Error(
        `request ${method} --print differs from requests/${method}.json:\n${printed}`,
      );
    }
    const answer = (await exec(request(method), dir)).trim().split("\n").at(-1) ?? "";
    if (JSON.parse(answer).ok !== true) throw new Error(`request ${method} answered ${answer}`);
  }
}

async function checkDeno(scratch: string): Promise<void> {
  const dir = `${scratch}/deno-adapter`;
  log(await exec([Deno.execPath(), "run", "-A", `${ROOT}/init.ts`, dir], scratch));
  await exec(["deno", "fmt", "--check"], dir);
  const config = JSON.parse(await Deno.readTextFile(`${dir}/deno.json`));
  const sdk = config.imports["@alembic-adapter/sdk"];
  if (!/^jsr:@alembic-adapter\/sdk@\^\d/.test(sdk)) throw new Error(`deno.json imports ${sdk}`);
  delete config.imports["@alembic-adapter/sdk"];
  for (
    const [entry, file] of [["", "mod"], ["/testing", "testing"], ["/conformance", "conformance"]]
  ) {
    config.imports[`@alembic-adapter/sdk${entry}`] = `file://${ROOT}/${file}.ts`;
  }
  await Deno.writeTextFile(`${dir}/deno.json`, `${JSON.stringify(config, null, 2)}\n`);
  await exec(["deno", "lint"], dir);
  await exec(["deno", "task", "test"], dir);
  log(await exec(["deno", "task", "conformance"], dir));
  await checkRequests(dir, (method) => ["deno", "task", "-q", "request", method]);
}

async function checkNode(scratch: string): Promise<void> {
  const packed = await exec(
    ["npm", "pack", "--json", "--pack-destination", scratch],
    `${ROOT}/npm`,
  );
  const [packedFile] = JSON.parse(packed) as Array<{ filename: string }>;
  if (packedFile === undefined) throw new Error("npm pack --json named no tarball");
  const tarball = `${scratch}/${packedFile.filename}`;
  const dir = `${scratch}/node-adapter`;
  // No --runtime: under Node the default is a Node project.
  log(await exec(["node", `${ROOT}/npm/esm/init.js`, "init", dir], scratch));
  const pkg = JSON.parse(await Deno.readTextFile(`${dir}/package.json`));
  if (pkg.dependencies?.["alembic-adapter-sdk"] === undefined) {
    throw new Error("the Node project does not depend on alembic-adapter-sdk");
  }
  pkg.dependencies["alembic-adapter-sdk"] = `file:${tarball}`;
  await Deno.writeTextFile(`${dir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
  await exec(["npm", "install", "--no-audit", "--no-fund"], dir);
  await exec(["npm", "run", "typecheck"], dir);
  await exec(["npm", "test"], dir);
  log(await exec(["npm", "run", "--silent", "conformance"], dir));
  await checkRequests(dir, (method) => ["npm", "run", "--silent", "request", "--", method]);
  await exec(["npm", "run", "build-sea"], dir);
  const answer = await exec(
    ["./dist/node-adapter"],
    dir,
    '{"version":1,"setup":{},"method":"capabilities"}',
  );
  if (answer !== '{"ok":true,"result":{"role":"adapter"}}\n') {
    throw new Error(`the single executable answered ${JSON.stringify(answer)}`);
  }
  log(`dist/node-adapter answered ${answer.trim()}`);
}

async function main(): Promise<void> {
  const scratch = await Deno.makeTempDir({ prefix: "alembic-sdk-init-check-" });
  try {
    // The generated tasks call `deno` by name: make it this one, however it was installed.
    await Deno.mkdir(`${scratch}/bin`);
    await Deno.symlink(Deno.execPath(), `${scratch}/bin/deno`);
    env = {
      PATH: `${scratch}/bin:${Deno.env.get("PATH") ?? ""}`,
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
    };
    await checkDeno(scratch);
    await checkNode(scratch);
    log("both generated projects pass their tests, conformance checks and request tasks");
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    Deno.exitCode = 1;
  } finally {
    await Deno.remove(scratch, { recursive: true });
  }
}

await main();
