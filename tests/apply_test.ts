// applyOps in process: the order of ops, retries until a round makes no progress, bounded
// concurrency that respects refs, and the journal (resuming, plan scoping, torn and damaged
// files, ops left in doubt). tests/resumable_test.ts kills real processes.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  type BackendId,
  type Create,
  type Delete,
  type JsonObject,
  type Op,
  State,
  type Update,
} from "../mod.ts";
import { decodeSchema, errorMessage } from "../codec.ts";
import {
  ApplyContext,
  applyOps,
  type ApplyOptions,
  MissingRef,
  NoProgressError,
  OpFailedError,
  Retry,
} from "../apply.ts";
import { readJournal } from "../src/apply/journal.ts";
import { planHashes } from "../src/apply/_hash.ts";
import { first } from "./support/tuple.ts";

const schema = decodeSchema({
  types: {
    "dcim.site": { key: { slug: { type: "slug" } }, fields: { name: { type: "string" } } },
    "dcim.device": {
      key: { name: { type: "string" } },
      fields: {
        site: { type: "ref", target: "dcim.site" },
        peer: { type: "ref", target: "dcim.device" },
        backups: { type: "list_ref", target: "dcim.site" },
      },
    },
    "dcim.interface": {
      key: { device: { type: "ref", target: "dcim.device" }, name: { type: "string" } },
      fields: {},
    },
  },
});

const uid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function site(n: number): Create {
  return {
    op: "create",
    uid: uid(n),
    type_name: "dcim.site",
    desired: { uid: uid(n), type: "dcim.site", key: { slug: `s${n}` }, attrs: { name: `S${n}` } },
  };
}

function device(n: number, attrs: JsonObject = {}): Create {
  return {
    op: "create",
    uid: uid(n),
    type_name: "dcim.device",
    desired: { uid: uid(n), type: "dcim.device", key: { name: `d${n}` }, attrs },
  };
}

function update(of: Create, backendId?: BackendId): Update {
  const op: Update = { ...of, op: "update", changes: [] };
  if (backendId !== undefined) op.backend_id = backendId;
  return op;
}

function remove(n: number, backendId: BackendId): Delete {
  return {
    op: "delete",
    uid: uid(n),
    type_name: "dcim.device",
    key: { name: `d${n}` },
    backend_id: backendId,
  };
}

/** A backend in memory that logs every call that reached it. */
class Backend {
  readonly calls: string[] = [];
  readonly rows = new Map<BackendId, JsonObject>();
  next = 100;
  /** Uids whose op fails for good when it reaches the backend. */
  readonly broken = new Set<string>();

  options(extra: Partial<ApplyOptions> = {}): ApplyOptions {
    return {
      create: (op, ctx) => {
        const attrs = ctx.backendAttrs(op);
        this.#reach(`create ${op.uid}`, op.uid);
        const id = this.next++;
        this.rows.set(id, attrs);
        return id;
      },
      update: (op, id, ctx) => {
        const attrs = ctx.backendAttrs(op);
        this.#reach(`update ${op.uid} ${id}`, op.uid);
        this.rows.set(id, attrs);
        return id;
      },
      delete: (op) => {
        this.#reach(`delete ${op.uid}`, op.uid);
        this.rows.delete(op.backend_id!);
      },
      ...extra,
    };
  }

  #reach(call: string, uid: string): void {
    if (this.broken.has(uid)) {
      throw new Error("500 internal error", { cause: new Error("disk full") });
    }
    this.calls.push(call);
  }
}

const request = (ops: Op[], mappings = {}) => ({ schema, ops, state: new State(mappings) });

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function journalDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "apply-journal-"));
  dirs.push(dir);
  return dir;
}

function journalFiles(dir: string): string[] {
  return readdirSync(dir).map((f) => join(dir, f));
}

