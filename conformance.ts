/**
 * The conformance runner's command line, with the same flags, checks, output and exit codes as
 * alembic's `alembic-adapter-test`:
 *
 * ```sh
 * deno run -A jsr:@alembic-adapter/sdk/conformance --cases tests/cases -- ./my-adapter
 * npx alembic-adapter-conformance --write-checks -- node adapter.mjs
 * ```
 *
 * Exit code 0 when no check failed, 1 when one did, 2 for a usage or case-file error.
 * `--scope-checks` adds the narrowing re-reads of pre-0.10 hosts (the legacy read `scope`).
 * Importing this module runs the command line; for a function, see `runConformance` in
 * `@alembic-adapter/sdk/testing`.
 *
 * @module
 */

import { runCli } from "./src/conformance/cli.ts";
import { programArgs, setExitCode } from "./src/runtime.ts";

runCli(programArgs(), {
  stdout: (text) => console.log(text.replace(/\n$/, "")),
  stderr: (text) => console.error(text.replace(/\n$/, "")),
}).then(setExitCode, (error) => {
  console.error(error);
  setExitCode(2);
});
