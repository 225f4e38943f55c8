/**
 * `applyOps`: a whole `write` from per-op functions, with retries for ops that wait on others,
 * optional bounded concurrency, and an optional journal that lets a re-run of an interrupted
 * write skip what is already done.
 *
 * @module
 */

import type { Create, Delete, Op, Update } from "../wire/ops.ts";
import { applied, type AppliedOp, type ApplyReport, deleted } from "../wire/results.ts";
import type { Schema } from "../wire/schema.ts";
import type { State } from "../wire/state.ts";
import { type BackendId, isBackendId } from "../wire/values.ts";
import { ApplyContext, refTargets } from "./context.ts";
import { NoProgressError, OpFailedError, type StuckOp } from "./errors.ts";
import { Journal, type JournalOptions } from "./journal.ts";
import { planHashes } from "./_hash.ts";
import { MissingRef, Retry } from "./retry.ts";

/**
 * What a `write` request hands its method: pass them on as they came.
 *
 * @example
 * ```ts
 * import { State } from "@alembic-adapter/sdk";
 * import type { ApplyRequest } from "@alembic-adapter/sdk/apply";
 * const request: ApplyRequest = { schema: { types: {} }, ops: [], state: new State() };
 * ```
 */
export interface ApplyRequest {
  /** The write's schema. */
  schema: Schema;
  /** The write's ops, in the order the host sent them. */
  ops: readonly Op[];
  /** The write's state. */
  state: State;
}

/**
 * Asks the backend whether an op that a killed run had started reached it. Only with a
 * journal, and only for the kinds given: the journal then records each such op before its
 * call as well as after, and a re-run asks about an op that has the first record and not the
 * second, instead of applying it a second time. Without it, that op (at most `concurrency`
 * of them) is applied again: harmless for updates and deletes of most backends, a duplicate
 * object for a create whose backend does not refuse one.
 *
 * @example
 * ```ts
 * import type { RecoverOptions } from "@alembic-adapter/sdk/apply";
 * const byKey = new Map<string, number>(); // the backend's objects, by key
 * const recover: RecoverOptions = {
 *   create: (op) => byKey.get(JSON.stringify(op.desired.key)),
 * };
 * ```
 */
export interface RecoverOptions {
  /** The backend id of the object the create made, or `undefined` when it did not land. */
  create?(op: Create, ctx: ApplyContext): BackendId | undefined | Promise<BackendId | undefined>;
  /** Whether the object `id` already holds the update's `desired`. */
  update?(op: Update, id: BackendId, ctx: ApplyContext): boolean | Promise<boolean>;
  /** Whether the object is already gone. */
  delete?(op: Delete, ctx: ApplyContext): boolean | Promise<boolean>;
}

/**
 * The per-op functions and settings of {@linkcode applyOps}. Each function may be sync or
 * async; throwing {@linkcode Retry} (or failing `ctx.require`) sets its op aside for another
 * round, throwing anything else ends the write.
 *
 * @example
 * ```ts
 * import type { ApplyOptions } from "@alembic-adapter/sdk/apply";
 * const rows = new Map<number, unknown>();
 * const options: ApplyOptions = {
 *   create(op, ctx) {
 *     rows.set(rows.size + 1, ctx.backendAttrs(op));
 *     return rows.size;
 *   },
 *   update(op, id, ctx) {
 *     rows.set(Number(id), ctx.backendAttrs(op));
 *   },
 *   delete(op) {
 *     rows.delete(Number(op.backend_id));
 *   },
 * };
 * ```
 */
