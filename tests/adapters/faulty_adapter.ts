// An adapter that misbehaves in the way `setup.mode` names, to prove the one-document contract
// holds anyway. Runs under Deno and Node: direct stdout writes go through whichever API exists.
import { type JsonValue, run } from "../../mod.ts";

type Writer = {
  writeSync?(p: Uint8Array): number;
  write(p: unknown): unknown;
  end?(chunk: string): unknown;
  close?(): void;
  destroy?(): void;
  cork?(): void;
};
const denoStdout = (globalThis as { Deno?: { stdout: Writer } }).Deno?.stdout;
const nodeStdout = (globalThis as { process?: { stdout?: Writer } }).process?.stdout;
// Looked up when called, as user code would: the SDK guards them while a request is served.
const processExit = (...code: number[]): void =>
  (globalThis as unknown as { process: { exit(code?: number): void } }).process.exit(...code);
const denoExit = (code: number): void =>
  (globalThis as unknown as { Deno: { exit(code: number): void } }).Deno.exit(code);

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

/** Throws from every trap: reading its message, its prototype or its keys fails. */
const hostile = new Proxy({}, {
  get() {
    throw new Error("trap: get");
  },
  getPrototypeOf() {
    throw new Error("trap: getPrototypeOf");
  },
  ownKeys() {
    throw new Error("trap: ownKeys");
  },
});

/** The same, but with an ordinary prototype: Deno itself cannot report an uncaught hostile. */
const hostileMessage = new Proxy({}, {
  get() {
    throw new Error("trap: get");
  },
});

class Site {
  type_name = "dcim.site";
  key = { site: "fra1" };
}

/** One read result with `attrs.value` set to `value`. */
const withAttr = (value: unknown): unknown[] => [
  { type_name: "dcim.site", key: { site: "fra1" }, attrs: { value } },
];

/** Results the encoder must refuse (or, for bigint, write exactly), by mode. */
const RESULTS: Record<string, () => unknown> = {
  "result-nan": () => withAttr(NaN),
  "result-infinity": () => withAttr(-Infinity),
  "result-bigint": () => withAttr(18446744073709551615n),
  "result-undefined": () => undefined,
  "result-undefined-in-array": () => withAttr([1, undefined]),
  "result-hole-in-array": () => withAttr([1, , 3]),
  "result-date": () => withAttr(new Date(0)),
  "result-class-instance": () => [new Site()],
  "result-map": () => withAttr(new Map([["a", 1]])),
  "result-function": () => withAttr(() => 1),
  "result-symbol": () => withAttr(Symbol("s")),
  "result-cycle": () => {
    const attrs: Record<string, unknown> = {};
    attrs.self = attrs;
    return [{ type_name: "dcim.site", key: { site: "fra1" }, attrs }];
  },
  "result-wrong-shape": () => ({ objects: [] }),
  "result-typo": () => [{ type_name: "dcim.site", key: {}, atrs: {} }],
  "result-string": () => "[]",
  "result-proxy": () => hostile,
  "result-lone-surrogate": () => withAttr("\ud800"),
};

run({
  setup(config: JsonValue) {
    mode = String((config as { mode?: unknown } | null)?.mode ?? "");
    switch (mode) {
      case "setup-throws":
        throw new Error("no endpoint configured");
      case "setup-throws-string":
        throw "bad config";
      case "setup-throws-undefined":
        throw undefined;
      case "setup-rejects":
        return Promise.reject(new TypeError("endpoint must be a URL"));
      case "exit-in-setup":
        processExit(3);
        break;
    }
  },
  async read(_schema, types) {
    if (Object.hasOwn(RESULTS, mode)) return RESULTS[mode]!() as never;
    switch (mode) {
      case "throw-hostile":
        throw hostile;
      case "reject-hostile":
        return Promise.reject(hostile);
      case "uncaught-hostile":
        setTimeout(() => {
          throw hostileMessage;
        }, 0);
        return new Promise(() => {});
      case "throw-long-cause-chain": {
        let error = new Error("root");
        for (let i = 0; i < 100_000; i++) error = new Error(`level ${i}`, { cause: error });
        throw error;
      }
      case "process-exit":
        processExit(0);
        return [];
      case "process-exit-no-code":
        processExit();
        return [];
      case "deno-exit":
        denoExit(1);
        return [];
      case "exit-caught":
        // The adapter swallows what the guarded exit throws and answers: the exit's answer wins.
        try {
          processExit(0);
        } catch {
          // ignored on purpose
        }
        return [];
      case "exit-in-timer":
        setTimeout(() => processExit(2), 0);
        return new Promise(() => {});
      case "never-settles":
        // Nothing else is pending: the event loop empties with the answer still owed.
        return new Promise(() => {});
      case "stdout-end":
        nodeStdout?.end?.("end line\n");
        return [];
      case "stdout-close":
        denoStdout?.close?.();
        nodeStdout?.destroy?.();
        return [];
      case "stdout-cork":
        nodeStdout?.cork?.();
        return [];
      case "rejection-after-answer":
        // Rejects while the result is encoded, so the rejection is seen only after the answer.
        return [{
          type_name: "dcim.site",
          get key() {
            void Promise.reject(new Error("late"));
            return { site: "fra1" };
          },
        }];
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