describe("applyOps: order and retries", () => {
  it("applies creates and updates in plan order, then the deletes, and reports each", async () => {
    const backend = new Backend();
    const ops: Op[] = [
      remove(9, 900),
      site(1),
      update(device(2), 200),
      device(3, { site: uid(1) }),
    ];
    const report = await applyOps(request(ops), backend.options());
    assert.deepEqual(backend.calls, [
      `create ${uid(1)}`,
      `update ${uid(2)} 200`,
      `create ${uid(3)}`,
      `delete ${uid(9)}`,
    ]);
    assert.deepEqual(report, {
      applied: [
        { uid: uid(1), type_name: "dcim.site", backend_id: 100 },
        { uid: uid(2), type_name: "dcim.device", backend_id: 200 },
        { uid: uid(3), type_name: "dcim.device", backend_id: 101 },
        { uid: uid(9), type_name: "dcim.device" },
      ],
    });
    assert.deepEqual(backend.rows.get(101), { site: 100 });
  });

  it("retries an op whose ref a later op creates, once that op went through", async () => {
    const backend = new Backend();
    const ops: Op[] = [device(2, { site: uid(1), backups: [uid(1)] }), site(1)];
    const report = await applyOps(request(ops), backend.options());
    assert.deepEqual(backend.calls, [`create ${uid(1)}`, `create ${uid(2)}`]);
    assert.deepEqual(report.applied.map((a) => a.uid), [uid(1), uid(2)]);
    assert.deepEqual(backend.rows.get(101), { site: 100, backups: [100] });
  });

  it("gives an update without backend_id the id its create got earlier in the write", async () => {
    const backend = new Backend();
    const ops: Op[] = [device(1), update(device(1, { peer: uid(2) })), device(2)];
    const report = await applyOps(request(ops), backend.options());
    assert.deepEqual(backend.calls, [
      `create ${uid(1)}`,
      `create ${uid(2)}`,
      `update ${uid(1)} 100`,
    ]);
    assert.deepEqual(report.applied.at(-1), {
      uid: uid(1),
      type_name: "dcim.device",
      backend_id: 100,
    });
    assert.deepEqual(backend.rows.get(100), { peer: 101 });
  });

  it("retries an op that throws Retry, or an error `retryable` marks, while rounds progress", async () => {
    class Conflict extends Error {}
    const backend = new Backend();
    const waits = { a: 2, b: 1 };
    const base = backend.options();
    const ops: Op[] = [site(1), site(2), site(3)];
    const report = await applyOps(request(ops), {
      ...base,
      retryable: (e) => e instanceof Conflict,
      create(op, ctx) {
        if (op.uid === uid(1) && waits.a-- > 0) throw new Retry("parent not there yet");
        if (op.uid === uid(2) && waits.b-- > 0) throw new Conflict("409");
        return base.create!(op, ctx);
      },
    });
    assert.deepEqual(report.applied.map((a) => a.uid), [uid(3), uid(2), uid(1)]);
  });

  it("ends with NoProgressError naming the ops of a ref cycle and the refs they miss", async () => {
    const backend = new Backend();
    const ops: Op[] = [device(1, { peer: uid(2) }), device(2, { peer: uid(1) })];
    const error = await applyOps(request(ops), backend.options()).catch((e) => e);
    assert.ok(error instanceof NoProgressError);
    assert.equal(
      error.message,
      `2 ops made no progress: ops[0] create dcim.device ${uid(1)} waits for dcim.device ${
        uid(2)
      }; ops[1] create dcim.device ${uid(2)} waits for dcim.device ${uid(1)}`,
    );
    assert.deepEqual(error.stuck.map((s) => s.index), [0, 1]);
    assert.deepEqual(backend.calls, []);
  });

  it("names a ref nothing binds or creates, in the key too, and an endless Retry's reason", async () => {
    const backend = new Backend();
    const eth0: Create = {
      op: "create",
      uid: uid(5),
      type_name: "dcim.interface",
      desired: {
        uid: uid(5),
        type: "dcim.interface",
        key: { device: uid(4), name: "eth0" },
        attrs: {},
      },
    };
    const base = backend.options();
    const ops: Op[] = [site(1), eth0, site(2)];
    const error = await applyOps(request(ops), {
      ...base,
      create(op, ctx) {
        if (op.type_name === "dcim.interface") ctx.backendKey(op);
        if (op.uid === uid(2)) throw new Retry("rate limited");
        return base.create!(op, ctx);
      },
    }).catch((e) => e);
    assert.equal(
      error.message,
      `2 ops made no progress: ops[1] create dcim.interface ${uid(5)} waits for dcim.device ${
        uid(4)
      }; ops[2] create dcim.site ${uid(2)}: rate limited`,
    );
    assert.deepEqual(backend.calls, [`create ${uid(1)}`]);
  });

  it("ends with OpFailedError naming the op and its cause, and starts nothing after it", async () => {
    const backend = new Backend();
    backend.broken.add(uid(2));
    const error = await applyOps(request([site(1), site(2), site(3)]), backend.options())
      .catch((e) => e);
    assert.ok(error instanceof OpFailedError);
    assert.equal(error.index, 1);
    assert.equal(error.message, `ops[1] create dcim.site ${uid(2)}: 500 internal error`);
    assert.equal(
      errorMessage(error, ""),
      `ops[1] create dcim.site ${uid(2)}: 500 internal error: disk full`,
    );
    assert.deepEqual(backend.calls, [`create ${uid(1)}`]);
  });

  it("fails an op whose function answers something that is not a backend id", async () => {
    const error = await applyOps(request([site(1)]), { create: () => -1 }).catch((e) => e);
    assert.equal(
      error.message,
      `ops[0] create dcim.site ${
        uid(1)
      }: create returned -1, not a backend id (a non-negative integer or a string)`,
    );
    const none = await applyOps(request([remove(1, 1)]), {}).catch((e) => e);
    assert.equal(
      none.message,
      `ops[0] delete dcim.device ${uid(1)}: applyOps was given no delete function`,
    );
  });

  it("answers the same report for sync and async functions", async () => {
    const ops =
      (): Op[] => [device(2, { site: uid(1) }), site(1), update(device(3), 7), remove(4, 8)];
    const sync = new Backend();
    const async = new Backend();
    const base = async.options();
    const fromSync = await applyOps(request(ops()), sync.options());
    const fromAsync = await applyOps(request(ops()), {
      create: async (op, ctx) => await base.create!(op, ctx),
      update: async (op, id, ctx) => await base.update!(op, id, ctx),
      delete: async (op, ctx) => await base.delete!(op, ctx),
    });
    assert.deepEqual(fromAsync, fromSync);
    assert.deepEqual(async.calls, sync.calls);
  });

  it("rejects a concurrency that is not a positive integer", async () => {
    for (const concurrency of [0, 1.5, -1]) {
      await assert.rejects(
        applyOps(request([]), { concurrency }),
        /concurrency must be a positive integer/,
      );
    }
  });
});

