// Write reports checked against the ops they answer (issue #13): checkWrite's problems, the
// handler's stderr lines and refusals, the strict testing option, the argument checks of
// applied() and deleted(), and the conformance runner's write checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Adapter,
  applied,
  type AppliedOp,
  type ApplyReport,
  defineAdapter,
  deleted,
  type Op,
  type Schema,
  State,
  WriteIds,
} from "../mod.ts";
import { decodeOps, encodeResult, respond } from "../codec.ts";
import { checkWrite, type WriteProblem } from "../checks.ts";
import { type CheckOutcome, invoke, op, request, runConformance, schemaOf } from "../testing.ts";
import { runCli } from "../src/conformance/cli.ts";
import { judge } from "../src/conformance/judge.ts";
import { adapterCommand, oneDocument, pipe } from "./support/spawn.ts";
import { exchanges } from "./support/files.ts";
import { three } from "./support/tuple.ts";

const SITE = "dcim.site";
const FRA1 = "8c998348-947f-568d-bbb0-efbed3c3f903";
const AMS1 = "2cf5de18-8a26-594b-8705-9900f5e51b8e";
const OLD = "9b2a5d2c-0f0c-5d6e-9a57-1f0d3c6f7e11";

const schema = schemaOf({ [SITE]: { key: { slug: "slug" }, fields: { name: "string" } } });
/** ops[0] create fra1, ops[1] update ams1 (bound to 2), ops[2] delete old (bound to 3). */
const wireOps = [
  op.create(SITE, { slug: "fra1" }, { name: "FRA1" }),
  op.update(SITE, { slug: "ams1" }, { name: "AMS1" }, { backendId: 2 }),
  op.delete(SITE, { slug: "old" }, { uid: OLD, backendId: 3 }),
];
const ops = (): Op[] => decodeOps(structuredClone(wireOps));
const entry = (uid: string, backendId?: number | string): AppliedOp =>
  backendId === undefined
    ? { uid, type_name: SITE }
    : { uid, type_name: SITE, backend_id: backendId };
/** The report alembic reads as meant for `ops()`. */
const good = (): ApplyReport => ({ applied: [entry(FRA1, 1), entry(AMS1, 2), entry(OLD)] });

/** A test argument as its test's name shows it. */
const shown = (value: unknown): string =>
  typeof value === "bigint"
    ? `${value}n`
    : typeof value === "string" || (typeof value === "object" && value !== null)
    ? JSON.stringify(value)
    : String(value);

const brief = (problems: WriteProblem[]) =>
  problems.map((p) => ({ kind: p.kind, severity: p.severity, op: p.op, entry: p.entry }));

const MISSING_CREATE =
  `ops[0] create dcim.site ${FRA1}: applied[0] has no backend_id, so alembic records no binding for the uid and its next plan adopts the object by key or creates it again`;
const MISSING_UPDATE =
  `ops[1] update dcim.site ${AMS1}: applied[1] has no backend_id, so alembic removes the uid's binding and its next plan adopts the object by key or creates it again`;
const DELETE_WITH_ID =
  `ops[2] delete dcim.site ${OLD}: applied[2] has backend_id 3, so alembic keeps the uid bound to the deleted object (report a delete with deleted(op))`;
const unreported = (i: number, verb: string, uid: string) =>
  `ops[${i}] ${verb} dcim.site ${uid}: in neither applied nor resumed, so alembic leaves its state as it was and plans the op again`;

