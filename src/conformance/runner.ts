/**
 * The conformance runner: the built-in checks of alembic's `alembic-adapter-test` (0.10), then
 * case files, and optionally the narrowing re-reads of the pre-0.10 scope era. Beyond upstream,
 * every write it sends has its report checked against the ops (`checkWrite`).
 *
 * @module
 */

import { keyString } from "../identity/uids.ts";
import type { Case } from "./cases.ts";
import { toPlain } from "../testing/exact_json.ts";
import { judge } from "./judge.ts";
import type { Verdict } from "../testing/read_envelope.ts";
import { type ProcessOutcome, runProcess, statusText } from "../testing/process.ts";

/** How to run the suite. */
export interface RunnerOptions {
  /** The adapter's argv; the program is looked up in `PATH`. */
  adapter: string[];
  /** Cases to run after the built-ins. */
  cases?: Case[];
  /** Whole seconds per adapter process (10 by default). */
  timeoutSeconds?: number;
  /** Also run the checks that write (`protocol/write-empty`, `protocol/ensure-schema-empty`). */
  writeChecks?: boolean;
  /** Also run the pre-0.10 narrowing re-reads after each read case. */
  scopeChecks?: boolean;
  /** The adapter's working directory; inherited by default. */
  cwd?: string;
  /**
   * `false` when the adapter's backend has no ids (an emitter that writes files): write
   * reports may then leave them out of creates and updates.
   */
  assignsBackendIds?: boolean | undefined;
}

/**
 * One reported line: a check's name and its outcome.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type CheckOutcome, runConformance } from "@alembic-adapter/sdk/testing";
 * const report = await runConformance(["deno", "run", "examples/example_adapter.ts"]);
 * const failed: CheckOutcome[] = report.outcomes.filter((o) => o.verdict === "failed");
 * assert.deepEqual(failed, [], report.text);
 * assert.deepEqual(report.outcomes.filter((o) => o.verdict === "skipped").map((o) => o.name), [
 *   "protocol/write-empty", // writes are opt-in: writeChecks
 *   "protocol/ensure-schema-empty",
 * ]);
 * ```
 */
export interface CheckOutcome {
  /** `protocol/read-empty`, `case/<name>`, … */
  name: string;
  /** `ok`, `failed`, or `skipped`. */
  verdict: "ok" | "failed" | "skipped";
  /** The failure message or the reason for the skip. */
  detail?: string;
  /** The failing process, for the diagnostics. */
  process?: ProcessOutcome;
}

const EMPTY_SCHEMA = { types: {} };
const READ_EMPTY = {
  version: 1,
  setup: {},
  method: "read",
  schema: EMPTY_SCHEMA,
  types: [],
  state: {},
};
const WRITES_OPT_IN = "writes are opt-in, pass --write-checks";

/**
 * Runs the suite against an adapter.
 *
 * @param options What to run.
 * @returns The outcomes, in report order.
 */
