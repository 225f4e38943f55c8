/**
 * The scaffold's command line: `init <dir> [--runtime deno|node] [--name <name>]`. Unlike an
 * adapter it is an ordinary program: it exits 1 when it refuses (a non-empty folder, a bad
 * name) and 2 for a usage error.
 *
 * @module
 */

import { nameProblem, projectFiles } from "./project.ts";
import type { ProjectRuntime } from "./shared.ts";
import { InitRefused, writeProject } from "./write.ts";

/**
 * Where the command line writes, and what it defaults to.
 *
 * @example
 * ```ts
 * import type { InitIo } from "./cli.ts";
 * const io: InitIo = { stdout: console.log, stderr: console.error, runtime: "deno" };
 * ```
 */
export interface InitIo {
  /** Receives what was created and the next commands, or the help. */
  stdout(text: string): void;
  /** Receives errors. */
  stderr(text: string): void;
  /** The project's runtime when `--runtime` is not given: the one running the command. */
  runtime: ProjectRuntime;
}

const USAGE = `Usage: alembic-adapter-sdk init <DIR> [--runtime deno|node] [--name <NAME>]
       deno run -A jsr:@alembic-adapter/sdk/init <DIR> [OPTIONS]

Creates a working alembic adapter project in DIR, which must be new or empty: the adapter
(typed setup, importable), its in-process test, conformance cases, a sample request for every
method, backend.yaml, the tasks (test, conformance, request, a single executable), a README and
a GitHub Actions workflow.

Options:
      --runtime <deno|node>  The project's runtime [default: the one running this command]
      --name <NAME>          The adapter's and the package's name [default: DIR's last part]
  -h, --help                 Print help
`;

/**
 * Runs the command line.
 *
 * @param args The arguments; a leading `init` (the npm bin's subcommand) is skipped.
 * @param io Where the output goes, and the default runtime.
 * @returns The exit code: 0 when the project was written, 1 when it was refused, 2 for a usage
 * error.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runInit } from "./cli.ts";
 * const out: string[] = [];
 * const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), runtime: "deno" as const };
 * assert.equal(runInit(["--help"], io), 0);
 * assert.match(out[0] ?? "", /^Usage: alembic-adapter-sdk init/);
 * ```
 */
export function runInit(args: readonly string[], io: InitIo): number {
  const usage = (message: string): number => {
    io.stderr(`error: ${message}\n\n${USAGE}`);
    return 2;
  };
  const rest = args[0] === "init" ? args.slice(1) : [...args];
  let runtime = io.runtime;
  let name: string | undefined;
  let dir: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!; // i < rest.length
    const [flag, inline]: [string, string | undefined] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? rest[++i];
    switch (flag) {
      case "-h":
      case "--help":
        io.stdout(USAGE);
        return 0;
      case "--runtime": {
        const given = value();
        if (given !== "deno" && given !== "node") {
          return usage(`invalid value '${given ?? ""}' for '--runtime': expected deno or node`);
        }
        runtime = given;
        break;
      }
      case "--name":
        name = value();
        if (name === undefined) return usage("a value is required for '--name <NAME>'");
        break;
      default:
        if (flag.startsWith("-")) return usage(`unexpected argument '${arg}'`);
        if (dir !== undefined) return usage(`unexpected argument '${arg}': DIR is ${dir}`);
        dir = arg;
    }
  }
  if (dir === undefined) return usage("the project's folder is required: init <DIR>");
  const projectName = name ?? lastPart(dir);
  const problem = nameProblem(projectName);
  if (problem !== undefined) {
    const hint = name === undefined ? `; the name comes from DIR, pass --name to choose one` : "";
    io.stderr(`error: ${problem}${hint}\n`);
    return 1;
  }
  const files = projectFiles({ name: projectName, runtime });
  try {
    writeProject(dir, files);
  } catch (e) {
    if (!(e instanceof InitRefused)) throw e;
    io.stderr(`error: ${e.message}\n`);
    return 1;
  }
  io.stdout(report(dir, projectName, runtime, files.map((f) => f.path)));
  return 0;
}

/** The folder's own name: `../work/my-adapter/` → `my-adapter`. */
function lastPart(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  return parts.at(-1) ?? "";
}

function report(dir: string, name: string, runtime: ProjectRuntime, paths: string[]): string {
  const next = runtime === "deno"
    ? ["deno task test", "deno task conformance", "deno task request read"]
    : ["npm install", "npm test", "npm run conformance", "npm run request -- read"];
  const kind = runtime === "deno" ? "Deno" : "Node";
  return `Created ${name}, an alembic adapter project for ${kind}, in ${dir}:
${paths.map((p) => `  ${p}`).join("\n")}

Next:
  cd ${/\s/.test(dir) ? JSON.stringify(dir) : dir}
${next.map((c) => `  ${c}`).join("\n")}
`;
}
