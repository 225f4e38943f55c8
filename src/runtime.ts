/**
 * The runtime shim: the only file that touches `Deno`, `process` or `Bun`.
 *
 * It hands the core stdin as a stream of bytes, writes stdout whole, sends stray output to
 * stderr, reports crashes, and ends the process. Runtime globals are typed structurally here,
 * so neither Deno's nor Node's type declarations are needed to compile the SDK.
 *
 * @module
 */

/**
 * The JavaScript runtime the process runs on.
 *
 * @example
 * ```ts
 * import { runtimeName } from "@alembic-adapter/sdk";
 * console.error(`running on ${runtimeName()}`);
 * ```
 */
export type RuntimeName = "deno" | "bun" | "node" | "unknown";

/**
 * Which runtime this is. Deno 2 also defines `process` and claims to be Node, so `Deno` is
 * checked first, then `Bun`, then Node's `process.versions.node`.
 *
 * @returns The runtime's name.
 * @example
 * ```ts
 * import { runtimeName } from "@alembic-adapter/sdk";
 * if (runtimeName() === "unknown") throw new Error("run this adapter under Deno, Node or Bun");
 * ```
 */
export function runtimeName(): RuntimeName {
  if (deno() !== undefined) return "deno";
  if ("Bun" in globalThis) return "bun";
  if (typeof node()?.versions?.node === "string") return "node";
  return "unknown";
}

/** The process's standard streams, once the SDK has taken stdout for itself. */
export interface ProcessIo {
  /** stdin as bytes. Read it once. */
  stdin: AsyncIterable<Uint8Array>;
  /** Whether stdin is an interactive terminal (someone running the adapter by hand). */
  stdinIsTerminal(): boolean;
  /** Writes all of `pieces` to the real stdout, in order; rejects if the reader went away. */
  writeStdout(pieces: readonly string[]): Promise<void>;
  /** Writes to stderr. */
  writeStderr(text: string): void;
  /** Calls `handler` for every uncaught exception and unhandled rejection, instead of dying. */
  onCrash(handler: (error: unknown) => void): void;
  /**
   * Calls `handler` when nothing is left to run and the process would end by itself: a promise
   * that never settles leaves the event loop empty. The handler must end the process.
   */
  onIdle(handler: () => void): void;
  /**
   * Calls `handler` when user code calls `process.exit()` or `Deno.exit()`, with the call as
   * written (`process.exit(0)`). When the handler returns `true` the call does not end the
   * process: it throws an {@link ExitCalled} instead, which unwinds the caller. Otherwise the
   * process ends as asked.
   */
  onExitCall(handler: (call: string) => boolean): void;
  /** Lets pending stderr output drain, then ends the process with `code`. */
  exit(code: number): Promise<void>;
}

/**
 * What an intercepted `process.exit()` or `Deno.exit()` throws into the code that called it,
 * so that the code stops there as it would have with the process gone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExitCalled } from "./runtime.ts";
 * assert.equal(new ExitCalled("process.exit(0)").message, "adapter called process.exit(0) before answering");
 * ```
 */
export class ExitCalled extends Error {
  /**
   * Creates the error.
   *
   * @param call The call as written, such as `process.exit(0)`.
   */
  constructor(call: string) {
    super(`adapter called ${call} before answering`);
    this.name = "ExitCalled";
  }
}

/** A call's arguments as they would be written: `0`, `"1"`, or nothing. */
function argsText(args: unknown[]): string {
  return args.map((a) => typeof a === "string" ? JSON.stringify(a) : String(a)).join(", ");
}

/**
 * Replaces `owner[key]` (an exit function) by one that asks `handler` first, and returns the
 * setter of that handler.
 */
function guardExit(
  owner: Record<string, unknown>,
  key: string,
  name: string,
): (handler: (call: string) => boolean) => void {
  const real = owner[key] as (...args: unknown[]) => never;
  let handler: ((call: string) => boolean) | undefined;
  const guarded = function exit(this: unknown, ...args: unknown[]): never {
    const call = `${name}(${argsText(args)})`;
    if (handler?.(call) === true) throw new ExitCalled(call);
    return real.apply(this, args);
  };
  try {
    Object.defineProperty(owner, key, { value: guarded, configurable: true, writable: true });
  } catch {
    // A frozen object keeps its exit: the call then ends the process, as it always did.
  }
  return (h) => handler = h;
}