export async function runChecks(options: RunnerOptions): Promise<CheckOutcome[]> {
  const timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
  const send = (request: unknown) =>
    runProcess(options.adapter, typeof request === "string" ? request : JSON.stringify(request), {
      timeoutMs,
      cwd: options.cwd,
    });
  const writes = { assignsBackendIds: options.assignsBackendIds };
  const outcome = (name: string, process: ProcessOutcome, verdict: Verdict): CheckOutcome =>
    verdict.failure === undefined
      ? { name, verdict: "ok" }
      : { name, verdict: "failed", detail: verdict.failure, process };

  // The probe runs first and sets the role; spawn order then follows upstream's.
  const probe = await send({ version: 1, setup: {}, method: "capabilities" });
  const probed = judge(probe, "capabilities", { kind: "success" });
  let role = "adapter";
  const probeResult = probed.envelope?.result;
  if (probed.failure === undefined && probeResult !== undefined) {
    role = (toPlain(probeResult) as { role?: string }).role ?? "adapter";
  } else if (
    probed.failure !== undefined && probed.envelope?.ok === false && probed.envelope.error
  ) {
    probed.failure = undefined; // a structured refusal means "adapter"
  }
  const mismatch = role === "emitter"
    ? { version: 2, setup: {}, method: "preview_schema", schema: EMPTY_SCHEMA }
    : { ...READ_EMPTY, version: 2 };
  const versionOutcome = await send(mismatch);
  const invalidJson = await send("not json");
  const unknownMethod = await send({ version: 1, setup: {}, method: "frobnicate" });

  const results: CheckOutcome[] = [
    outcome("protocol/invalid-json", invalidJson, judge(invalidJson, "read", { kind: "error" })),
    outcome(
      "protocol/version-mismatch",
      versionOutcome,
      judge(versionOutcome, mismatch.method, { kind: "error" }),
    ),
    outcome(
      "protocol/unknown-method",
      unknownMethod,
      judge(unknownMethod, "read", { kind: "error" }),
    ),
    outcome("protocol/capabilities", probe, probed),
  ];
  if (role !== "emitter") {
    const p = await send(READ_EMPTY);
    results.push(outcome("protocol/read-empty", p, judge(p, "read", { kind: "success" })));
  }
  const writing = async (name: string, method: string, request: Record<string, unknown>) => {
    if (!options.writeChecks) {
      return results.push({ name, verdict: "skipped", detail: WRITES_OPT_IN });
    }
    const p = await send(request);
    return results.push(outcome(name, p, judge(p, method, { kind: "success", request }, writes)));
  };
  if (role !== "observer") {
    await writing("protocol/write-empty", "write", {
      version: 1,
      setup: {},
      method: "write",
      schema: EMPTY_SCHEMA,
      ops: [],
      state: {},
    });
    const p = await send({ version: 1, setup: {}, method: "preview_schema", schema: EMPTY_SCHEMA });
    results.push(
      outcome("protocol/preview-schema-empty", p, judge(p, "preview_schema", { kind: "success" })),
    );
    await writing("protocol/ensure-schema-empty", "ensure_schema", {
      version: 1,
      setup: {},
      method: "ensure_schema",
      schema: EMPTY_SCHEMA,
    });
  }

  for (const c of options.cases ?? []) {
    const method = typeof c.request.method === "string" ? c.request.method : "";
    const p = await send(c.requestText);
    const verdict = judge(p, method, {
      kind: "case",
      expect: c.expect,
      request: c.request,
    }, writes);
    results.push(outcome(`case/${c.name}`, p, verdict));
    if (options.scopeChecks && method === "read" && c.expect.ok) {
      results.push(...await narrowingArms(c, send));
    }
  }
  return results;
}

type ObjectLike = { type_name?: unknown; key?: unknown; backend_id?: unknown };

/**
 * The pre-0.10 narrowing re-reads: an adapter that drops an object the
 * scope names fails. Released alembic hosts do not send `scope`; these check adapters that
 * honour it for hosts that do.
 */
async function narrowingArms(
  c: Case,
  send: (request: unknown) => Promise<ProcessOutcome>,
): Promise<CheckOutcome[]> {
  const arms = ["narrowed on keys", "narrowed on backend ids", "narrowed on unnarrowed"] as const;
  const named = (arm: string) => `case/${c.name} (legacy scope: ${arm})`;
  const skipAll = (reason: string) =>
    arms.map((arm) => ({ name: named(arm), verdict: "skipped" as const, detail: reason }));
  const full = await send({ ...c.request, scope: { kind: "full" } });
  const fullVerdict = judge(full, "read", { kind: "success" });
  const objects = fullVerdict.envelope?.result === undefined
    ? undefined
    : toPlain(fullVerdict.envelope.result);
  if (fullVerdict.failure !== undefined || !Array.isArray(objects)) {
    return skipAll(`the unscoped read failed: ${fullVerdict.failure ?? "no result"}`);
  }
  if (objects.length === 0) {
    return skipAll("the unscoped read returned no object to narrow against");
  }
  const all = objects as ObjectLike[];
  const keys: Record<string, Array<{ key: unknown; canonical: string }>> = {};
  const ids: Record<string, unknown[]> = {};
  for (const o of all) {
    const type = String(o.type_name);
    const canonical = keyString(o.key as never);
    const list = (keys[type] ??= []);
    if (!list.some((k) => k.canonical === canonical)) list.push({ key: o.key, canonical });
    if (o.backend_id !== undefined && o.backend_id !== null) (ids[type] ??= []).push(o.backend_id);
  }
  for (const list of Object.values(keys)) list.sort((a, b) => (a.canonical < b.canonical ? -1 : 1));
  const heldOut = refKeyedTypes(c.request.schema, c.request.types);
  const scopes: Array<[string, Record<string, unknown>, string | undefined]> = [
    [arms[0], { kind: "narrowed", backend_ids: {}, keys, unnarrowed: [] }, undefined],
    [
      arms[1],
      { kind: "narrowed", backend_ids: ids, keys: {}, unnarrowed: [] },
      Object.keys(ids).length === 0 ? "the unscoped read returned no backend id" : undefined,
    ],
    [
      arms[2],
      {
        kind: "narrowed",
        backend_ids: {},
        keys: Object.fromEntries(Object.entries(keys).filter(([t]) => !heldOut.includes(t))),
        unnarrowed: heldOut,
      },
      all.some((o) => heldOut.includes(String(o.type_name)))
        ? undefined
        : "the unscoped read returned no object of a type the hint holds out",
    ],
  ];
  const outcomes: CheckOutcome[] = [];
  for (const [arm, scope, skip] of scopes) {
    if (skip !== undefined) {
      outcomes.push({ name: named(arm), verdict: "skipped", detail: skip });
      continue;
    }
    const p = await send({ ...c.request, scope });
    const verdict = judge(p, "read", { kind: "success" });
    const answer = verdict.envelope?.result === undefined
      ? undefined
      : toPlain(verdict.envelope.result);
    if (verdict.failure !== undefined || !Array.isArray(answer)) {
      outcomes.push({
        name: named(arm),
        verdict: "failed",
        detail: verdict.failure ?? "expected ok=true with an array",
        process: p,
      });
      continue;
    }
    const returned = answer as ObjectLike[];
    const dropped = all.filter((o) => namedBy(scope, o) && !returned.some((r) => same(r, o)));
    outcomes.push(
      dropped.length === 0 ? { name: named(arm), verdict: "ok" } : {
        name: named(arm),
        verdict: "failed",
        detail: `the narrowed read dropped objects the scope names: ${
          dropped.map((o) => `${o.type_name} ${keyString(o.key as never)}`).join(", ")
        }`,
        process: p,
      },
    );
  }
  return outcomes;
}