describe("checkWrite: each problem, with its text", () => {
  it("passes a report that names every op once, ids where alembic needs them", () => {
    assert.deepEqual(checkWrite(ops(), good()), []);
    assert.deepEqual(checkWrite([], { applied: [] }), []);
  });

  it("passes the canonical write fixture's answer", () => {
    const exchange = exchanges().get("write")!;
    const result = (exchange.response as { result: ApplyReport }).result;
    assert.deepEqual(checkWrite(decodeOps(exchange.request.ops), result), []);
  });

  it("missing_backend_id: a create or an update without its id (a warning)", () => {
    const problems = checkWrite(ops(), {
      applied: [entry(FRA1), { uid: AMS1, type_name: SITE, backend_id: null }, entry(OLD)],
    });
    assert.deepEqual(brief(problems), [
      { kind: "missing_backend_id", severity: "warning", op: 0, entry: "applied[0]" },
      { kind: "missing_backend_id", severity: "warning", op: 1, entry: "applied[1]" },
    ]);
    assert.deepEqual(problems.map((p) => p.message), [MISSING_CREATE, MISSING_UPDATE]);
  });

  it("delete_with_backend_id: a delete that keeps its id (a warning)", () => {
    const problems = checkWrite(ops(), {
      applied: [entry(FRA1, 1), entry(AMS1, 2), entry(OLD, 3)],
    });
    assert.deepEqual(problems, [{
      kind: "delete_with_backend_id",
      severity: "warning",
      message: DELETE_WITH_ID,
      op: 2,
      entry: "applied[2]",
    }]);
    const quoted = checkWrite(ops(), {
      applied: [entry(FRA1, 1), entry(AMS1, 2), entry(OLD, "x")],
    });
    assert.match(quoted[0]!.message, /: applied\[2\] has backend_id "x", so alembic keeps/);
  });

  it("unreported_op: `applied: []` for the ops given (a warning per op)", () => {
    assert.deepEqual(checkWrite(ops(), { applied: [] }), [
      { kind: "unreported_op", severity: "warning", message: unreported(0, "create", FRA1), op: 0 },
      { kind: "unreported_op", severity: "warning", message: unreported(1, "update", AMS1), op: 1 },
      { kind: "unreported_op", severity: "warning", message: unreported(2, "delete", OLD), op: 2 },
    ]);
    // `applied` may be absent, as the encoder allows.
    assert.equal(checkWrite(ops(), {} as ApplyReport).length, 3);
  });

  it("unknown_entry: an entry whose uid and type name match no op (an error)", () => {
    const stranger = "065690e9-7b8d-5a15-acc8-a6db4c42efb5";
    const problems = checkWrite(ops(), {
      applied: [...good().applied, entry(stranger, 9), {
        uid: FRA1,
        type_name: "dcim.device",
        backend_id: 4,
      }],
    });
    assert.deepEqual(problems, [
      {
        kind: "unknown_entry",
        severity: "error",
        message:
          `applied[3]: dcim.site ${stranger} is no op of this write, and alembic would bind state to an object nobody planned`,
        entry: "applied[3]",
      },
      {
        kind: "unknown_entry",
        severity: "error",
        message:
          `applied[4]: dcim.device ${FRA1} is no op of this write, and alembic would bind state to an object nobody planned`,
        entry: "applied[4]",
      },
    ]);
  });

  it("duplicate_entry: one op reported twice, within applied or across resumed (an error)", () => {
    const twice = checkWrite(ops(), { applied: [...good().applied, entry(FRA1, 1)] });
    assert.deepEqual(twice, [{
      kind: "duplicate_entry",
      severity: "error",
      message:
        `applied[3]: reports ops[0] create dcim.site ${FRA1} again, after applied[0], and alembic would keep whichever entry comes last`,
      op: 0,
      entry: "applied[3]",
    }]);
    const across = checkWrite(ops(), { applied: good().applied, resumed: [entry(AMS1, 2)] });
    assert.deepEqual(brief(across), [
      { kind: "duplicate_entry", severity: "error", op: 1, entry: "resumed[0]" },
    ]);
    assert.match(
      across[0]!.message,
      /^resumed\[0\]: reports ops\[1\] update .* after applied\[1\],/,
    );
  });

  it("counts resumed entries as reports, and checks their ids too", () => {
    const report = { applied: [entry(FRA1, 1)], resumed: [entry(AMS1, 2), entry(OLD, 3)] };
    assert.deepEqual(brief(checkWrite(ops(), report)), [
      { kind: "delete_with_backend_id", severity: "warning", op: 2, entry: "resumed[1]" },
    ]);
  });

  it("passes a good report in any order, split across applied and resumed", () => {
    const [create, update, del] = three(good().applied);
    assert.deepEqual(checkWrite(ops(), { applied: [del, update, create] }), []);
    assert.deepEqual(checkWrite(ops(), { applied: [update, del], resumed: [create] }), []);
    assert.deepEqual(checkWrite(ops(), { applied: [del], resumed: [update, create] }), []);
  });

  it("an entry for each op, in order, but one of the wrong type: named, and its op unreported", () => {
    const [, update, del] = three(good().applied);
    const wrongType = { uid: FRA1, type_name: "dcim.device", backend_id: 1 };
    assert.deepEqual(brief(checkWrite(ops(), { applied: [wrongType, update, del] })), [
      { kind: "unknown_entry", severity: "error", op: undefined, entry: "applied[0]" },
      { kind: "unreported_op", severity: "warning", op: 0, entry: undefined },
    ]);
  });

  it("matches uids in any spelling the host accepts", () => {
    const upper = `{${FRA1.toUpperCase()}}`;
    const report = {
      applied: [entry(upper, 1), entry(AMS1.replaceAll("-", ""), 2), entry(`urn:uuid:${OLD}`)],
    };
    assert.deepEqual(checkWrite(ops(), report), []);
  });

  it("a create and a later update of one uid: one entry or one each, not three", () => {
    const cycle = decodeOps([
      op.create(SITE, { slug: "fra1" }, { name: "FRA1" }),
      op.update(SITE, { slug: "fra1" }, { name: "FRA1 (renamed)" }),
    ]);
    assert.deepEqual(checkWrite(cycle, { applied: [entry(FRA1, 1)] }), []);
    assert.deepEqual(checkWrite(cycle, { applied: [entry(FRA1, 1), entry(FRA1, 1)] }), []);
    assert.deepEqual(
      brief(checkWrite(cycle, { applied: [entry(FRA1, 1), entry(FRA1, 1), entry(FRA1, 1)] })),
      [{ kind: "duplicate_entry", severity: "error", op: 1, entry: "applied[2]" }],
    );
    // The second entry answers the update: without an id it unbinds what the first bound.
    assert.match(
      checkWrite(cycle, { applied: [entry(FRA1, 1), entry(FRA1)] })[0]!.message,
      /^ops\[1\] update dcim\.site .*: applied\[1\] has no backend_id, so alembic removes/,
    );
  });

  it("assignsBackendIds: false lets creates and updates go without ids, nothing else", () => {
    const report = { applied: [entry(FRA1), entry(AMS1), entry(OLD, 3)] };
    assert.deepEqual(brief(checkWrite(ops(), report, { assignsBackendIds: false })), [
      { kind: "delete_with_backend_id", severity: "warning", op: 2, entry: "applied[2]" },
    ]);
    assert.equal(checkWrite(ops(), { applied: [] }, { assignsBackendIds: false }).length, 3);
  });

  it("messages hold no `;`, so a list of them joins on one", () => {
    const all = checkWrite(ops(), {
      applied: [entry(FRA1), entry(AMS1), entry(OLD, 3), entry(OLD), entry(FRA1.replace("8", "9"))],
    });
    assert.deepEqual(new Set(all.map((p) => p.kind)).size, 4);
    for (const p of all) assert.ok(!p.message.includes(";"), p.message);
  });
});