/**
 * Hands `use` the value of `owner[key]` when something first reads it, instead of reading it
 * now, if the property is a getter: Deno's `process` is one, and its first read loads Deno's
 * Node compatibility layer (about 20 ms, as long as half of a bare empty round trip). A plain
 * value, or a getter that cannot be replaced, is handed over at once; a missing one never.
 *
 * @param owner The object holding the property.
 * @param key The property's name.
 * @param use Called once, with the value.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onFirstRead } from "./runtime.ts";
 * let loads = 0;
 * const owner = { get lazy(): string { loads++; return "loaded"; } };
 * const seen: unknown[] = [];
 * onFirstRead(owner, "lazy", (value) => seen.push(value));
 * assert.deepEqual([loads, seen], [0, []]); // nothing read yet
 * assert.equal(owner.lazy, "loaded");
 * assert.equal(owner.lazy, "loaded");
 * assert.deepEqual([loads, seen], [2, ["loaded"]]); // handed over once, on the first read
 * ```
 */
export function onFirstRead(owner: object, key: string, use: (value: unknown) => void): void {
  const found = Object.getOwnPropertyDescriptor(owner, key);
  if (found === undefined) return;
  const get = found.get;
  if (get === undefined) {
    if ("value" in found) use(found.value);
    return;
  }
  let handed = false;
  const first = (value: unknown): unknown => {
    if (!handed) {
      handed = true;
      use(value);
    }
    return value;
  };
  try {
    const wrapped: PropertyDescriptor = {
      get(this: unknown): unknown {
        return first(get.call(this));
      },
      enumerable: found.enumerable ?? false,
      configurable: true,
    };
    // Deno's setter turns the property into a plain value: what is assigned is the caller's.
    if (found.set !== undefined) wrapped.set = found.set;
    Object.defineProperty(owner, key, wrapped);
  } catch {
    first(get.call(owner));
  }
}

/**
 * What `run()` needs of a module's `import.meta` to tell whether that module is the program's
 * entry point.
 *
 * @example
 * ```ts
 * import type { ImportMetaLike } from "@alembic-adapter/sdk";
 * const meta: ImportMetaLike = { url: "file:///srv/adapter.ts", main: true };
 * ```
 */
export interface ImportMetaLike {
  /** The module's URL. */
  url: string;
  /** Whether it is the entry point: Deno, Bun and Node ≥ 24.2 say; older Node does not. */
  main?: boolean | undefined;
}

/**
 * Whether the module whose `import.meta` this is started the program. `import.meta.main` answers
 * where the runtime sets it (Deno, Bun, Node ≥ 24.2). Node 20 and 22 do not: there the module's
 * URL is compared with the entry script Node was started with (`process.argv[1]`), its symlinks
 * resolved and `.js` or `/index.js` tried as Node itself resolves it.
 *
 * @param meta The caller's `import.meta`.
 * @returns Whether that module is the entry point.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isMainModule } from "./runtime.ts";
 * assert.equal(isMainModule({ url: "file:///not/the/entry.ts", main: false }), false);
 * ```
 */
export function isMainModule(meta: ImportMetaLike): boolean {
  if (typeof meta.main === "boolean") return meta.main;
  const p = node();
  const entry = p?.argv[1];
  if (p === undefined || entry === undefined) return false;
  return entryUrls(p, entry).includes(meta.url);
}

interface NodeFs {
  realpathSync(path: string): string;
  statSync(path: string, options: { throwIfNoEntry: false }): { isFile(): boolean } | undefined;
}

interface NodeUrl {
  pathToFileURL(path: string): { href: string };
}

/** The file URLs Node may have loaded as the entry script `entry`. */
function entryUrls(p: NodeProcess, entry: string): string[] {
  const fs = p.getBuiltinModule?.("node:fs") as NodeFs | undefined;
  const url = p.getBuiltinModule?.("node:url") as NodeUrl | undefined;
  if (fs === undefined || url === undefined) {
    // Node before 20.16 has no getBuiltinModule: compare the path as given, unresolved.
    return [new URL(entry.startsWith("/") ? `file://${entry}` : entry, `file://${p.cwd()}/`).href];
  }
  const out: string[] = [];
  for (const candidate of [entry, `${entry}.js`, `${entry}/index.js`]) {
    try {
      // statSync still throws for some paths (ENOTDIR for `file.js/index.js`): a throw here
      // would end the process before it could answer, so every failure means "not this one".
      if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile() === true) {
        out.push(url.pathToFileURL(fs.realpathSync(candidate)).href);
      }
    } catch {
      // not a file Node could have started
    }
  }
  return out;
}

