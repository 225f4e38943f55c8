/**
 * `run()`: an adapter's main function. One request in on stdin, one response line out on stdout.
 *
 * @module
 */

import { type AdapterLike, isDefinedAdapter } from "./adapter.ts";
import { selfCommand, selfText } from "./about/describe.ts";
import { errorLine } from "./wire/encode.ts";
import { errorMessage } from "./wire/errors.ts";
import { respondInPieces } from "./respond.ts";
import {
  ExitCalled,
  type ImportMetaLike,
  isMainModule,
  programArgs,
  takeOverStdio,
} from "./runtime.ts";
import { readText } from "./wire/text.ts";

/**
 * Options of {@link run}.
 *
 * @example
 * ```ts
 * import { run, type RunOptions } from "@alembic-adapter/sdk";
 * const options: RunOptions = { ifMain: import.meta };
 * run({ read: () => [] }, options); // a doc test is not the entry point: nothing starts
 * ```
 */
export interface RunOptions {
  /**
   * The calling module's `import.meta`: serve only when that module is the program's entry
   * point, so that tests can import the module without starting the adapter. Works where
   * `import.meta.main` does not exist (Node 20 and 22) as well as where it does.
   */
  ifMain?: ImportMetaLike | undefined;
}

/**
 * Serves exactly one request and ends the process with exit code 0.
 *
 * It reads stdin to EOF, answers one line of JSON on stdout (`{"ok":true,"result":…}` or
 * `{"ok":false,"error":…}`), waits until stdout has taken all of it, and exits 0, including
 * after malformed input, a wrong version or an adapter that throws. Console output and direct
 * stdout writes go to stderr for the rest of the process, so a stray log line cannot corrupt
 * the answer. An uncaught exception or unhandled rejection before the answer becomes an
 * `ok:false` answer; after it, a note on stderr. Work still pending when the answer is written
 * is cut off by the exit: finish it before returning. The exit code is 1 only when stdout
 * itself cannot be written (the host then reports the stderr text). A call of `process.exit()`
 * or `Deno.exit()` before the answer is answered as an error naming the call, exit code 0.
 *
 * Started with `--help`, `--version`, `--about` or `--about --format json` as its only
 * arguments, the adapter prints that instead (to stdout, exit 0) and reads no request. Any other
 * argument is the adapter's own, and the request is served as usual.
 *
 * @param adapter A plain object with the methods you implement, an {@link Adapter}, or what
 * `defineAdapter()` made.
 * @param options With `ifMain: import.meta`, serve only when the calling module is the entry
 * point.
 * @returns A promise that settles only if the process outlives the answer (it normally ends),
 * or at once when `ifMain` names a module that is not the entry point.
 * @example
 * ```ts
 * import { type AdapterMethods, run } from "@alembic-adapter/sdk";
 *
 * const adapter: AdapterMethods = {
 *   read(_schema, types) {
 *     return types.includes("dcim.site")
 *       ? [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: { name: "FRA1" }, backend_id: 1 }]
 *       : [];
 *   },
 * };
 * // Serve when Deno runs this file (`deno run adapter.ts`), not when a test imports it.
 * if (import.meta.main) run(adapter);
 * ```
 */
export async function run(adapter: AdapterLike, options: RunOptions = {}): Promise<void> {
  if (options.ifMain !== undefined && !isMainModule(options.ifMain)) return;
  const command = selfCommand(programArgs());
  const io = takeOverStdio();
  let phase: "working" | "writing" | "done" = "working";
  let exitCode = 0;
  const answered = (): boolean => phase !== "working";
  const answer = async (pieces: readonly string[]): Promise<void> => {
    if (answered()) return;
    phase = "writing";
    try {
      await io.writeStdout(pieces);
    } catch (e) {
      phase = "done";
      exitCode = 1;
      io.writeStderr(
        `alembic-adapter-sdk: could not write the response: ${errorMessage(e, "unknown error")}\n`,
      );
      return io.exit(exitCode);
    }
    phase = "done";
    return io.exit(exitCode);
  };
  io.onExitCall((call) => {
    if (phase === "done") return false;
    // Before the answer: the exit would leave stdout empty, which alembic cannot read.
    if (phase === "working") void answer([errorLine(new ExitCalled(call).message)]);
    return true;
  });
  io.onCrash((error) => {
    // The intercepted exit's throw, unwinding the code that called it: already answered.
    if (error instanceof ExitCalled) return;
    const message = errorMessage(error, "uncaught exception without a message");
    if (answered()) io.writeStderr(`alembic-adapter-sdk: after the response: ${message}\n`);
    else void answer([errorLine(`adapter crashed: ${message}`)]);
  });
  io.onIdle(() => {
    if (phase === "working") {
      void answer([errorLine(
        "adapter never answered: a promise it returned stayed pending with nothing left to run",
      )]);
    } else if (phase === "writing") {
      io.writeStderr("alembic-adapter-sdk: stdout stopped taking the response\n");
      void io.exit(1);
    } else void io.exit(exitCode);
  });
  if (command !== undefined) {
    let text: string;
    try {
      text = selfText(adapter, command);
    } catch (e) {
      text = `could not describe the adapter: ${errorMessage(e, "unknown error")}\n`;
    }
    return answer([text]);
  }
  if (io.stdinIsTerminal()) {
    const who = isDefinedAdapter(adapter) ? `${adapter.about.name}: ` : "";
    io.writeStderr(
      `${who}reading one JSON request from stdin (end it with Ctrl-D; --help says more)\n`,
    );
  }
  let text: string;
  try {
    text = await readText(io.stdin);
  } catch (e) {
    return answer([errorLine(`invalid request: ${errorMessage(e, "stdin could not be read")}`)]);
  }
  const pieces = await respondInPieces(adapter, text, {
    warn: (message) => io.writeStderr(`${message}\n`),
  });
  return answer(pieces);
}