/** An adapter whose write answers `report(ops)`, and the notes the handler sends to warn. */
async function answer(
  report: (ops: Op[]) => ApplyReport,
  options: { strictWrites?: boolean; assignsBackendIds?: boolean } = {},
): Promise<{ reply: unknown; notes: string[] }> {
  const notes: string[] = [];
  const adapter = {
    write: (_schema: Schema, ops: Op[]) => report(ops),
    ...(options.assignsBackendIds === undefined
      ? {}
      : { assignsBackendIds: options.assignsBackendIds }),
  };
  const line = await respond(adapter, JSON.stringify(request.write({ schema, ops: wireOps })), {
    warn: (m) => notes.push(m),
    strictWrites: options.strictWrites,
  });
  return { reply: JSON.parse(line), notes };
}

describe("the handler checks every write report before answering", () => {
  it("answers a good report as it is, with nothing on the warn channel", async () => {
    const { reply, notes } = await answer(good);
    assert.deepEqual(reply, { ok: true, result: { ...good(), provision: {} } });
    assert.deepEqual(notes, []);
  });

  it("answers ok:true and prints one line per warning", async () => {
    const { reply, notes } = await answer(() => ({
      applied: [entry(FRA1), entry(AMS1, 2), entry(OLD, 3)],
    }));
    assert.deepEqual(reply, {
      ok: true,
      result: { applied: [entry(FRA1), entry(AMS1, 2), entry(OLD, 3)], provision: {} },
    });
    assert.deepEqual(notes, [
      `alembic-adapter-sdk: write report: ${MISSING_CREATE}`,
      `alembic-adapter-sdk: write report: ${DELETE_WITH_ID}`,
    ]);
  });

  it("a defineAdapter adapter with assignsBackendIds: false is not warned about missing ids", async () => {
    const notes: string[] = [];
    const adapter = defineAdapter({
      name: "emitter",
      version: "1.0.0",
      assignsBackendIds: false,
      write: (_schema, ops) => ({
        applied: ops.map((o) => ({ uid: o.uid, type_name: o.type_name })),
      }),
    });
    const line = await respond(adapter, JSON.stringify(request.write({ schema, ops: wireOps })), {
      warn: (m) => notes.push(m),
    });
    assert.equal(JSON.parse(line).ok, true);
    // Only the delete is left to warn about: it was reported, and without an id, so nothing.
    assert.deepEqual(notes, []);
  });

  it("warns about `applied: []` for the ops it was given", async () => {
    const { reply, notes } = await answer(() => ({ applied: [] }));
    assert.deepEqual(reply, { ok: true, result: { applied: [], provision: {} } });
    assert.deepEqual(notes, [
      `alembic-adapter-sdk: write report: ${unreported(0, "create", FRA1)}`,
      `alembic-adapter-sdk: write report: ${unreported(1, "update", AMS1)}`,
      `alembic-adapter-sdk: write report: ${unreported(2, "delete", OLD)}`,
    ]);
  });

  it("refuses an entry that names no op, naming the entry", async () => {
    const stranger = "065690e9-7b8d-5a15-acc8-a6db4c42efb5";
    const { reply, notes } = await answer(() => ({
      applied: [...good().applied, entry(stranger, 9)],
    }));
    assert.deepEqual(reply, {
      ok: false,
      error:
        `adapter produced an invalid write result: applied[3]: dcim.site ${stranger} is no op of this write, and alembic would bind state to an object nobody planned`,
    });
    assert.deepEqual(notes, []);
  });

  it("refuses one op reported twice, and does not print the warnings of a refused report", async () => {
    const { reply, notes } = await answer(() => ({
      applied: [entry(FRA1)],
      resumed: [entry(FRA1, 1)],
    }));
    assert.deepEqual(reply, {
      ok: false,
      error:
        `adapter produced an invalid write result: resumed[0]: reports ops[0] create dcim.site ${FRA1} again, after applied[0], and alembic would keep whichever entry comes last`,
    });
    assert.deepEqual(notes, []);
  });

  it("prints twenty warnings at most, then counts the rest", async () => {
    const many = Array.from({ length: 25 }, (_, i) => op.create(SITE, { slug: `s${i}` }));
    const notes: string[] = [];
    const line = await respond(
      { write: () => ({ applied: [] }) },
      JSON.stringify(request.write({ schema, ops: many })),
      { warn: (m) => notes.push(m) },
    );
    assert.equal(JSON.parse(line).ok, true);
    assert.equal(notes.length, 21);
    assert.match(notes[19]!, /^alembic-adapter-sdk: write report: ops\[19\] create /);
    assert.equal(
      notes[20],
      "alembic-adapter-sdk: write report: 5 more warnings like these (checkWrite from @alembic-adapter/sdk/checks lists them all)",
    );
  });

  it("an adapter without backend ids says so, and draws no warning for leaving them out", async () => {
    const noIds = () => ({ applied: [entry(FRA1), entry(AMS1), entry(OLD)] });
    assert.equal((await answer(noIds)).notes.length, 2);
    assert.deepEqual((await answer(noIds, { assignsBackendIds: false })).notes, []);
    class FileEmitter extends Adapter {
      override readonly assignsBackendIds = false;
      override write(): ApplyReport {
        return noIds();
      }
    }
    const notes: string[] = [];
    await respond(new FileEmitter(), JSON.stringify(request.write({ schema, ops: wireOps })), {
      warn: (m) => notes.push(m),
    });
    assert.deepEqual(notes, []);
    assert.equal(new Adapter().assignsBackendIds, true);
  });

  it("checks against the ops as sent, even when the adapter empties its array", async () => {
    const { notes } = await answer((ops) => {
      ops.length = 0;
      return { applied: [] };
    });
    assert.equal(notes.length, 3);
  });

  it("answers the report when the warn channel throws", async () => {
    const line = await respond(
      { write: () => ({ applied: [] }) },
      JSON.stringify(request.write({ schema, ops: wireOps })),
      {
        warn: () => {
          throw new Error("stderr is gone");
        },
      },
    );
    assert.deepEqual(JSON.parse(line), { ok: true, result: { applied: [], provision: {} } });
  });

  it("still answers one line when the report cannot be read again after encoding", async () => {
    let reads = 0;
    let limit = Infinity;
    const report = {
      get applied(): AppliedOp[] {
        if (++reads > limit) throw new Error("the report is gone");
        return [];
      },
    };
    // As many reads as the encoder makes succeed; the check's read is the one after them.
    encodeResult("write", report);
    [limit, reads] = [reads, 0];
    const line = await respond(
      { write: () => report },
      JSON.stringify(request.write({ schema, ops: wireOps })),
      { warn: () => {} },
    );
    assert.deepEqual(JSON.parse(line), {
      ok: false,
      error: "the write report could not be checked: the report is gone",
    });
  });

  it("leaves a malformed report to the encoder's message", async () => {
    const { reply } = await answer(() => ({ applied: [{ uid: "nope", type_name: SITE }] }));
    assert.deepEqual(reply, {
      ok: false,
      error:
        'adapter produced an invalid write result: applied[0].uid: expected a UUID, got "nope"',
    });
  });
});