/**
 * Keeps the real stdout for the SDK and sends everything else that would reach it to stderr:
 * `console.log`/`info`/`debug`/`dir`/`dirxml`/`table`/`count`/`time*`, and direct writes through
 * `process.stdout` or `Deno.stdout` (`end()` and `close()` included, which would otherwise close
 * stdout before the answer). Stays in force until the process ends, so output after the
 * response cannot corrupt it either.
 */
export function takeOverStdio(): ProcessIo {
  const d = deno();
  if (d !== undefined) return denoIo(d);
  const p = node();
  if (p !== undefined) return nodeIo(p, "Bun" in globalThis);
  throw new Error("run() needs Deno, Node or Bun: no process I/O is available here");
}

// ---- Deno -------------------------------------------------------------------------------

interface DenoWriter {
  write(chunk: Uint8Array): Promise<void>;
  releaseLock(): void;
}

interface DenoOutput {
  write(p: Uint8Array): Promise<number>;
  writeSync(p: Uint8Array): number;
  close(): void;
  readonly writable: { getWriter(): DenoWriter };
}

interface DenoLike {
  args: string[];
  exitCode: number;
  stdin: { read(p: Uint8Array): Promise<number | null>; isTerminal(): boolean };
  stdout: DenoOutput;
  stderr: DenoOutput;
  exit(code: number): never;
}

/**
 * The command-line arguments after the script, for the SDK's own command-line tools.
 *
 * @returns The arguments.
 * @example
 * ```ts
 * import { programArgs } from "./runtime.ts";
 * const verbose = programArgs().includes("--verbose");
 * ```
 */
export function programArgs(): string[] {
  const d = deno();
  if (d !== undefined) return [...d.args];
  return node()?.argv.slice(2) ?? [];
}

/**
 * Sets the exit code the process ends with, without ending it (pending output is kept).
 *
 * @param code The exit code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setExitCode } from "./runtime.ts";
 * setExitCode(2);
 * assert.equal(Deno.exitCode, 2); // the process would now end with 2, when it ends
 * setExitCode(0); // put it back: a test that leaves a non-zero exit code fails
 * ```
 */
export function setExitCode(code: number): void {
  const d = deno();
  if (d !== undefined) d.exitCode = code;
  else {
    const p = node();
    if (p !== undefined) p.exitCode = code;
  }
}

/**
 * Deno's stdin in chunks of 64 KiB, read straight into each chunk. `Deno.stdin.readable` would
 * build the process's first ReadableStream, which loads Deno's stream implementation: 4.5 ms of
 * a 60 ms empty round trip here, 2.5 ms of 25 ms on a faster machine (the bare floor pays the
 * same when it reads through the stream).
 */
