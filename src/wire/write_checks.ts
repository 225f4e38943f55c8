/**
 * The write report checked against the ops it answers: what alembic will misread in an apply
 * report that the protocol's shapes accept. The handler runs {@linkcode checkWrite} on every
 * write before answering, and so does the conformance runner on every write case.
 *
 * alembic reads each entry of `applied` and `resumed` as the outcome of the op with the same
 * uid and type name: an entry with a backend id binds the uid to it, one without removes the
 * binding, and an op no entry names leaves state as it was.
 *
 * @module
 */

import { clip } from "./errors.ts";
import type { Op } from "./ops.ts";
import type { AppliedOp, ApplyReport } from "./results.ts";
import { type BackendId, canonicalUuid, type Uid } from "./values.ts";

/**
 * What a write report gets wrong, one kind per mistake:
 *
 * | kind | severity | the report … | alembic then … |
 * |---|---|---|---|
 * | `unknown_entry` | error | has an entry whose uid and type name match no op of the request | would bind state to an object nobody planned |
 * | `duplicate_entry` | error | reports one op twice (across `applied` and `resumed` too) | would keep whichever entry comes last |
 * | `missing_backend_id` | warning | reports a create or update without a backend id | records no binding (a create) or removes it (an update), so the next plan adopts the object by key or creates it again |
 * | `delete_with_backend_id` | warning | reports a delete with a backend id | keeps the uid bound to the deleted object |
 * | `unreported_op` | warning | lists an op in neither `applied` nor `resumed` | leaves its state as it was and plans the op again |
 *
 * Ops that share a uid and type name (a create and a later update of one object, which breaks
 * a reference cycle) may be reported by one entry or by one each.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { WriteProblemKind } from "@alembic-adapter/sdk/checks";
 * const refused: WriteProblemKind[] = ["unknown_entry", "duplicate_entry"];
 * assert.equal(refused.length, 2);
 * ```
 */
export type WriteProblemKind =
  | "unknown_entry"
  | "duplicate_entry"
  | "missing_backend_id"
  | "delete_with_backend_id"
  | "unreported_op";

/**
 * One problem of a write report. Its `message` is the text the SDK prints (a warning, on
 * stderr after `alembic-adapter-sdk: write report: `) or answers with (an error, after
 * `adapter produced an invalid write result: `); the texts are part of the API:
 *
 * - `unknown_entry`: `<entry>: <type> <uid> is no op of this write, and alembic would bind
 *   state to an object nobody planned`
 * - `duplicate_entry`: `<entry>: reports <op> again, after <first entry>, and alembic would
 *   keep whichever entry comes last`
 * - `missing_backend_id`, create: `<op>: <entry> has no backend_id, so alembic records no
 *   binding for the uid and its next plan adopts the object by key or creates it again`
 * - `missing_backend_id`, update: `<op>: <entry> has no backend_id, so alembic removes the
 *   uid's binding and its next plan adopts the object by key or creates it again`
 * - `delete_with_backend_id`: `<op>: <entry> has backend_id <id>, so alembic keeps the uid
 *   bound to the deleted object (report a delete with deleted(op))`
 * - `unreported_op`: `<op>: in neither applied nor resumed, so alembic leaves its state as it
 *   was and plans the op again`
 *
 * where `<op>` is `ops[<i>] <create|update|delete> <type> <uid>` and `<entry>` is
 * `applied[<j>]` or `resumed[<j>]`. No message holds a `;`, so a list of them joins on `; `.
 *
 * @example
 * ```ts
 * import type { WriteProblem } from "@alembic-adapter/sdk/checks";
 * const problem: WriteProblem = {
 *   kind: "unreported_op",
 *   severity: "warning",
 *   message:
 *     "ops[0] create dcim.site 065690e9-7b8d-5a15-acc8-a6db4c42efb5: in neither applied nor resumed, so alembic leaves its state as it was and plans the op again",
 *   op: 0,
 * };
 * ```
 */
