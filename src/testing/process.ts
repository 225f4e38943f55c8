/**
 * One adapter process, driven the way the upstream runner drives it: the request written and
 * stdin closed, a hard kill at the timeout, pipes drained for at most a second after exit.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { concatBytes } from "../wire/text.ts";

/**
 * How a process ended.
 *
 * @example
 * ```ts
 * import type { ProcessStatus } from "@alembic-adapter/sdk/testing";
 * function describe(status: ProcessStatus): string {
 *   return status.kind === "exited" ? `exit status: ${status.code}` : status.kind;
 * }
 * ```
 */
export type ProcessStatus =
  | { kind: "exited"; code: number }
  | { kind: "signal"; signal: string }
  | { kind: "timed out" }
  | { kind: "did not start"; error: string };

/**
 * Everything a finished adapter process left behind.
 *
 * @example
 * ```ts
 * import type { ProcessOutcome } from "@alembic-adapter/sdk/testing";
 * function stderrText(outcome: ProcessOutcome): string {
 *   return new TextDecoder().decode(outcome.stderr);
 * }
 * ```
 */
export interface ProcessOutcome {
  /** How it ended. */
  status: ProcessStatus;
  /** Its stdout, as bytes. */
  stdout: Uint8Array;
  /** Its stderr, as bytes. */
  stderr: Uint8Array;
}

/** Options of {@linkcode runProcess}. */
export interface ProcessOptions {
  /** Kill the process (SIGKILL, no warning) after this many milliseconds; 10 s by default. */
  timeoutMs?: number | undefined;
  /** Working directory; inherited by default. */
  cwd?: string | undefined;
}

const DRAIN_MS = 1000;
const EMPTY = new Uint8Array(0);
const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGABRT: 6,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/**
 * Runs `argv` (the program looked up in `PATH`) with `input` on stdin.
 *
 * @param argv Program and arguments.
 * @param input The bytes to write before closing stdin.
 * @param options Timeout and working directory.
 * @returns The outcome; never rejects: a command that cannot start (empty, not found, not
 *   executable, not passable to exec) resolves as `did not start`.
 */
export function runProcess(
  argv: string[],
  input: Uint8Array | string,
  options: ProcessOptions = {},
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    let timedOut = false;
    let settled = false;
    const notStarted = (error: string) =>
      resolve({ status: { kind: "did not start", error }, stdout: EMPTY, stderr: EMPTY });
    const [command, ...args] = argv;
    if (command === undefined) return notStarted("no program to run: the command is empty");
    let child: ChildProcess;
    try {
      child = spawn(command, args, { cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    } catch (e) {
      // spawn throws, rather than emitting "error", on arguments it cannot pass to exec (a NUL).
      return notStarted(e instanceof Error ? e.message : String(e));
    }
    const finish = (status: ProcessStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ status, stdout: concatBytes(out), stderr: concatBytes(err) });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 10_000);
    child.on("error", (e) => finish({ kind: "did not start", error: e.message }));
    child.stdout?.on("data", (c: Uint8Array) => out.push(c));
    child.stderr?.on("data", (c: Uint8Array) => err.push(c));
    child.stdin?.on("error", () => {});
    let status: ProcessStatus | undefined;
    child.on("exit", (code, signal) => {
      status = timedOut
        ? { kind: "timed out" }
        : signal !== null
        ? { kind: "signal", signal }
        : { kind: "exited", code: code ?? 0 };
      // A grandchild may hold the pipes open: stop waiting for them after a second.
      setTimeout(() => finish(status!), DRAIN_MS).unref?.();
    });
    child.on("close", () => {
      if (status !== undefined) finish(status);
    });
    child.stdin?.end(input);
  });
}

/**
 * A status as Rust's `ExitStatus` prints it (`exit status: 1`, `signal: 9 (SIGKILL)`), or the
 * runner's words for the other outcomes.
 *
 * @param status A process status.
 * @returns The text.
 */
export function statusText(status: ProcessStatus): string {
  switch (status.kind) {
    case "exited":
      return `exit status: ${status.code}`;
    case "signal":
      return `signal: ${SIGNALS[status.signal] ?? "?"} (${status.signal})`;
    case "timed out":
      return "timed out";
    case "did not start":
      return "did not start";
  }
}
