/**
 * How the runner judges one response: the process, the document and the envelope (see
 * `../testing/read_envelope.ts`), then the payload check against the method's closed shape, then
 * the expectation. The first failing step gives the message.
 *
 * @module
 */

import { encodeResult } from "../wire/encode.ts";
import { EncodeError, errorMessage, RequestError } from "../wire/errors.ts";
import { decodeOps, type Op } from "../wire/ops.ts";
import { type ApplyReport, PROVISION_CATEGORIES } from "../wire/results.ts";
import { checkWrite, type CheckWriteOptions, joinProblems } from "../wire/write_checks.ts";
import { exactEqual, type ExactJson, exactText, toPlain } from "../testing/exact_json.ts";
import type { ProcessOutcome } from "../testing/process.ts";
import { readEnvelope, type Verdict } from "../testing/read_envelope.ts";
import { checkValueSpace } from "./value_space.ts";

/** What a case file expects. */
export interface CaseExpect {
  /** The expected `ok`. */
  ok: boolean;
  /** The exact result, when asserted. */
  result?: ExactJson;
  /** The exact error text, when asserted. */
  error?: string;
}

/**
 * What a response is held to. A write's report is also held to the request's ops
 * (`checkWrite`), when the request is given.
 */
export type Expectation =
  | { kind: "error" }
  | { kind: "success"; request?: Record<string, unknown> }
  | {
    kind: "case";
    expect: CaseExpect;
    request: Record<string, unknown>;
  };

/**
 * Judges a response against an expectation.
 *
 * @param outcome The process outcome.
 * @param method The request's method.
 * @param expectation What the response is held to.
 * @param writes How write reports are checked.
 * @returns The verdict.
 */
export function judge(
  outcome: ProcessOutcome,
  method: string,
  expectation: Expectation,
  writes: CheckWriteOptions = {},
): Verdict {
  const read = readEnvelope(outcome, method);
  const envelope = read.envelope;
  if (envelope === undefined) return read;
  const failed = (failure: string): Verdict => ({ failure, envelope });
  switch (expectation.kind) {
    case "error":
      return envelope.ok ? failed("expected a structured error, got ok=true") : { envelope };
    case "success": {
      if (!envelope.ok) {
        return failed(
          `a valid request must succeed, but the adapter returned an error: ${envelope.error}`,
        );
      }
      const result = envelope.result;
      const problem = result === undefined ? undefined : payloadProblem(method, result) ??
        (method === "write" && expectation.request !== undefined
          ? writeReportProblem(expectation.request, result, writes)
          : undefined);
      return problem === undefined ? { envelope } : failed(problem);
    }
    case "case": {
      const { expect, request } = expectation;
      if (envelope.ok !== expect.ok) {
        return failed(`expected ok=${expect.ok}, got ok=${envelope.ok}`);
      }
      if (envelope.result !== undefined) {
        const problem = payloadProblem(method, envelope.result) ??
          (method === "read" ? valueSpaceProblem(request, envelope.result) : undefined) ??
          (method === "write" ? writeReportProblem(request, envelope.result, writes) : undefined);
        if (problem !== undefined) return failed(problem);
        if (expect.result !== undefined && !exactEqual(expect.result, envelope.result)) {
          return failed(
            `result did not match: expected ${exactText(expect.result)}, got ${
              exactText(envelope.result)
            }`,
          );
        }
      } else if (envelope.error !== undefined) {
        if (expect.error !== undefined && expect.error !== envelope.error) {
          return failed(
            `error did not match: expected ${JSON.stringify(expect.error)}, got ${
              JSON.stringify(envelope.error)
            }`,
          );
        }
      } else if (expect.result !== undefined) {
        return failed(`result did not match: expected ${exactText(expect.result)}, got null`);
      }
      return { envelope };
    }
  }
}

const APPLIED = new Map<string, ExactJson>([["uid", null], ["type_name", null], [
  "backend_id",
  null,
]]);
const PROVISION = new Map<string, ExactJson>(PROVISION_CATEGORIES.map((c) => [c, null]));
const TEMPLATES: Record<string, ExactJson> = {
  read: [
    new Map<string, ExactJson>([["type_name", null], ["key", new Map()], ["attrs", new Map()], [
      "backend_id",
      null,
    ]]),
  ],
  write: new Map<string, ExactJson>([
    ["applied", [APPLIED]],
    ["resumed", [APPLIED]],
    ["previously_applied_count", null],
    ["provision", PROVISION],
  ]),
  ensure_schema: PROVISION,
  preview_schema: PROVISION,
  capabilities: new Map<string, ExactJson>([["role", null]]),
};

/**
 * The payload check: the unknown-key walk against the method's template, then the
 * typed decode.
 *
 * @param method The request's method.
 * @param result The result.
 * @returns `bad <method> result: <detail>`, or `undefined` when the result is well-formed.
 */
function payloadProblem(method: string, result: ExactJson): string | undefined {
  if (!Object.hasOwn(TEMPLATES, method)) return `unknown method ${method}`;
  const unknown = unknownKey(result, TEMPLATES[method]!, "");
  if (unknown !== undefined) return `bad ${method} result: unknown key ${unknown}`;
  const plain = toPlain(result);
  if (method === "capabilities") {
    const role = (plain as { role?: unknown }).role;
    if (typeof role === "string" && !["observer", "emitter", "adapter"].includes(role)) {
      return `bad capabilities result: unknown variant \`${role}\`, expected one of \`observer\`, \`emitter\`, \`adapter\``;
    }
  }
  try {
    encodeResult(method as "read", plain);
  } catch (e) {
    return `bad ${method} result: ${
      e instanceof EncodeError ? e.message : errorMessage(e, "does not decode")
    }`;
  }
  return undefined;
}

function unknownKey(value: ExactJson, template: ExactJson, path: string): string | undefined {
  if (value instanceof Map && template instanceof Map && template.size > 0) {
    for (const [k, v] of value) {
      const at = path === "" ? k : `${path}.${k}`;
      const inner = template.get(k);
      if (inner === undefined) return at;
      const found = unknownKey(v, inner, at);
      if (found !== undefined) return found;
    }
  } else if (Array.isArray(value) && Array.isArray(template) && template.length > 0) {
    for (const [i, v] of value.entries()) {
      const found = unknownKey(v, template[0]!, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function valueSpaceProblem(
  request: Record<string, unknown>,
  result: ExactJson,
): string | undefined {
  if (!Object.hasOwn(request, "schema")) return "read case request carries no schema";
  let problems: string[];
  try {
    problems = checkValueSpace(request.schema, result);
  } catch (e) {
    return errorMessage(e, "read case request schema does not parse");
  }
  return problems.length === 0
    ? undefined
    : `read result leaves alembic's value space: ${problems.join("; ")}`;
}

/**
 * The write report check on a well-formed report: `write report misleads alembic: <messages>`.
 * Warnings fail too, since a case is where an adapter's author looks. A request whose ops do
 * not decode is not judged here: the adapter should have refused it, and the expectation says
 * whether it did.
 */
function writeReportProblem(
  request: Record<string, unknown>,
  result: ExactJson,
  options: CheckWriteOptions,
): string | undefined {
  let ops: Op[];
  try {
    ops = decodeOps(structuredClone(request.ops));
  } catch (e) {
    if (e instanceof RequestError) return undefined;
    throw e;
  }
  const problems = checkWrite(ops, toPlain(result) as unknown as ApplyReport, options);
  return problems.length === 0
    ? undefined
    : `write report misleads alembic: ${joinProblems(problems)}`;
}