export interface WriteProblem {
  /** The mistake. */
  kind: WriteProblemKind;
  /**
   * `error`: the SDK answers `ok:false` instead of the report. `warning`: it answers the report
   * and prints the message on stderr, because refusing would make alembic discard the whole
   * report, and with it the bindings of every op that did apply.
   */
  severity: "error" | "warning";
  /** What is wrong and what alembic will do because of it. */
  message: string;
  /** The index in the request's `ops` of the op concerned, when there is one. */
  op?: number;
  /** The report entry concerned, as `applied[2]` or `resumed[0]`, when there is one. */
  entry?: string;
}

/**
 * Options of {@linkcode checkWrite}.
 *
 * @example
 * ```ts
 * import type { CheckWriteOptions } from "@alembic-adapter/sdk/checks";
 * const fileEmitter: CheckWriteOptions = { assignsBackendIds: false };
 * ```
 */
export interface CheckWriteOptions {
  /**
   * `false` for a writer whose backend has no ids to report (an emitter that writes files):
   * creates and updates without a backend id are then not a problem. `true` by default.
   */
  assignsBackendIds?: boolean | undefined;
}

/**
 * Checks a write's report against the ops it answers: each entry of `applied` and `resumed`
 * must name an op of the request (by uid and type name, in any UUID spelling) and no op twice,
 * creates and updates must carry their backend id, deletes must not, and every op must be
 * reported. See {@link WriteProblemKind} for what each mistake makes alembic do.
 *
 * The report is taken as the encoder accepts it: `applied` may be absent, a `null`
 * `backend_id` is no backend id. Entries the encoder would refuse (no string `uid` or
 * `type_name`) are passed over: encoding the report names them.
 *
 * @param ops The write request's ops.
 * @param report What `write` returned for them.
 * @param options Whether the adapter assigns backend ids.
 * @returns The problems: the report entries' in report order, then the unreported ops in op
 * order. Empty for a report alembic reads as meant.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeOps } from "@alembic-adapter/sdk/codec";
 * import { checkWrite } from "@alembic-adapter/sdk/checks";
 *
 * const uid = "065690e9-7b8d-5a15-acc8-a6db4c42efb5";
 * const ops = decodeOps([
 *   { op: "create", uid, type_name: "dcim.site", desired: { uid, type: "dcim.site", key: { site: "fra1" } } },
 * ]);
 * const problems = checkWrite(ops, { applied: [{ uid, type_name: "dcim.site" }] });
 * assert.deepEqual(problems.map((p) => [p.kind, p.severity, p.op, p.entry]), [
 *   ["missing_backend_id", "warning", 0, "applied[0]"],
 * ]);
 * assert.deepEqual(checkWrite(ops, { applied: [{ uid, type_name: "dcim.site", backend_id: 1 }] }), []);
 * ```
 */
export function checkWrite(
  ops: readonly Op[],
  report: ApplyReport,
  options: CheckWriteOptions = {},
): WriteProblem[] {
  const assignsIds = options.assignsBackendIds !== false;
  const applied = entries(report.applied);
  const resumed = entries(report.resumed);
  // Nearly every report answers its ops one by one, in order, with the uid strings they came
  // with: one pass without a lookup table says so (a 100k-op write pays ~1 ms, not ~100).
  if (
    inStep(ops, applied, resumed, assignsIds) ||
    (resumed.length > 0 && inStep(ops, resumed, applied, assignsIds))
  ) {
    return [];
  }
  return problemsOf(ops, [["applied", applied], ["resumed", resumed]], assignsIds);
}

function entries(list: unknown): readonly unknown[] {
  return Array.isArray(list) ? list : [];
}

/** Whether `first` then `second` report `ops` one entry per op, in order, each as it should. */
function inStep(
  ops: readonly Op[],
  first: readonly unknown[],
  second: readonly unknown[],
  assignsIds: boolean,
): boolean {
  if (first.length + second.length !== ops.length) return false;
  for (let i = 0; i < ops.length; i++) {
    const entry = i < first.length ? first[i] : second[i - first.length];
    if (typeof entry !== "object" || entry === null) return false;
    const { uid, type_name: typeName, backend_id: id } = entry as Record<string, unknown>;
    const op = ops[i]!; // i < ops.length
    if (uid !== op.uid || typeName !== op.type_name) return false;
    const hasId = id !== undefined && id !== null;
    if (op.op === "delete" ? hasId : assignsIds && !hasId) return false;
  }
  return true;
}