describe("invoke's strictWrites: every write problem fails the reply", () => {
  const adapter = {
    write: (): ApplyReport => ({ applied: [entry(FRA1), entry(AMS1, 2), entry(OLD)] }),
  };
  const write = request.write({ schema, ops: wireOps });

  it("answers ok:false naming the warnings, where the default answers ok:true", async () => {
    assert.equal((await invoke(adapter, write)).ok, true);
    assert.deepEqual(await invoke(adapter, write, { strictWrites: true }), {
      ok: false,
      error: `adapter produced an invalid write result: ${MISSING_CREATE}`,
    });
  });

  it("names every problem, ten at most", async () => {
    const many = Array.from({ length: 12 }, (_, i) => op.create(SITE, { slug: `s${i}` }));
    const reply = await invoke(
      { write: () => ({ applied: [] }) },
      request.write({ schema, ops: many }),
      {
        strictWrites: true,
      },
    );
    assert.equal(reply.ok, false);
    if (reply.ok) return;
    const parts = reply.error.split("; ");
    assert.equal(parts.length, 11);
    assert.match(parts[9]!, /^ops\[9\] create /);
    assert.equal(parts[10], "and 2 more");
  });

  it("lets a good report through", async () => {
    const reply = await invoke({ write: good }, write, { strictWrites: true });
    assert.deepEqual(reply, { ok: true, result: { ...good(), provision: {} } });
  });
});

