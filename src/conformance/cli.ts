/**
 * The command line of the conformance runner, the same as upstream's `alembic-adapter-test`:
 * `[--cases PATH] [--timeout SECS] [--write-checks] [--no-provisioning-check] -- ADAPTER [ARGS…]`,
 * plus `--scope-checks` for the legacy narrowing re-reads and `--no-backend-ids` for a backend
 * without ids (the write report check then accepts creates and updates reported without one).
 *
 * @module
 */

import { CaseLoadError, loadCases } from "./cases.ts";
import { formatReport, runChecks, type RunnerOptions } from "./runner.ts";

/** Where the command line writes. */
export interface CliIo {
  /** Receives the report. */
  stdout(text: string): void;
  /** Receives warnings and errors. */
  stderr(text: string): void;
}

/** The options that take a value. */
const VALUED = new Set(["--cases", "--timeout"]);

/** The usage text. */
const USAGE = `Usage: alembic-adapter-conformance [OPTIONS] [--] <ADAPTER> [ARGS]...

Runs alembic's adapter conformance checks against an external adapter.

Options:
      --cases <PATH>           A case file, or a directory of case files, run after the built-in checks
      --timeout <SECS>         Seconds per adapter process [default: 10]
      --write-checks           Also run the checks that write (write-empty, ensure-schema-empty)
      --no-provisioning-check  Deprecated no-op
      --scope-checks           Also run the narrowing re-reads of pre-0.10 hosts (legacy read scope)
      --no-backend-ids         The backend has no ids: write reports may leave them out of creates and updates
  -h, --help                   Print help
`;

/**
 * Runs the command line.
 *
 * @param args The arguments.
 * @param io Where the report and the errors go.
 * @returns The exit code: 0 when no check failed, 1 when one did, 2 for usage and case errors.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const usage = (message: string): number => {
    io.stderr(`error: ${message}\n\n${USAGE}`);
    return 2;
  };
  // The adapter's command starts after `--`, or at the first argument that is not an option:
  // Bun keeps a `--` that comes first after the script for itself, so `bun conformance.js --
  // ./adapter` arrives here as `./adapter`.
  let start = 0;
  while (start < args.length && args[start] !== "--" && args[start]!.startsWith("-")) {
    start += VALUED.has(args[start]!) ? 2 : 1; // an option's value is not the adapter
  }
  const flags = args.slice(0, start);
  const adapter = args.slice(args[start] === "--" ? start + 1 : start);
  const options: Partial<RunnerOptions> = {};
  let casesPath: string | undefined;
  let deprecated = false;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    const value = (): string | undefined => flags[++i];
    switch (flag) {
      case "-h":
      case "--help":
        io.stdout(USAGE);
        return 0;
      case "--cases":
        casesPath = value();
        if (casesPath === undefined) return usage("a value is required for '--cases <PATH>'");
        break;
      case "--timeout": {
        const secs = value();
        if (secs === undefined || !/^\d+$/.test(secs)) {
          return usage(
            `invalid value '${secs ?? ""}' for '--timeout <SECS>': expected whole seconds`,
          );
        }
        options.timeoutSeconds = Number(secs);
        break;
      }
      case "--write-checks":
        options.writeChecks = true;
        break;
      case "--no-provisioning-check":
        deprecated = true;
        break;
      case "--scope-checks":
        options.scopeChecks = true;
        break;
      case "--no-backend-ids":
        options.assignsBackendIds = false;
        break;
      default:
        return usage(`unexpected argument '${flag}'`);
    }
  }
  if (deprecated && options.writeChecks) {
    return usage("the argument '--no-provisioning-check' cannot be used with '--write-checks'");
  }
  if (adapter.length === 0) return usage("the adapter command is required after `--`");
  if (deprecated) {
    io.stderr(
      "warning: --no-provisioning-check is the default now; drop it, or pass --write-checks to run the writing checks\n",
    );
  }
  let cases;
  try {
    cases = casesPath === undefined ? [] : loadCases(casesPath);
  } catch (e) {
    if (!(e instanceof CaseLoadError)) throw e;
    io.stderr(`${e.message}\n`);
    return 2;
  }
  const outcomes = await runChecks({ ...options, adapter, cases });
  io.stdout(formatReport(outcomes));
  return outcomes.some((o) => o.verdict === "failed") ? 1 : 0;
}