describe("applyOps: concurrency", () => {
  /** An async backend that logs when each call starts and ends, one timer tick apart. */
  function tracked(backend: Backend) {
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    let invoked = 0;
    const base = backend.options();
    const slow = async <T>(uid: string, work: () => T | Promise<T>): Promise<T> => {
      events.push(`start ${uid}`);
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 0));
      inFlight--;
      events.push(`end ${uid}`);
      return await work();
    };
    const options: ApplyOptions = {
      create: (op, ctx) => {
        invoked++;
        const attrs = ctx.backendAttrs(op); // before the call, as a real adapter resolves refs
        return slow(op.uid, () => {
          backend.calls.push(`create ${op.uid}`);
          backend.rows.set(backend.next, attrs);
          return backend.next++;
        });
      },
      update: (op, id, ctx) => slow(op.uid, () => base.update!(op, id, ctx)),
      delete: (op, ctx) => slow(op.uid, () => base.delete!(op, ctx)),
    };
    return { events, options, most: () => most, invoked: () => invoked };
  }

  it("keeps at most `concurrency` ops in flight, and starts one only after its targets' creates", async () => {
    const backend = new Backend();
    const { events, options, most, invoked } = tracked(backend);
    const ops: Op[] = [];
    for (let s = 1; s <= 4; s++) ops.push(site(s));
    for (let d = 10; d < 30; d++) ops.push(device(d, { site: uid(1 + (d % 4)) }));
    for (let d = 30; d < 34; d++) ops.push(device(d, { peer: uid(d - 20) })); // devices 10..13
    ops.push(update(device(10, { site: uid(2) })), remove(90, 9), remove(91, 10));
    const report = await applyOps(request(ops), { ...options, concurrency: 4 });
    assert.equal(most(), 4);
    // Each create ran once: none started before its target and had to wait for another round.
    assert.equal(invoked(), ops.filter((op) => op.op === "create").length);
    const at = (event: string) => events.indexOf(event);
    for (const op of ops) {
      if (op.op === "delete") continue;
      const targets = [op.desired.attrs.site, op.desired.attrs.peer].filter((t) => t !== undefined);
      for (const target of targets) {
        assert.ok(
          at(`end ${target}`) < at(`start ${op.uid}`),
          `${op.uid} started before ${target}`,
        );
      }
    }
    // The update of device 10 waits for the create of device 10.
    assert.ok(events.indexOf(`end ${uid(10)}`) < events.lastIndexOf(`start ${uid(10)}`));
    // Deletes run alone, after everything else.
    const last = events.slice(-4);
    assert.deepEqual(last, [
      `start ${uid(90)}`,
      `end ${uid(90)}`,
      `start ${uid(91)}`,
      `end ${uid(91)}`,
    ]);
    assert.equal(report.applied.length, ops.length);
    const ten = report.applied.filter((a) => a.uid === uid(10)).map((a) => a.backend_id);
    assert.equal(ten.length, 2);
    assert.equal(ten[0], ten[1], "the update writes to the object its create made");
  });

  it("retries a forward ref in the next round", async () => {
    const backend = new Backend();
    const { options } = tracked(backend);
    const ops: Op[] = [device(10, { site: uid(1) }), device(11), site(1)];
    const report = await applyOps(request(ops), { ...options, concurrency: 3 });
    assert.deepEqual(report.applied.map((a) => a.uid), [uid(11), uid(1), uid(10)]);
    assert.deepEqual(backend.rows.get(backend.next - 1), { site: report.applied[1]!.backend_id });
  });

  it("after a failure starts nothing new, lets the ops in flight finish and journals them", async () => {
    const backend = new Backend();
    const { options } = tracked(backend);
    const dir = journalDir();
    const ops: Op[] = [site(1), site(2), site(3), site(4), site(5), site(6)];
    const journal = { dir, instance: "concurrent" };
    const failing: ApplyOptions = {
      ...options,
      concurrency: 3,
      journal,
      warn: () => {},
      create: async (op, ctx) => {
        if (op.uid === uid(2)) throw new Error("refused");
        return await options.create!(op, ctx);
      },
    };
    const error = await applyOps(request(ops), failing).catch((e) => e);
    assert.equal(error.message, `ops[1] create dcim.site ${uid(2)}: refused`);
    assert.deepEqual(backend.calls, [`create ${uid(1)}`, `create ${uid(3)}`]);
    const report = await applyOps(request(ops), { ...options, concurrency: 3, journal });
    assert.deepEqual(report.resumed?.map((a) => a.uid), [uid(1), uid(3)]);
    assert.deepEqual(backend.calls.slice(2).sort(), [2, 4, 5, 6].map((n) => `create ${uid(n)}`));
  });
});

