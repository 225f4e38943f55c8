// An adapter on applyOps over a backend that is a file: every call that reaches the backend
// appends one line to `calls.log` in the `backend` directory of `setup`, so a test can count
// what reached it across processes that are killed at any point. Settings (all in `setup`):
//
// - `backend`: the backend's directory; `journal`: the journal's directory (none: no journal)
// - `concurrency`, `async`: passed on / makes every per-op function async
// - `stall: { at, after }`: the backend's `at`-th call (counting all runs) blocks forever,
//   before its line is written or after, having written `stalled` beside the log, so that the
//   test can kill the process there
// - `fail`: a uid whose op the backend refuses (a non-retryable failure)
import { existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { type BackendId, type JsonObject, type JsonValue, run } from "../../mod.ts";
import { applyOps } from "../../apply.ts";

interface Setup {
  backend: string;
  journal?: string;
  concurrency?: number;
  async?: boolean;
  stall?: { at: number; after: boolean };
  fail?: string;
}

let setup: Setup;

/** The backend: one line per call, `<kind> <uid> <id> <attrs as JSON>`; a create's id is its line number. */
class CallLog {
  readonly #fd: number;
  readonly #dir: string;
  #count: number;
  /** What earlier runs' calls did, by `<kind> <uid>`: the id they wrote to. */
  readonly landed = new Map<string, BackendId>();

  constructor(dir: string) {
    this.#dir = dir;
    const path = join(dir, "calls.log");
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    const lines = text === "" ? [] : text.trimEnd().split("\n");
    for (const line of lines) {
      const [kind, uid, id] = line.split(" ");
      if (id === undefined) throw new Error(`calls log line without an id: ${line}`);
      this.landed.set(`${kind} ${uid}`, /^[0-9]+$/.test(id) ? Number(id) : id);
    }
    this.#count = lines.length;
    this.#fd = openSync(path, "a");
  }

  call(kind: string, uid: string, id: BackendId | undefined, attrs: JsonObject = {}): BackendId {
    if (setup.fail === uid) throw new Error("backend refused: 422 unprocessable");
    const n = ++this.#count;
    const stall = setup.stall?.at === n ? setup.stall : undefined;
    if (stall !== undefined && !stall.after) this.#stall();
    const assigned = id ?? n;
    writeSync(this.#fd, `${kind} ${uid} ${assigned} ${JSON.stringify(attrs)}\n`);
    if (stall?.after) this.#stall();
    return assigned;
  }

  #stall(): never {
    writeFileSync(join(this.#dir, "stalled"), "");
    // Blocks this thread for good: the test kills the process while it waits here.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    throw new Error("unreachable");
  }
}

/** `f`, sync or (with `setup.async`) behind a few microtask turns, as an HTTP client would be. */
function maybeAsync<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R | Promise<R> {
  if (!setup.async) return f;
  return async (...args: A) => {
    await Promise.resolve();
    const result = f(...args);
    await Promise.resolve();
    return result;
  };
}

run({
  setup(config: JsonValue): void {
    setup = config as unknown as Setup;
  },

  write(schema, ops, state) {
    const backend = new CallLog(setup.backend);
    return applyOps({ schema, ops, state }, {
      journal: setup.journal === undefined
        ? undefined
        : { dir: setup.journal, instance: "resumable-test" },
      concurrency: setup.concurrency,
      create: maybeAsync((op, ctx) =>
        backend.call("create", op.uid, undefined, ctx.backendAttrs(op))
      ),
      update: maybeAsync((op, id, ctx) => backend.call("update", op.uid, id, ctx.backendAttrs(op))),
      delete: maybeAsync((op) => {
        backend.call("delete", op.uid, op.backend_id);
      }),
      recover: {
        create: (op) => backend.landed.get(`create ${op.uid}`),
        update: (op) => backend.landed.has(`update ${op.uid}`),
        delete: (op) => backend.landed.has(`delete ${op.uid}`),
      },
    });
  },
});