async function* denoStdin(stdin: DenoLike["stdin"]): AsyncGenerator<Uint8Array> {
  let chunk = new Uint8Array(STDIN_CHUNK);
  let filled = 0;
  for (;;) {
    const n = await stdin.read(filled === 0 ? chunk : chunk.subarray(filled));
    if (n === null) break;
    filled += n;
    if (filled === chunk.length) {
      yield chunk;
      chunk = new Uint8Array(STDIN_CHUNK);
      filled = 0;
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}

const STDIN_CHUNK = 65536;

function deno(): DenoLike | undefined {
  return (globalThis as { Deno?: DenoLike }).Deno;
}

function denoIo(d: DenoLike): ProcessIo {
  const encoder = new TextEncoder();
  // Deno.stdout.writable would build a WritableStream: 1 ms, 4% of an empty round trip.
  const stdoutWrite = d.stdout.write.bind(d.stdout);
  const stderrSync = (bytes: Uint8Array): number => {
    // writeSync may write less than asked; loop so nothing is cut off.
    let done = 0;
    while (done < bytes.length) done += d.stderr.writeSync(bytes.subarray(done));
    return bytes.length;
  };
  Object.defineProperties(d.stdout, {
    write: { value: (p: Uint8Array) => Promise.resolve(stderrSync(p)), configurable: true },
    writeSync: { value: stderrSync, configurable: true },
    writable: { get: () => d.stderr.writable, configurable: true },
    // Closing fd 1 would leave the answer nowhere to go.
    close: { value: () => {}, configurable: true },
  });
  const target = globalThis as unknown as {
    addEventListener(type: string, listener: (event: CrashEvent) => void): void;
  };
  redirectConsole();
  const realExit = d.exit;
  const onDenoExit = guardExit(d as unknown as Record<string, unknown>, "exit", "Deno.exit");
  // Deno 2 has Node's process too, whose exit is guarded so that the answer names the call as
  // written. Reading the global `process` here cost every request 20 ms (Deno loads its Node
  // layer on that first read: the empty round trip went from 1.3x to 2.0x of the bare floor),
  // so it is guarded when user code first reads it. Code that reads it only through an import
  // of node:process is still caught, by the Deno.exit guard: Deno's process.exit ends there.
  let exitHandler: ((call: string) => boolean) | undefined;
  let onProcessExit = (handler: (call: string) => boolean): void => {
    exitHandler = handler;
  };
  onFirstRead(globalThis, "process", (p) => {
    if (typeof p !== "object" || p === null) return;
    const on = guardExit(p as Record<string, unknown>, "exit", "process.exit");
    if (exitHandler !== undefined) on(exitHandler);
    onProcessExit = on;
  });
  return {
    stdin: denoStdin(d.stdin),
    stdinIsTerminal: () => d.stdin.isTerminal(),
    async writeStdout(pieces) {
      // A small answer goes out in one write: each write is an awaited op, and the three of an
      // empty read's line cost 0.19 ms more than one (0.59 → 0.40 ms, median of 101 interleaved
      // runs). Large results stay in pieces, so that joining does not copy them once more.
      let length = 0;
      for (const piece of pieces) length += piece.length;
      if (pieces.length > 1 && length <= 65536) pieces = [pieces.join("")];
      for (const piece of pieces) {
        const bytes = encoder.encode(piece);
        // write() may take less than all of it; loop until stdout has it all.
        let done = 0;
        while (done < bytes.length) done += await stdoutWrite(bytes.subarray(done));
      }
    },
    writeStderr(text) {
      try {
        stderrSync(encoder.encode(text));
      } catch {
        // stderr is best effort: user code may have closed it, and the answer matters more.
      }
    },
    onCrash(handler) {
      target.addEventListener("error", (event) => {
        event.preventDefault();
        handler(event.error);
      });
      target.addEventListener("unhandledrejection", (event) => {
        event.preventDefault();
        handler(event.reason);
      });
    },
    onIdle(handler) {
      target.addEventListener("beforeunload", (event) => {
        // Keeps the process alive for the handler, which ends it.
        event.preventDefault();
        handler();
      });
    },
    onExitCall(handler) {
      onDenoExit(handler);
      onProcessExit(handler);
    },
    exit(code) {
      // stderr writes above are synchronous, so nothing is pending.
      return realExit(code);
    },
  };
}

interface CrashEvent {
  preventDefault(): void;
  error?: unknown;
  reason?: unknown;
}

// ---- Node (and Bun, which provides the same process object) ------------------------------

type WriteCallback = (error?: Error | null) => void;

interface NodeStream {
  write(chunk: string | Uint8Array, callback?: WriteCallback): boolean;
  end(...args: unknown[]): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  isTTY?: boolean;
  writableCorked?: number;
  uncork?(): void;
}

interface NodeProcess {
  argv: string[];
  cwd(): string;
  getBuiltinModule?(id: string): unknown;
  versions?: { node?: string };
  stdin: AsyncIterable<Uint8Array> & { isTTY?: boolean };
  stdout: NodeStream;
  stderr: NodeStream;
  exitCode?: number;
  exit(code: number): never;
  on(
    event: "uncaughtException" | "unhandledRejection" | "beforeExit",
    listener: (error: unknown) => void,
  ): unknown;
}

function node(): NodeProcess | undefined {
  return (globalThis as { process?: NodeProcess }).process;
}

function nodeIo(p: NodeProcess, isBun: boolean): ProcessIo {
  const realWrite = p.stdout.write.bind(p.stdout);
  let stdoutError: Error | undefined;
  // Without a listener, a reader that closes early (EPIPE) would crash the process.
  p.stdout.on("error", (error) => stdoutError ??= error);
  p.stderr.on("error", () => {});
  const toStderr = p.stderr.write as (...args: unknown[]) => boolean;
  p.stdout.write = ((...args: unknown[]) => toStderr.apply(p.stderr, args)) as NodeStream["write"];
  // end(chunk) writes through an internal path, not write(), and then closes stdout for good.
  p.stdout.end = (...args: unknown[]) => {
    const callback = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
    const chunk = args[0];
    if (chunk !== undefined && chunk !== null) toStderr.apply(p.stderr, [...args, callback]);
    else if (callback !== undefined) queueMicrotask(callback as () => void);
    return p.stdout;
  };
  // Node's console writes through process.stdout.write; Bun's writes natively.
  if (isBun) redirectConsole();
  const realExit = p.exit.bind(p);
  const onExit = guardExit(p as unknown as Record<string, unknown>, "exit", "process.exit");
  return {
    stdin: p.stdin,
    stdinIsTerminal: () => p.stdin.isTTY === true,
    writeStdout(pieces) {
      return new Promise((resolve, reject) => {
        if (stdoutError) return reject(stdoutError);
        // A cork left by user code would hold the answer back until the process ends.
        for (let n = p.stdout.writableCorked ?? 0; n > 0; n--) p.stdout.uncork?.();
        // A stream runs write callbacks in order, an error ending the rest.
        let left = pieces.length;
        if (left === 0) return resolve();
        for (const piece of pieces) {
          realWrite(piece, (error) => (error ? reject(error) : --left === 0 && resolve()));
        }
      });
    },
    writeStderr(text) {
      try {
        p.stderr.write(text);
      } catch {
        // stderr is best effort: user code may have destroyed it, and the answer matters more.
      }
    },
    onCrash(handler) {
      p.on("uncaughtException", handler);
      p.on("unhandledRejection", handler);
    },
    onIdle(handler) {
      p.on("beforeExit", () => handler());
    },
    async exit(code) {
      // Set first: should the wait below never end, the process still ends with this code.
      p.exitCode = code;
      // Pipes are written asynchronously: wait until stderr has taken everything so far.
      await new Promise<void>((resolve) => p.stderr.write("", () => resolve()));
      realExit(code);
    },
    onExitCall: onExit,
  };
}

// ---- console ------------------------------------------------------------------------------

/**
 * Points every console method that prints to stdout at stderr. Deno's `table`, `count` and
 * `time*` print through an internal handle that replacing `log` does not reach, so those are
 * re-implemented on top of `console.error`.
 */
function redirectConsole(): void {
  const c = console as unknown as Record<string, unknown>;
  const native = console.error.bind(console);
  // Bun's group and groupCollapsed print their label to stdout, and indent only what its own
  // methods print, so the grouping is kept here, on top of console.error.
  let indent = "";
  const error = (...data: unknown[]): void => {
    if (indent === "") return native(...data);
    if (typeof data[0] === "string") native(indent + data[0], ...data.slice(1));
    else native(indent.slice(0, -1), ...data);
  };
  for (const name of ["log", "info", "debug", "dir", "dirxml", "table", "warn", "error"]) {
    c[name] = error;
  }
  c.group = c.groupCollapsed = (...label: unknown[]) => {
    if (label.length > 0) error(...label);
    indent += "  ";
  };
  c.groupEnd = () => indent = indent.slice(2);
  const counts = new Map<string, number>();
  c.count = (label: unknown = "default") => {
    const key = String(label);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    error(`${key}: ${n}`);
  };
  c.countReset = (label: unknown = "default") => counts.delete(String(label));
  const timers = new Map<string, number>();
  const elapsed = (key: string): string => `${(performance.now() - timers.get(key)!).toFixed(3)}ms`;
  c.time = (label: unknown = "default") => timers.set(String(label), performance.now());
  c.timeLog = (label: unknown = "default", ...data: unknown[]) => {
    const key = String(label);
    if (timers.has(key)) error(`${key}: ${elapsed(key)}`, ...data);
  };
  c.timeEnd = (label: unknown = "default") => {
    const key = String(label);
    if (timers.has(key)) error(`${key}: ${elapsed(key)}`);
    timers.delete(key);
  };
}
