// An adapter that misbehaves in the way `setup.mode` names, to prove the one-document contract
// holds anyway. Runs under Deno and Node: direct stdout writes go through whichever API exists.
import { type JsonValue, run } from "../../mod.ts";

type Writer = { writeSync?(p: Uint8Array): number; write(p: unknown): unknown };
const denoStdout = (globalThis as { Deno?: { stdout: Writer } }).Deno?.stdout;
const nodeStdout = (globalThis as { process?: { stdout?: Writer } }).process?.stdout;

let mode = "";

function logEverything(): void {
  console.log("log line");
  console.info("info line");
  console.debug("debug line");
  console.dir({ dir: "line" });
  console.dirxml("dirxml line");
  console.table([{ table: "line" }]);
  console.count("count line");
  console.countReset("count line");
  console.time("time line");
  console.timeLog("time line");
  console.timeEnd("time line");
  console.group("group line");
  console.groupCollapsed("collapsed line");
  console.groupEnd();
  console.groupEnd();
  console.warn("warn line");
  console.error("error line");
  console.assert(false, "assert line");
  denoStdout?.writeSync?.(new TextEncoder().encode("deno writeSync line\n"));
  void denoStdout?.write(new TextEncoder().encode("deno write line\n"));
  nodeStdout?.write("process.stdout.write line\n");
}

run({
  setup(config: JsonValue) {
    mode = String((config as { mode?: unknown } | null)?.mode ?? "");
  },
  async read(_schema, types) {
    switch (mode) {
      case "throw-string":
        throw "a plain string";
      case "throw-undefined":
        throw undefined;
      case "reject-object":
        return Promise.reject({ code: 503 });
      case "log":
        logEverything();
        return [];
      case "uncaught":
        // An exception in a callback, while the method still waits: it must become the answer.
        setTimeout(() => {
          throw new Error("timer blew up");
        }, 0);
        return new Promise(() => {});
      case "rejection-before-answer":
        // Timers fire in order: the rejection goes unhandled before the method could finish.
        setTimeout(() => void Promise.reject(new Error("nobody awaited this")), 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return [];
      case "crash-then-return":
        // The crash is answered first; the method's own result, right behind it, must not be.
        queueMicrotask(() => {
          throw new Error("crashed first");
        });
        return [];
      case "rejection-around-answer":
        // Lands just before or just after the answer is written; either way, one document.
        setTimeout(() => void Promise.reject(new Error("too late")), 0);
        return [];
      case "big": {
        // About 50 MB of answer: the pipe must deliver all of it.
        const filler = "x".repeat(1000);
        return Array.from({ length: 50_000 }, (_, i) => ({
          type_name: types[0] ?? "t",
          key: { n: i },
          attrs: { filler },
          backend_id: i,
        }));
      }
      case "after-answer":
        // Output after the method returned (on the way out) must not reach stdout either.
        queueMicrotask(() => console.log("after the answer"));
        return [];
      default:
        return [];
    }
  },
});
