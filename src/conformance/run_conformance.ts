/**
 * The conformance runner as a function, for an adapter's own test suite.
 *
 * @module
 */

import { loadCases } from "./cases.ts";
import { type CheckOutcome, formatReport, runChecks } from "./runner.ts";

/**
 * Options of {@linkcode runConformance}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConformanceOptions, runConformance } from "@alembic-adapter/sdk/testing";
 * const options: ConformanceOptions = {
 *   cases: "tests/cases/example_adapter", // read by this process
 *   writeChecks: true,
 *   cwd: "examples", // where the adapter runs
 * };
 * const report = await runConformance(["deno", "run", "example_adapter.ts"], options);
 * assert.equal(report.passed, true, report.text);
 * ```
 */
export interface ConformanceOptions {
  /** A case file, or a directory of case files (`--cases`). */
  cases?: string;
  /** Seconds per adapter process (`--timeout`, 10 by default). */
  timeoutSeconds?: number;
  /** Also run the writing checks (`--write-checks`). */
  writeChecks?: boolean;
  /** Also run the pre-0.10 narrowing re-reads (`--scope-checks`). */
  scopeChecks?: boolean;
  /** The adapter's working directory. */
  cwd?: string;
  /**
   * `false` when the adapter's backend has no ids, so write reports leave them out of creates
   * and updates (`--no-backend-ids`).
   */
  assignsBackendIds?: boolean | undefined;
}

/**
 * The runner's findings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConformanceReport, runConformance } from "@alembic-adapter/sdk/testing";
 * const adapter = ["deno", "run", "examples/example_adapter.ts"];
 * const report: ConformanceReport = await runConformance(adapter);
 * if (!report.passed) throw new Error(report.text);
 * assert.match(report.text, /^protocol\/invalid-json +ok\n/);
 * ```
 */
export interface ConformanceReport {
  /** Every check, in report order. */
  outcomes: CheckOutcome[];
  /** The report exactly as the command line prints it. */
  text: string;
  /** Whether no check failed. */
  passed: boolean;
}

/**
 * Runs the conformance checks against an adapter program, as `alembic-adapter-test` would.
 *
 * @param adapter The adapter's argv (the program is looked up in `PATH`).
 * @param options Cases, timeout and optional suites.
 * @returns The outcomes and the printed report.
 * @throws {Error} when the cases cannot be loaded.
 * @example
 * ```ts
 * import { runConformance } from "@alembic-adapter/sdk/testing";
 * const report = await runConformance(["deno", "run", "examples/example_adapter.ts"], {
 *   cases: "tests/cases/example_adapter",
 * });
 * if (!report.passed) throw new Error(report.text);
 * ```
 */
export async function runConformance(
  adapter: string[],
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const cases = options.cases === undefined ? [] : loadCases(options.cases);
  const outcomes = await runChecks({ ...options, adapter, cases });
  return {
    outcomes,
    text: formatReport(outcomes),
    passed: !outcomes.some((o) => o.verdict === "failed"),
  };
}