export interface ApplyOptions {
  /** Creates `op.desired` and returns the backend id it got. */
  create?(op: Create, ctx: ApplyContext): BackendId | Promise<BackendId>;
  /**
   * Writes all of `op.desired` to the object `id` (the op's `backend_id`, or the id a create
   * of the same uid earlier in this write got). Returns its id, when it changed.
   */
  update?(
    op: Update,
    id: BackendId,
    ctx: ApplyContext,
  ): BackendId | undefined | void | Promise<BackendId | undefined | void>;
  /** Deletes the object (`op.backend_id`, or look it up by `op.key`). Gone already is fine. */
  delete?(op: Delete, ctx: ApplyContext): void | Promise<void>;
  /** Asks the backend about ops a killed run left in doubt (with a journal only). */
  recover?: RecoverOptions | undefined;
  /** Keep a journal there, so that a re-run of an interrupted write resumes. */
  journal?: JournalOptions | undefined;
  /**
   * How many creates and updates may be in flight at once; 1 by default. An op still starts
   * only after the ops of this write creating what it refers to are through. Deletes run one
   * at a time, in the host's order, since only the backend knows what still refers to them.
   */
  concurrency?: number | undefined;
  /** Marks more errors retryable than {@linkcode Retry}, such as a backend's "409 conflict". */
  retryable?: ((error: unknown) => boolean) | undefined;
  /** Receives notes about the journal; `console.warn` (stderr under `run()`) by default. */
  warn?: ((message: string) => void) | undefined;
}

/**
 * Applies a write's ops through per-op functions and returns the whole report.
 *
 * Creates and updates go first, in the host's order, in rounds: an op that throws
 * {@linkcode Retry}, or whose ref has no backend id yet ({@linkcode MissingRef} from `ctx`), is
 * tried again in the next round, and rounds continue while each applies something. Deletes go
 * last, one at a time. An op that fails otherwise ends the write with {@linkcode OpFailedError};
 * a round that applies nothing ends it with {@linkcode NoProgressError}, naming the ops and the
 * refs they miss.
 *
 * With `journal`, every applied op is recorded before the next one starts; a re-run of the same
 * plan (same instance, same ops) skips those ops and reports them in `resumed` with their
 * backend ids (deletes in `applied`, so the host drops their bindings), with
 * `previously_applied_count`. The journal is removed once the whole write, deletes included,
 * went through.
 *
 * @param request The write's schema, ops and state.
 * @param options The per-op functions and settings.
 * @returns The report for the host.
 * @throws {OpFailedError} When an op fails with an error not marked retryable.
 * @throws {NoProgressError} When a round of retries applies nothing.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { State } from "@alembic-adapter/sdk";
 * import { decodeOps, decodeSchema } from "@alembic-adapter/sdk/codec";
 * import { applyOps } from "@alembic-adapter/sdk/apply";
 *
 * const schema = decodeSchema({ types: {
 *   "dcim.site": { key: { slug: { type: "slug" } }, fields: {} },
 *   "dcim.device": { key: { name: { type: "string" } },
 *     fields: { site: { type: "ref", target: "dcim.site" } } },
 * } });
 * const site = "22222222-2222-2222-2222-222222222222";
 * const device = "11111111-1111-1111-1111-111111111111";
 * // The device comes first: its ref waits until the site has a backend id.
 * const ops = decodeOps([
 *   { op: "create", uid: device, type_name: "dcim.device", desired: { uid: device,
 *     type: "dcim.device", key: { name: "sw1" }, attrs: { site } } },
 *   { op: "create", uid: site, type_name: "dcim.site", desired: { uid: site,
 *     type: "dcim.site", key: { slug: "fra1" }, attrs: {} } },
 * ]);
 * const rows: unknown[] = [];
 * const report = await applyOps({ schema, ops, state: new State() }, {
 *   create: (op, ctx) => rows.push(ctx.backendAttrs(op)),
 * });
 * assert.deepEqual(report.applied.map((a) => a.backend_id), [1, 2]);
 * assert.deepEqual(rows[1], { site: 1 });
 * ```
 */
