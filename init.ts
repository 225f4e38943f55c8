/**
 * Creates a working alembic adapter project: the adapter (typed setup, importable), its
 * in-process test, conformance cases, a sample request for every method, `backend.yaml`, the
 * tasks, a README and a GitHub Actions workflow, for Deno or Node.
 *
 * ```sh
 * deno run -A jsr:@alembic-adapter/sdk/init my-adapter
 * npx alembic-adapter-sdk init my-adapter --runtime node   # from the npm package
 * ```
 *
 * `--runtime` defaults to the runtime running the command (Bun gets a Node project); `--name`
 * to the folder's name. The folder must be new or empty. Exit code 0 when the project was
 * written, 1 when it was refused, 2 for a usage error. Importing this module runs the command
 * line.
 *
 * @module
 */

import { runInit } from "./src/init/cli.ts";
import { programArgs, runtimeName, setExitCode } from "./src/runtime.ts";

try {
  setExitCode(
    runInit(programArgs(), {
      stdout: (text) => console.log(text.replace(/\n$/, "")),
      stderr: (text) => console.error(text.replace(/\n$/, "")),
      runtime: runtimeName() === "node" || runtimeName() === "bun" ? "node" : "deno",
    }),
  );
} catch (error) {
  console.error(error);
  setExitCode(2);
}