describe("applied() and deleted() refuse bad arguments where they are given", () => {
  const [create, update, del] = three(ops());
  const badIds: Array<[unknown, string]> = [
    [Number.NaN, "is NaN"],
    [Infinity, "is Infinity"],
    [-Infinity, "is -Infinity"],
    [1.5, "is 1.5, not an integer"],
    [-1, "is -1, a negative number"],
    [
      2 ** 53,
      "is 9007199254740992, beyond 2^53-1 where a number stops holding integers exactly (use a bigint or a string)",
    ],
    ["", "is an empty string"],
    [-1n, "is -1n, a negative bigint"],
    [2n ** 64n, "is 18446744073709551616n, beyond 2^64-1"],
    [undefined, "is undefined, not a number, bigint or string"],
    [null, "is null, not a number, bigint or string"],
    [true, "is true, not a number, bigint or string"],
    [{ id: 7 }, "is an object, not a number, bigint or string"],
  ];
  for (const [id, problem] of badIds) {
    it(`applied(op, ${shown(id)}): ${problem}`, () => {
      assert.throws(() => applied(create, id as number), {
        name: "TypeError",
        message:
          `applied(op, backendId): the backend id of dcim.site ${FRA1} ${problem}: pass the id the backend holds the object under (a non-negative safe integer, a bigint up to 2^64-1, or a non-empty string)`,
      });
    });
  }

  it("takes every valid backend id", () => {
    for (const id of [0, 7, Number.MAX_SAFE_INTEGER, 0n, 2n ** 64n - 1n, "dev-7", " "]) {
      assert.deepEqual(applied(update, id), { uid: AMS1, type_name: SITE, backend_id: id });
    }
  });

  it("applied() of a delete says to use deleted()", () => {
    assert.throws(() => applied(del, 3), {
      name: "TypeError",
      message:
        `applied(op, backendId): op is a delete of dcim.site ${OLD}: report a delete with deleted(op), without a backend id`,
    });
  });

  it("deleted() of a create or an update says to use applied()", () => {
    assert.throws(() => deleted(create), {
      name: "TypeError",
      message:
        `deleted(op): op is a create of dcim.site ${FRA1}: report a create or an update with applied(op, backendId)`,
    });
    assert.throws(() => deleted(update), {
      name: "TypeError",
      message:
        `deleted(op): op is an update of dcim.site ${AMS1}: report a create or an update with applied(op, backendId)`,
    });
    assert.deepEqual(deleted(del), { uid: OLD, type_name: SITE });
  });

  it("both refuse what is not an op", () => {
    const notOps: Array<[unknown, string]> = [
      [undefined, "got undefined"],
      [null, "got null"],
      ["create", 'got "create"'],
      [
        { op: "upsert", uid: FRA1, type_name: SITE },
        'got an object whose `op` is "upsert", not create, update or delete',
      ],
      [{ op: "create", uid: 7, type_name: SITE }, "got a create whose uid is 7"],
      [{ op: "delete", uid: FRA1, type_name: "" }, 'got a delete whose type_name is ""'],
    ];
    for (const [value, got] of notOps) {
      assert.throws(() => applied(value as Op, 1), {
        name: "TypeError",
        message: `applied(op, backendId): op must be an op of the write request, ${got}`,
      });
      assert.throws(() => deleted(value as Op), {
        name: "TypeError",
        message: `deleted(op): op must be an op of the write request, ${got}`,
      });
    }
  });

  it("WriteIds.applied refuses the same, and records nothing it refused", () => {
    const ids = new WriteIds(new State());
    assert.throws(() => ids.applied(create, Number.NaN), TypeError);
    assert.equal(ids.backendId(SITE, FRA1), undefined);
    assert.throws(() => ids.applied(del, 3), /report a delete with deleted\(op\)/);
    assert.equal(ids.backendId(SITE, OLD), undefined);
    assert.deepEqual(ids.applied(create, 1), entry(FRA1, 1));
    assert.equal(ids.backendId(SITE, FRA1), 1);
  });

  it("so a write fails before its backend change, not after", async () => {
    const committed: string[] = [];
    const reply = await invoke({
      write: (_schema, ops) => {
        const entries = ops.map((o) => applied(o, Number.NaN));
        committed.push("changed the backend");
        return { applied: entries };
      },
    }, request.write({ schema, ops: [wireOps[0]!] }));
    assert.deepEqual(committed, []);
    assert.equal(reply.ok, false);
    if (!reply.ok) {
      assert.match(
        reply.error,
        /^applied\(op, backendId\): the backend id of dcim\.site .* is NaN/,
      );
    }
  });
});

