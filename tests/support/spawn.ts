// Runs adapters as the host does: one process per request, the request on stdin, then EOF.
import { spawn } from "node:child_process";
import process from "node:process";
import type { Writable } from "node:stream";
import { runtimeName } from "../../mod.ts";
import { programOf } from "./tuple.ts";

/** What a finished process left behind. */
export interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** How the test reads the adapter's stdout. */
export interface Reader {
  /** Read at most one chunk per timer tick, so the adapter's writes keep hitting a full pipe. */
  slow?: boolean;
  /** Close stdout after this many bytes (0: before the adapter wrote anything). */
  closeAfter?: number;
}

/**
 * Spawns `argv`, writes `input` to its stdin, closes it, and collects everything. Input given as
 * pieces is written one piece per timer tick, so the adapter's reads return them apart.
 */
export function pipe(
  argv: string[],
  input: string | Uint8Array | readonly Uint8Array[],
  cwd?: string,
  reader: Reader = {},
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(...programOf(argv), { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    let received = 0;
    if (reader.closeAfter === 0) child.stdout.destroy();
    child.stdout.on("data", (c: Uint8Array) => {
      out.push(c);
      received += c.length;
      if (reader.closeAfter !== undefined && received >= reader.closeAfter) {
        child.stdout.destroy();
      } else if (reader.slow) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 1);
      }
    });
    child.stderr.on("data", (c: Uint8Array) => err.push(c));
    child.stdin.on("error", () => {}); // the adapter may exit before reading everything
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        code,
        signal,
        stdout: new TextDecoder().decode(concat(out)),
        stderr: new TextDecoder().decode(concat(err)),
      }));
    if (typeof input === "string" || input instanceof Uint8Array) child.stdin.end(input);
    else trickle(child.stdin, input);
  });
}

function trickle(stdin: Writable, pieces: readonly Uint8Array[], next = 0): void {
  if (next === pieces.length) stdin.end();
  else stdin.write(pieces[next]!, () => setTimeout(() => trickle(stdin, pieces, next + 1), 1));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

/**
 * The command line that runs an adapter script of this repository on the current runtime, with
 * Deno permission flags (ignored under Node, which has no permission model by default).
 * `script` is a path under the package root without extension, such as `examples/example_adapter`.
 *
 * Under Node the tests run compiled, from `npm/` (`esm/tests/…` or `script/tests/…`), and spawn
 * the example compiled into the same flavour, so both module systems are exercised.
 */
export function adapterCommand(script: string, denoFlags: string[] = []): string[] {
  const root = process.cwd();
  const build = flavour();
  if (build === "deno") return [process.execPath, "run", ...denoFlags, `${root}/${script}.ts`];
  return [process.execPath, `${root}/${build}/${script}.js`];
}

/** What runs the tests: the Deno sources, or their ES-module or CommonJS build under Node. */
export function flavour(): "deno" | "esm" | "script" {
  if (runtimeName() === "deno") return "deno";
  return /[\\/]script[\\/]tests[\\/]/.test(process.argv[1] ?? "") ? "script" : "esm";
}

/** Parses an adapter's stdout, which must be exactly one JSON document and one final newline. */
export function oneDocument(stdout: string): Record<string, unknown> {
  if (!stdout.endsWith("\n") || stdout.indexOf("\n") !== stdout.length - 1) {
    throw new Error(
      `stdout is not one line ending in a newline: ${JSON.stringify(stdout.slice(0, 200))}`,
    );
  }
  return JSON.parse(stdout);
}