/** The full check: every entry looked up by type and uid, then every op no entry named. */
function problemsOf(
  ops: readonly Op[],
  lists: ReadonlyArray<readonly [string, readonly unknown[]]>,
  assignsIds: boolean,
): WriteProblem[] {
  const n = ops.length;
  // Ops of one uid and type form a group, named by its first op and chained through `next`:
  // the k-th entry naming the group reports its k-th op.
  const groups = new Map<string, Map<Uid, number>>();
  const groupOf = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  const last = new Int32Array(n);
  const pending = new Int32Array(n);
  // Every index into ops and these arrays is an op's index (a group is its first op's), so
  // below `!` only marks what is in range; a check would cost on every entry of every write.
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    let byUid = groups.get(op.type_name);
    if (byUid === undefined) groups.set(op.type_name, byUid = new Map());
    const uid = canonical(op.uid);
    const group = byUid.get(uid);
    if (group === undefined) {
      byUid.set(uid, i);
      groupOf[i] = i;
      last[i] = i;
      pending[i] = i;
    } else {
      groupOf[i] = group;
      next[last[group]!] = i;
      last[group] = i;
    }
  }
  // Which entry reported each op, as its list's number plus twice its index; -1 for none.
  const reportedBy = new Int32Array(n).fill(-1);
  const entryName = (code: number): string => `${lists[code & 1]![0]}[${code >> 1}]`;
  const problems: WriteProblem[] = [];

  for (let l = 0; l < lists.length; l++) {
    const list = lists[l]![1];
    for (let j = 0; j < list.length; j++) {
      const entry = list[j];
      // The encoder's own checks name a malformed entry; this one judges only what it can read.
      if (!isEntry(entry)) continue;
      const at = entryName(j * 2 + l);
      const group = groups.get(entry.type_name)?.get(canonical(entry.uid));
      if (group === undefined) {
        problems.push({
          kind: "unknown_entry",
          severity: "error",
          message: `${at}: ${clip(entry.type_name)} ${entry.uid} is no op of this write, and ` +
            "alembic would bind state to an object nobody planned",
          entry: at,
        });
        continue;
      }
      const i = pending[group]!;
      if (i === -1) {
        const lastOp = last[group]!;
        problems.push({
          kind: "duplicate_entry",
          severity: "error",
          message: `${at}: reports ${opLabel(ops[lastOp]!, lastOp)} again, after ${
            entryName(reportedBy[lastOp]!)
          }, and alembic would keep whichever entry comes last`,
          op: lastOp,
          entry: at,
        });
        continue;
      }
      pending[group] = next[i]!;
      reportedBy[i] = j * 2 + l;
      const problem = idProblem(ops[i]!, i, entry, at, assignsIds);
      if (problem !== undefined) problems.push(problem);
    }
  }
  for (let i = 0; i < n; i++) {
    // An op is reported when any entry named its group: one entry may answer a create and the
    // update that follows it.
    if (reportedBy[groupOf[i]!] !== -1) continue;
    problems.push({
      kind: "unreported_op",
      severity: "warning",
      message: `${opLabel(ops[i]!, i)}: in neither applied nor resumed, so alembic leaves its ` +
        "state as it was and plans the op again",
      op: i,
    });
  }
  return problems;
}

/** A create or update without its backend id, or a delete with one. */
function idProblem(
  op: Op,
  i: number,
  entry: AppliedOp,
  at: string,
  assignsIds: boolean,
): WriteProblem | undefined {
  const id = entry.backend_id;
  const hasId = id !== undefined && id !== null;
  if (op.op === "delete" && hasId) {
    return {
      kind: "delete_with_backend_id",
      severity: "warning",
      message: `${opLabel(op, i)}: ${at} has backend_id ${idText(id)}, so alembic keeps ` +
        "the uid bound to the deleted object (report a delete with deleted(op))",
      op: i,
      entry: at,
    };
  }
  if (op.op !== "delete" && !hasId && assignsIds) {
    const effect = op.op === "create"
      ? "records no binding for the uid"
      : "removes the uid's binding";
    return {
      kind: "missing_backend_id",
      severity: "warning",
      message: `${opLabel(op, i)}: ${at} has no backend_id, so alembic ${effect} and its ` +
        "next plan adopts the object by key or creates it again",
      op: i,
      entry: at,
    };
  }
  return undefined;
}