describe("through a real process", () => {
  it("a create reported without its id answers ok:true and warns on stderr", async () => {
    const uid = "065690e9-7b8d-5a15-acc8-a6db4c42efb5";
    const outcome = await pipe(
      [...adapterCommand("tests/adapters/broken_adapter", ["--allow-read"]), "create-without-id"],
      JSON.stringify(request.write({
        schema: schemaOf({ [SITE]: { key: { site: "slug" } } }),
        ops: [op.create(SITE, { site: "fra1" })],
      })),
    );
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.deepEqual(oneDocument(outcome.stdout), {
      ok: true,
      result: { applied: [{ uid, type_name: SITE }], provision: {} },
    });
    assert.equal(
      outcome.stderr,
      `alembic-adapter-sdk: write report: ops[0] create dcim.site ${uid}: applied[0] has no backend_id, so alembic records no binding for the uid and its next plan adopts the object by key or creates it again\n`,
    );
  });
});

describe("the conformance runner checks every write it sends", () => {
  const broken = (mode: string) => [
    ...adapterCommand("tests/adapters/broken_adapter", ["--allow-read"]),
    mode,
  ];
  const failures = (outcomes: CheckOutcome[]) =>
    Object.fromEntries(
      outcomes.filter((o) => o.verdict === "failed").map((o) => [o.name, o.detail ?? ""]),
    );

  it("fails a write case whose create comes back without its id", async () => {
    const { outcomes } = await runConformance(broken("create-without-id"), {
      cases: "tests/cases/write_checks",
    });
    assert.deepEqual(failures(outcomes), {
      "case/a create is reported with its backend id":
        "write report misleads alembic: ops[0] create dcim.site 065690e9-7b8d-5a15-acc8-a6db4c42efb5: applied[0] has no backend_id, so alembic records no binding for the uid and its next plan adopts the object by key or creates it again",
    });
    const lenient = await runConformance(broken("create-without-id"), {
      cases: "tests/cases/write_checks",
      assignsBackendIds: false,
    });
    assert.deepEqual(failures(lenient.outcomes), {});
  });

  it("--no-backend-ids on the command line, for a backend without ids", async () => {
    const io = { stdout: () => {}, stderr: () => {} };
    const args = ["--cases", "tests/cases/write_checks", "--", ...broken("create-without-id")];
    assert.equal(await runCli(args, io), 1);
    assert.equal(await runCli(["--no-backend-ids", ...args], io), 0);
  });

  it("fails the built-in write-empty when the report names an op nobody sent", async () => {
    const { outcomes } = await runConformance(broken("phantom-entry"), { writeChecks: true });
    assert.deepEqual(failures(outcomes), {
      "protocol/write-empty":
        "write report misleads alembic: applied[0]: dcim.site 065690e9-7b8d-5a15-acc8-a6db4c42efb5 is no op of this write, and alembic would bind state to an object nobody planned",
    });
  });

  it("judges in-process: after the payload check, before the expected result", () => {
    const answered = (stdout: string) => ({
      status: { kind: "exited" as const, code: 0 },
      stdout: new TextEncoder().encode(stdout),
      stderr: new Uint8Array(),
    });
    const write = request.write({ schema, ops: wireOps }) as Record<string, unknown>;
    const line = (report: unknown) => `${JSON.stringify({ ok: true, result: report })}\n`;
    const expect = { ok: true, result: new Map([["applied", []]]) };
    assert.equal(
      judge(answered(line({ applied: [] })), "write", { kind: "case", expect, request: write })
        .failure,
      `write report misleads alembic: ${unreported(0, "create", FRA1)}; ${
        unreported(1, "update", AMS1)
      }; ${unreported(2, "delete", OLD)}`,
    );
    assert.equal(
      judge(answered(line(good())), "write", { kind: "success", request: write }).failure,
      undefined,
    );
    // A request whose ops do not decode is the adapter's to refuse, not this check's.
    assert.equal(
      judge(answered(line({ applied: [] })), "write", {
        kind: "success",
        request: { ops: "none" },
      }).failure,
      undefined,
    );
  });
});