describe("applyOps: the journal", () => {
  const quiet = { warn: () => {} };

  it("lets a re-run of the same plan skip what was applied and report it in resumed", async () => {
    const dir = journalDir();
    const journal = { dir, instance: "netbox-prod" };
    const backend = new Backend();
    backend.broken.add(uid(3));
    const ops = (): Op[] => [site(1), device(2, { site: uid(1) }), device(3), remove(4, 40)];
    const notes: string[] = [];
    const error = await applyOps(
      request(ops()),
      backend.options({ journal, warn: (m) => notes.push(m) }),
    )
      .catch((e) => e);
    assert.equal(error.message, `ops[2] create dcim.device ${uid(3)}: 500 internal error`);
    const file = first(journalFiles(dir));
    assert.match(file, /netbox-prod\.[0-9a-f]{32}\.journal$/);
    assert.deepEqual(notes, [
      `alembic-adapter-sdk: the journal ${file} records 2 of 4 ops as applied; re-running the same plan resumes after them`,
    ]);

    backend.broken.clear();
    const report = await applyOps(request(ops()), backend.options({ journal }));
    assert.deepEqual(backend.calls, [
      `create ${uid(1)}`,
      `create ${uid(2)}`,
      `create ${uid(3)}`,
      `delete ${uid(4)}`,
    ]);
    assert.deepEqual(report, {
      applied: [
        { uid: uid(3), type_name: "dcim.device", backend_id: 102 },
        { uid: uid(4), type_name: "dcim.device" },
      ],
      resumed: [
        { uid: uid(1), type_name: "dcim.site", backend_id: 100 },
        { uid: uid(2), type_name: "dcim.device", backend_id: 101 },
      ],
      previously_applied_count: 2,
    });
    assert.deepEqual(journalFiles(dir), [], "the finished write removes its journal");
  });

  it("resolves refs to ops an earlier run created, and reports its deletes in applied", async () => {
    const dir = journalDir();
    const journal = { dir, instance: "x", durability: "disk" as const };
    const backend = new Backend();
    backend.broken.add(uid(11));
    const ops = (): Op[] => [site(1), remove(10, 5), remove(11, 6), device(2, { site: uid(1) })];
    await assert.rejects(applyOps(request(ops()), backend.options({ journal, ...quiet })));
    assert.deepEqual(backend.calls, [`create ${uid(1)}`, `create ${uid(2)}`, `delete ${uid(10)}`]);
    assert.equal(journalFiles(dir).length, 1, "a failed delete keeps the journal");

    backend.broken.clear();
    const report = await applyOps(request(ops()), backend.options({ journal }));
    assert.deepEqual(backend.calls.slice(3), [`delete ${uid(11)}`]);
    // The host clears a binding only for an `applied` entry without an id.
    assert.deepEqual(report.applied, [
      { uid: uid(11), type_name: "dcim.device" },
      { uid: uid(10), type_name: "dcim.device" },
    ]);
    assert.deepEqual(report.resumed?.map((a) => a.backend_id), [100, 101]);
    assert.equal(report.previously_applied_count, 3);
  });

  it("is scoped to the instance and the plan: another one's journal is never applied", async () => {
    const dir = journalDir();
    const backend = new Backend();
    backend.broken.add(uid(3));
    const plan = (name: string): Op[] => [site(1), site(2), device(3, { name })];
    const options = (instance: string) => backend.options({ journal: { dir, instance }, ...quiet });
    await assert.rejects(applyOps(request(plan("a")), options("one")));
    backend.broken.clear();

    const otherPlan = await applyOps(request(plan("b")), options("one"));
    assert.equal(otherPlan.resumed, undefined);
    const otherInstance = await applyOps(request(plan("a")), options("two"));
    assert.equal(otherInstance.resumed, undefined);
    assert.equal(journalFiles(dir).length, 1, "plan a of instance one keeps its journal");

    const resumed = await applyOps(request(plan("a")), options("one"));
    assert.equal(resumed.previously_applied_count, 2);
    assert.deepEqual(journalFiles(dir), []);
  });

  it("drops a torn last line with a warning, and applies the op it recorded again", async () => {
    const dir = journalDir();
    const journal = { dir, instance: "torn" };
    const backend = new Backend();
    backend.broken.add(uid(3));
    const ops = (): Op[] => [site(1), site(2), site(3)];
    await assert.rejects(applyOps(request(ops()), backend.options({ journal, ...quiet })));
    const file = first(journalFiles(dir));
    const whole = readFileSync(file, "utf8");
    const lines = whole.trimEnd().split("\n");
    // The second record half written, as a power cut mid-record leaves it.
    writeFileSync(file, `${lines.slice(0, 2).join("\n")}\n${lines[2]!.slice(0, 30)}`);

    backend.broken.clear();
    const notes: string[] = [];
    const failAgain = new Backend();
    failAgain.broken.add(uid(3));
    await assert.rejects(
      applyOps(request(ops()), failAgain.options({ journal, warn: (m) => notes.push(m) })),
    );
    assert.match(
      notes[0]!,
      new RegExp(`dropped the torn last line of the journal .*torn\\..*\\.journal \\(30 bytes\\)`),
    );
    assert.deepEqual(failAgain.calls, [`create ${uid(2)}`]);
    // What follows the cut is a whole record again.
    const after = readFileSync(file, "utf8");
    assert.ok(after.endsWith("\n"));
    after.trimEnd().split("\n").forEach((line) => JSON.parse(line));
    const report = await applyOps(request(ops()), backend.options({ journal }));
    assert.equal(report.previously_applied_count, 2);
  });

  it("refuses a journal damaged before its last line, naming the file and the line", async () => {
    const dir = journalDir();
    const journal = { dir, instance: "damaged" };
    const backend = new Backend();
    backend.broken.add(uid(3));
    const ops = (): Op[] => [site(1), site(2), site(3)];
    await assert.rejects(applyOps(request(ops()), backend.options({ journal, ...quiet })));
    const file = first(journalFiles(dir));
    const lines = readFileSync(file, "utf8").split("\n");
    lines[1] = lines[1]!.replace('"applied"', '"appl');
    writeFileSync(file, lines.join("\n"));
    backend.broken.clear();
    const calls = backend.calls.length;
    await assert.rejects(
      applyOps(request(ops()), backend.options({ journal })),
      {
        message:
          `journal ${file} is damaged at line 2: not a JSON record; move it away to start this plan afresh (the ops it records would then be applied again)`,
      },
    );
    assert.equal(backend.calls.length, calls, "nothing reaches the backend");
  });

  it("asks `recover` about an op a killed run left in doubt, instead of applying it again", async () => {
    const dir = journalDir();
    const journal = { dir, instance: "doubt" };
    const backend = new Backend();
    const byName = new Map<string, BackendId>();
    const base = backend.options();
    let crashAfter: string | undefined = uid(2);
    const options = (): ApplyOptions => ({
      journal,
      warn: () => {},
      create(op, ctx) {
        const id = base.create!(op, ctx);
        byName.set(op.uid, id as BackendId);
        // The call landed and the process died before its record: in doubt.
        if (op.uid === crashAfter) throw new Error("killed");
        return id;
      },
      recover: { create: (op) => byName.get(op.uid) },
    });
    await assert.rejects(applyOps(request([site(1), site(2), site(3)]), options()));
    assert.match(readFileSync(first(journalFiles(dir)), "utf8"), /"started":"create"/);
    crashAfter = undefined;
    const report = await applyOps(request([site(1), site(2), site(3)]), options());
    assert.deepEqual(backend.calls, [`create ${uid(1)}`, `create ${uid(2)}`, `create ${uid(3)}`]);
    assert.deepEqual(report.resumed?.map((a) => [a.uid, a.backend_id]), [[uid(1), 100], [
      uid(2),
      101,
    ]]);
    assert.equal(report.previously_applied_count, 2);

    // An op `recover` does not find is applied again.
    crashAfter = uid(5);
    await assert.rejects(applyOps(request([site(4), site(5)]), {
      ...options(),
      create(op, ctx) {
        if (op.uid === crashAfter) throw new Error("killed before the call");
        return base.create!(op, ctx);
      },
    }));
    crashAfter = undefined;
    const again = await applyOps(request([site(4), site(5)]), options());
    assert.deepEqual(again.applied.map((a) => a.uid), [uid(5)]);
    assert.deepEqual(backend.calls.slice(3), [`create ${uid(4)}`, `create ${uid(5)}`]);
  });

  it("answers the report when the finished write cannot remove its journal", async () => {
    const dir = journalDir();
    const backend = new Backend();
    const base = backend.options();
    const notes: string[] = [];
    const report = await applyOps(request([site(1), site(2)]), {
      journal: { dir, instance: "gone" },
      warn: (m) => notes.push(m),
      create(op, ctx) {
        // Someone else removes the file while the write runs.
        journalFiles(dir).forEach((f) => rmSync(f));
        return base.create!(op, ctx);
      },
    });
    assert.equal(report.applied.length, 2);
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!,
      /^alembic-adapter-sdk: could not remove the journal .*gone\..*\.journal: /,
    );
  });

  it("writes no journal for an empty write", async () => {
    const dir = join(journalDir(), "never");
    assert.deepEqual(await applyOps(request([]), { journal: { dir, instance: "x" } }), {
      applied: [],
    });
    assert.throws(() => readdirSync(dir), { code: "ENOENT" });
  });
});