/** How many problems one joined text names before it counts the rest. */
const LISTED = 10;

/**
 * Problems' messages as one line: the first ten joined by `; `, then how many more there are.
 *
 * @param problems At least one problem.
 * @returns The joined text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinProblems } from "./write_checks.ts";
 * assert.equal(joinProblems([{ kind: "unreported_op", severity: "warning", message: "a" }]), "a");
 * ```
 */
export function joinProblems(problems: readonly WriteProblem[]): string {
  const shown = problems.slice(0, LISTED).map((p) => p.message);
  if (problems.length > LISTED) shown.push(`and ${problems.length - LISTED} more`);
  return shown.join("; ");
}

/**
 * The `ok:false` text the handler answers instead of a report with these problems: when one
 * is an error, or, with `strict`, when there is any. The text names the problems that refuse
 * it.
 *
 * @param problems What {@linkcode checkWrite} found.
 * @param strict Whether warnings refuse the report too (the testing harness's `strictWrites`).
 * @returns `adapter produced an invalid write result: <messages>`, or `undefined` to answer.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeRefusal } from "./write_checks.ts";
 * const warning = { kind: "unreported_op", severity: "warning", message: "ops[0] …" } as const;
 * assert.equal(writeRefusal([warning], false), undefined);
 * assert.equal(writeRefusal([warning], true), "adapter produced an invalid write result: ops[0] …");
 * ```
 */
export function writeRefusal(
  problems: readonly WriteProblem[],
  strict: boolean,
): string | undefined {
  const refusing = strict ? problems : problems.filter((p) => p.severity === "error");
  return refusing.length === 0
    ? undefined
    : `adapter produced an invalid write result: ${joinProblems(refusing)}`;
}

/** How many warnings one write prints at most before it counts the rest. */
const PRINTED = 20;

/**
 * The stderr lines for a report's warnings: one per warning, up to twenty, then one line that
 * counts the rest (a backend that never reports ids would print one per op otherwise).
 *
 * @param problems What {@linkcode checkWrite} found; errors are left out.
 * @returns The lines, without newlines.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { warningLines } from "./write_checks.ts";
 * const warning = { kind: "unreported_op", severity: "warning", message: "ops[0] …" } as const;
 * assert.deepEqual(warningLines([warning]), ["alembic-adapter-sdk: write report: ops[0] …"]);
 * ```
 */
export function warningLines(problems: readonly WriteProblem[]): string[] {
  const warnings = problems.filter((p) => p.severity === "warning");
  const lines = warnings.slice(0, PRINTED).map((p) =>
    `alembic-adapter-sdk: write report: ${p.message}`
  );
  if (warnings.length > PRINTED) {
    lines.push(
      `alembic-adapter-sdk: write report: ${
        warnings.length - PRINTED
      } more warnings like these (checkWrite from @alembic-adapter/sdk/checks lists them all)`,
    );
  }
  return lines;
}

function isEntry(value: unknown): value is AppliedOp {
  if (typeof value !== "object" || value === null) return false;
  const { uid, type_name: typeName } = value as Record<string, unknown>;
  return typeof uid === "string" && typeof typeName === "string";
}

/** `ops[3] create dcim.site 065690e9-…`, the uid whole. */
function opLabel(op: Op, index: number): string {
  return `ops[${index}] ${op.op} ${clip(op.type_name)} ${op.uid}`;
}

/** A uid in the spelling alembic compares. */
function canonical(uid: Uid): Uid {
  // The host sends lowercase hyphenated uids and adapters echo them: skip the rewrite then.
  return uid.length === 36 && !/[A-F]/.test(uid) ? uid : canonicalUuid(uid) ?? uid;
}

/** A backend id as the message quotes it: an integer as is, a string in JSON quotes. */
function idText(id: BackendId): string {
  return typeof id === "string" ? JSON.stringify(clip(id)) : String(id);
}