function namedBy(scope: Record<string, unknown>, o: ObjectLike): boolean {
  const type = String(o.type_name);
  if ((scope.unnarrowed as string[]).includes(type)) return true;
  const keys = (scope.keys as Record<string, Array<{ canonical: string }>>)[type] ?? [];
  const ids = (scope.backend_ids as Record<string, unknown[]>)[type] ?? [];
  return keys.some((k) => k.canonical === keyString(o.key as never)) ||
    (o.backend_id !== undefined && o.backend_id !== null &&
      ids.some((id) => sameId(id, o.backend_id)));
}

function same(a: ObjectLike, b: ObjectLike): boolean {
  if (a.type_name !== b.type_name) return false;
  if (keyString(a.key as never) === keyString(b.key as never)) return true;
  return a.backend_id !== undefined && a.backend_id !== null && sameId(a.backend_id, b.backend_id);
}

function sameId(a: unknown, b: unknown): boolean {
  return typeof a === typeof b && a === b ||
    (typeof a !== "string" && typeof b !== "string" && a !== null && b !== null &&
      a !== undefined &&
      b !== undefined && String(a) === String(b));
}

/** Requested types whose key holds a ref: their keys are uids, which a backend cannot query. */
function refKeyedTypes(schema: unknown, types: unknown): string[] {
  const all =
    (schema as { types?: Record<string, { key?: Record<string, { type?: unknown }> }> })?.types ??
      {};
  const requested = Array.isArray(types) ? types.map(String) : Object.keys(all);
  return requested.filter((t) =>
    Object.values(all[t]?.key ?? {}).some((f) => {
      const kind = typeof f?.type === "object" && f.type !== null
        ? (f.type as { type?: unknown }).type
        : f?.type;
      return kind === "ref" || kind === "list_ref";
    })
  ).sort();
}

/**
 * The report, as the upstream runner prints it: one padded line per outcome, diagnostics under
 * each failure, a blank line, then the summary.
 *
 * @param outcomes The outcomes, in report order.
 * @returns The report text.
 */
export function formatReport(outcomes: CheckOutcome[]): string {
  const width = Math.max(...outcomes.map((o) => o.name.length));
  const lines: string[] = [];
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const block = (label: string, bytes: Uint8Array) => {
    const body = text(bytes);
    if (body.trim() === "") return lines.push(`    ${label}: <empty>`);
    lines.push(`    ${label}:`);
    for (const line of body.replace(/\n$/, "").split("\n")) lines.push(`      ${line}`);
  };
  for (const o of outcomes) {
    const mark = o.verdict === "ok"
      ? "ok"
      : o.verdict === "failed"
      ? "FAILED"
      : `skipped (${o.detail})`;
    lines.push(`${o.name.padEnd(width)}   ${mark}`);
    if (o.verdict === "failed") {
      lines.push(`    error:  ${o.detail}`);
      if (o.process !== undefined) {
        lines.push(`    status: ${statusText(o.process.status)}`);
        block("stdout", o.process.stdout);
        block("stderr", o.process.stderr);
      }
    }
  }
  const count = (v: CheckOutcome["verdict"]) => outcomes.filter((o) => o.verdict === v).length;
  let summary = `${count("ok")} passed`;
  if (count("skipped") > 0) summary += `, ${count("skipped")} skipped`;
  if (count("failed") > 0) summary += `, ${count("failed")} failed`;
  return `${lines.join("\n")}\n\n${summary}\n`;
}