describe("readJournal", () => {
  const ops: Op[] = [site(1), update(site(1), 5), remove(2, 6)];
  const hashes = planHashes("inst", ops);
  const plan = { instance: "inst", ops, opHashes: hashes.ops, hash: hashes.plan };
  const header = `{"alembic_journal":1,"instance":"inst","plan":"${hashes.plan}","ops":3}`;
  const rec = (i: number, extra: string, kind = "applied"): string => {
    const op = ops[i];
    assert.ok(op, `no op ${i} in the plan`);
    return `{"${kind}":"${op.op}","uid":"${op.uid}","type":"${op.type_name}","hash":"${
      hashes.ops[i]
    }"${extra}}`;
  };
  const read = (...lines: string[]) =>
    readJournal(new TextEncoder().encode(lines.join("\n")), "j.journal", plan);

  it("reads applied ops with their ids, and ops started and not applied", () => {
    const contents = read(
      header,
      rec(1, "", "started"),
      rec(0, ',"id":18446744073709551615'),
      rec(2, ""),
      rec(1, ',"id":"x"', "started"),
      "",
    );
    assert.deepEqual([...contents.applied], [[0, 18446744073709551615n], [2, undefined]]);
    assert.deepEqual([...contents.started], [1]);
  });

  it("drops a torn last line, with or without its newline, and keeps the bytes before it", () => {
    const kept = `${header}\n${rec(0, ',"id":1')}\n`;
    assert.equal(read(header, rec(0, ',"id":1'), rec(2, "").slice(0, 20)).keep, kept.length);
    assert.equal(read(header, rec(0, ',"id":1'), "\u0000\u0000\u0000", "").keep, kept.length);
    assert.equal(read(header.slice(0, 10)).keep, 0);
    assert.equal(read().keep, 0);
  });

  it("names the file and the line of any other damage", () => {
    const cases: Array<[string[], string]> = [
      [[header, "{", rec(0, ',"id":1'), ""], "at line 2: not a JSON record"],
      [["[]", ""], "at line 1: not a journal header"],
      [[header, "[1]", ""], "at line 2: not a JSON object"],
      [
        [header, '{"applied":"rename","uid":"u","type":"t","hash":"h"}', ""],
        'at line 2: expected "applied" or "started" with an op kind',
      ],
      [
        [header, rec(0, ',"id":1').replace(hashes.ops[0]!, "0000000000000000"), ""],
        `at line 2: create dcim.site ${uid(1)} (hash 0000000000000000) is not an op of this plan`,
      ],
      [
        [header, rec(0, ',"id":1').replace('"applied":"create"', '"applied":"update"'), ""],
        `at line 2: dcim.site ${uid(1)} is a create in this plan, not a update`,
      ],
      [[header, rec(0, ""), ""], "at line 2: create without a backend id"],
      [[header, rec(2, ',"id":1'), ""], "at line 2: a delete recorded with a backend id"],
      [
        [header, rec(0, ',"id":1'), rec(0, ',"id":1'), ""],
        `at line 3: create dcim.site ${uid(1)} applied more often than planned`,
      ],
      [[header, rec(0, ',"id":-1'), ""], "at line 2: create without a backend id"],
    ];
    for (const [lines, detail] of cases) {
      assert.throws(() => read(...lines), {
        message:
          `journal j.journal is damaged ${detail}; move it away to start this plan afresh (the ops it records would then be applied again)`,
      });
    }
  });

  it("refuses a journal of another plan, instance or format version", () => {
    const other = planHashes("inst", ops.slice(0, 2));
    for (
      const bad of [header.replace(hashes.plan, other.plan), header.replace('"inst"', '"other"')]
    ) {
      assert.throws(
        () => read(bad, ""),
        /journal j\.journal belongs to another plan or instance than its name says/,
      );
    }
    assert.throws(
      () => read(header.replace('"alembic_journal":1', '"alembic_journal":2'), ""),
      /journal j\.journal is format version 2, but this SDK reads version 1/,
    );
  });

  it("hashes an op the same whatever the order of its keys, and each op differently", () => {
    const reordered = JSON.parse(
      JSON.stringify(site(1), [
        "uid",
        "type_name",
        "op",
        "desired",
        "attrs",
        "name",
        "key",
        "slug",
        "type",
      ]),
    );
    assert.deepEqual(planHashes("i", [reordered]), planHashes("i", [site(1)]));
    assert.notEqual(planHashes("i", [site(1)]).plan, planHashes("j", [site(1)]).plan);
    assert.equal(new Set(planHashes("i", ops).ops).size, 3);
  });
});