export async function applyOps(request: ApplyRequest, options: ApplyOptions): Promise<ApplyReport> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`applyOps: concurrency must be a positive integer, got ${concurrency}`);
  }
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const { ops } = request;
  // The host sends a write on every apply, most of them empty: no file for those.
  const journal = options.journal === undefined || ops.length === 0
    ? undefined
    : openJournal(options.journal, ops, warn);
  const apply = new Apply(request, options, journal);
  const writes: number[] = [];
  const deletes: number[] = [];
  ops.forEach((op, i) => {
    if (journal?.applied.has(i)) return;
    (op.op === "delete" ? deletes : writes).push(i);
  });
  try {
    await apply.rounds(writes, concurrency);
    await apply.rounds(deletes, 1);
  } catch (e) {
    if (journal !== undefined) {
      journal.close();
      if (journal.recorded > 0) {
        warn(
          `alembic-adapter-sdk: the journal ${journal.path} records ${journal.recorded} of ${ops.length} ops as applied; re-running the same plan resumes after them`,
        );
      }
    }
    throw e;
  }
  try {
    journal?.remove();
  } catch (e) {
    // Everything went through: failing now would make alembic drop the report. A journal left
    // behind only makes a re-run of this plan report every op as resumed, which is also true.
    warn(`alembic-adapter-sdk: ${e instanceof Error ? e.message : String(e)}`);
  }
  return apply.report();
}

function openJournal(
  options: JournalOptions,
  ops: readonly Op[],
  warn: (message: string) => void,
): Journal {
  if (typeof options.dir !== "string" || options.dir === "") {
    throw new TypeError("applyOps: journal.dir must be a non-empty string");
  }
  if (typeof options.instance !== "string" || options.instance === "") {
    throw new TypeError("applyOps: journal.instance must be a non-empty string");
  }
  const durability = options.durability ?? "os";
  if (durability !== "os" && durability !== "disk") {
    throw new TypeError(`applyOps: journal.durability must be "os" or "disk", got ${durability}`);
  }
  const hashes = planHashes(options.instance, ops);
  return Journal.open(
    options,
    { instance: options.instance, ops, opHashes: hashes.ops, hash: hashes.plan },
    warn,
  );
}

/** An op set aside for the next round, with what it last failed with. */
interface Wait {
  error: unknown;
}

/** One call of `applyOps`: the ids, the journal and what was applied so far. */
class Apply {
  readonly #ops: readonly Op[];
  readonly #schema: Schema;
  readonly #options: ApplyOptions;
  readonly #journal: Journal | undefined;
  readonly #ctx: ApplyContext;
  /** Ops an earlier run may have applied, which `recover` is asked about before they run. */
  readonly #inDoubt: Set<number>;
  /** This run's report entries, in the order the ops went through. */
  readonly #applied: AppliedOp[] = [];
  /** Ops earlier runs applied, found in doubt and confirmed by `recover`, with their ids. */
  readonly #recovered = new Map<number, BackendId | undefined>();
  #progress = 0;
  #creators: Map<string, number> | undefined;

