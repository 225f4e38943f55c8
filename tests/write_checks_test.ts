// Write reports checked against the ops they answer (issue #13). First, where the mistakes
// start: the argument checks of applied() and deleted().
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applied, type AppliedOp, deleted, type Op, State, WriteIds } from "../mod.ts";
import { decodeOps } from "../codec.ts";
import { invoke, op, request, schemaOf } from "../testing.ts";

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
/** A test argument as its test's name shows it. */
const shown = (value: unknown): string =>
  typeof value === "bigint"
    ? `${value}n`
    : typeof value === "string" || (typeof value === "object" && value !== null)
    ? JSON.stringify(value)
    : String(value);

describe("applied() and deleted() refuse bad arguments where they are given", () => {
  const [create, update, del] = ops();
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
    }, request.write({ schema, ops: [wireOps[0]] }));
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