describe("ApplyContext", () => {
  it("resolves refs through state and the ops applied so far, and throws MissingRef otherwise", () => {
    const ctx = new ApplyContext(schema, new State({ "dcim.site": { [uid(1)]: 7 } }));
    ctx.ids.bind("dcim.device", uid(2), 8);
    assert.deepEqual(
      ctx.backendAttrs(device(3, { site: uid(1), peer: uid(2), backups: [uid(1)] })),
      {
        site: 7,
        peer: 8,
        backups: [7],
      },
    );
    const eth0: Create = {
      op: "create",
      uid: uid(5),
      type_name: "dcim.interface",
      desired: {
        uid: uid(5),
        type: "dcim.interface",
        key: { device: uid(2), name: "eth0" },
        attrs: {},
      },
    };
    assert.deepEqual(ctx.backendKey(eth0), { device: 8, name: "eth0" });
    assert.equal(ctx.require("dcim.site", uid(1)), 7);
    assert.throws(
      () => ctx.require("dcim.site", uid(9)),
      (e) => e instanceof MissingRef && e.uid === uid(9),
    );
    assert.throws(() => ctx.backendAttrs(device(4, { peer: uid(9) })), MissingRef);
    assert.throws(
      () => ctx.backendAttrs({ ...site(1), type_name: "x" }),
      /type x is not in the write's schema/,
    );
  });
});