  /** Op `i` of the plan; every index held here (queues, journal) was taken from the plan. */
  #op(i: number): Op {
    const op = this.#ops[i];
    if (op === undefined) throw new RangeError(`no op ${i} in a plan of ${this.#ops.length}`);
    return op;
  }

  constructor(request: ApplyRequest, options: ApplyOptions, journal: Journal | undefined) {
    this.#ops = request.ops;
    this.#schema = request.schema;
    this.#options = options;
    this.#journal = journal;
    this.#ctx = new ApplyContext(request.schema, request.state);
    this.#inDoubt = new Set(journal?.inDoubt);
    if (journal !== undefined) {
      // In plan order, so that an update's id wins over its create's, as it would have then.
      this.#ops.forEach((op, i) => {
        const id = journal.applied.get(i);
        if (id !== undefined) this.#ctx.ids.bind(op.type_name, op.uid, id);
      });
    }
  }

  /** Runs `pending` in rounds until all went through, or a round applied nothing. */
  async rounds(pending: number[], concurrency: number): Promise<void> {
    while (pending.length > 0) {
      const waiting = new Map<number, unknown>();
      const before = this.#progress;
      if (concurrency === 1) {
        for (const i of pending) {
          const wait = await this.#attempt(i);
          if (wait !== undefined) waiting.set(i, wait.error);
        }
      } else await this.#pool(pending, concurrency, waiting);
      if (waiting.size === 0) return;
      pending = [...waiting.keys()].sort((a, b) => a - b);
      if (this.#progress === before) throw this.#stuck(pending, waiting);
    }
  }

  /**
   * One round with up to `concurrency` ops in flight, started in plan order; an op whose
   * target another op in flight creates waits for that op first. After a failure nothing new
   * starts, and the ops in flight are let finish (and journaled) before it is thrown.
   */
  async #pool(
    pending: number[],
    concurrency: number,
    waiting: Map<number, unknown>,
  ): Promise<void> {
    const inFlight = new Map<number, Promise<void>>();
    let failure: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    for (const i of pending) {
      while (inFlight.size >= concurrency) await new Promise<void>((resolve) => wake = resolve);
      if (failure !== undefined) break;
      const before: Promise<void>[] = [];
      for (const d of this.#dependencies(i)) {
        const task = inFlight.get(d);
        if (task !== undefined) before.push(task);
      }
      const task = (async () => {
        if (before.length > 0) await Promise.all(before);
        if (failure !== undefined) return;
        try {
          const wait = await this.#attempt(i);
          if (wait !== undefined) waiting.set(i, wait.error);
        } catch (e) {
          failure ??= { error: e };
        }
      })().finally(() => {
        inFlight.delete(i);
        const resume = wake;
        wake = undefined;
        resume?.();
      });
      inFlight.set(i, task);
    }
    await Promise.all(inFlight.values());
    if (failure !== undefined) throw failure.error;
  }

  /** The ops of this write that create what op `i` refers to (its own uid, for an update). */
  #dependencies(i: number): number[] {
    const op = this.#op(i);
    if (op.op === "delete") return [];
    if (this.#creators === undefined) {
      this.#creators = new Map();
      this.#ops.forEach((o, j) => {
        if (o.op === "create") this.#creators!.set(targetKey(o.type_name, o.uid), j);
      });
    }
    const out: number[] = [];
    const add = (type: string, uid: string) => {
      const j = this.#creators!.get(targetKey(type, uid));
      if (j !== undefined && j !== i) out.push(j);
    };
    for (const [type, uid] of refTargets(this.#schema, op)) add(type, uid);
    if (op.op === "update" && op.backend_id === undefined) add(op.type_name, op.uid);
    return out;
  }

  /**
   * Applies op `i`, or finds that an earlier run did. Resolves to `undefined` when it went
   * through, to a {@linkcode Wait} when it failed with a retryable error.
   */
  async #attempt(i: number): Promise<Wait | undefined> {
    const op = this.#op(i);
    const journal = this.#journal;
    const recover = journal === undefined ? undefined : this.#options.recover?.[op.op];
    try {
      if (this.#inDoubt.has(i) && recover !== undefined) {
        const id = await this.#recover(op);
        this.#inDoubt.delete(i);
        if (id !== false) {
          this.#recovered.set(i, id);
          this.#through(i, op, id);
          return undefined;
        }
      }
      if (recover !== undefined) {
        // A ref that cannot resolve yet would fail before the backend call: not worth a
        // `started` record, and the recover call that record would cost a re-run.
        const missing = this.#missing(op)[0];
        if (missing !== undefined) return { error: new MissingRef(missing[0], missing[1]) };
        journal!.begin(i);
      }
      const id = await this.#call(op);
      this.#through(i, op, id);
      this.#applied.push(id === undefined ? deleted(op) : applied(op, id));
      return undefined;
    } catch (e) {
      if (e instanceof OpFailedError) throw e;
      if (e instanceof Retry || this.#options.retryable?.(e) === true) return { error: e };
      throw new OpFailedError(i, op, e);
    }
  }

  /** The backend id an earlier run's op got (`undefined` for a delete), or `false`. */
  async #recover(op: Op): Promise<BackendId | undefined | false> {
    const recover = this.#options.recover!;
    const ctx = this.#ctx;
    switch (op.op) {
      case "create": {
        const id = await recover.create!(op, ctx);
        return id === undefined ? false : backendId(id, "recover.create");
      }
      case "update": {
        const id = this.#updateTarget(op);
        return (await recover.update!(op, id, ctx)) === true ? id : false;
      }
      case "delete":
        return (await recover.delete!(op, ctx)) === true ? undefined : false;
    }
  }

  /** Calls the op's function; resolves to the id the object now has (none for a delete). */
  async #call(op: Op): Promise<BackendId | undefined> {
    const options = this.#options;
    const ctx = this.#ctx;
    switch (op.op) {
      case "create": {
        if (options.create === undefined) throw new Error("applyOps was given no create function");
        return backendId(await options.create(op, ctx), "create");
      }
      case "update": {
        if (options.update === undefined) throw new Error("applyOps was given no update function");
        const id = this.#updateTarget(op);
        const changed = await options.update(op, id, ctx);
        return changed === undefined ? id : backendId(changed, "update");
      }
      case "delete": {
        if (options.delete === undefined) throw new Error("applyOps was given no delete function");
        await options.delete(op, ctx);
        return undefined;
      }
    }
  }

  /** The object an update writes to: its `backend_id`, or what a create of its uid got. */
  #updateTarget(op: Update): BackendId {
    return op.backend_id ?? this.#ctx.require(op.type_name, op.uid);
  }

  /** Op `i` is on the backend: its id is bound and recorded before anything else starts. */
  #through(i: number, op: Op, id: BackendId | undefined): void {
    if (id !== undefined) this.#ctx.ids.bind(op.type_name, op.uid, id);
    try {
      this.#journal?.done(i, id);
    } catch (e) {
      throw new OpFailedError(
        i,
        op,
        new Error(`applied, but ${e instanceof Error ? e.message : String(e)}`, { cause: e }),
      );
    }
    this.#progress++;
  }

  /** The refs of `op` (and an update's own uid) that nothing binds yet. */
  #missing(op: Op): Array<[string, string]> {
    const missing = refTargets(this.#schema, op).filter(([type, uid]) =>
      this.#ctx.backendId(type, uid) === undefined
    );
    if (
      op.op === "update" && op.backend_id === undefined &&
      this.#ctx.backendId(op.type_name, op.uid) === undefined
    ) {
      missing.push([op.type_name, op.uid]);
    }
    return missing;
  }

  #stuck(pending: number[], waiting: Map<number, unknown>): NoProgressError {
    const stuck = pending.map((index): StuckOp => {
      const op = this.#op(index);
      const error = waiting.get(index);
      const missing = this.#missing(op);
      if (
        error instanceof MissingRef &&
        !missing.some(([type, uid]) => type === error.typeName && uid === error.uid)
      ) {
        missing.push([error.typeName, error.uid]);
      }
      return { index, op, missing, error };
    });
    return new NoProgressError(stuck);
  }

  /** The report: this run's ops, and those earlier runs of the plan applied. */
  report(): ApplyReport {
    const report: ApplyReport = { applied: this.#applied };
    const earlier = new Map([...(this.#journal?.applied ?? []), ...this.#recovered]);
    if (earlier.size === 0) return report;
    const resumed: AppliedOp[] = [];
    for (const index of [...earlier.keys()].sort((a, b) => a - b)) {
      const op = this.#op(index);
      const id = earlier.get(index);
      // The host clears a binding only for an `applied` entry without an id; a `resumed`
      // entry only ever sets one.
      if (id === undefined) report.applied.push(deleted(op));
      else resumed.push(applied(op, id));
    }
    if (resumed.length > 0) report.resumed = resumed;
    report.previously_applied_count = earlier.size;
    return report;
  }
}

function targetKey(type: string, uid: string): string {
  return `${type}\u0000${uid}`;
}

/** A per-op function's answer, checked to be a backend id. */
function backendId(value: unknown, what: string): BackendId {
  if (isBackendId(value)) return value;
  const shown = typeof value === "bigint" ? `${value}n` : JSON.stringify(value) ?? String(value);
  throw new TypeError(
    `${what} returned ${shown}, not a backend id (a non-negative integer or a string)`,
  );
}
