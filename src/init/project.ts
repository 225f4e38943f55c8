/**
 * The scaffold as a pure function: options in, the project's files out. Nothing is read at run
 * time (the templates are string constants), so it works the same from JSR and from npm.
 *
 * @module
 */

import { denoFiles } from "./deno_project.ts";
import { nodeFiles } from "./node_project.ts";
import { type ProjectFile, type ProjectRuntime, sharedFiles } from "./shared.ts";

/**
 * What a project is generated from.
 *
 * @example
 * ```ts
 * import type { InitOptions } from "./project.ts";
 * const options: InitOptions = { name: "netbox-adapter", runtime: "deno" };
 * ```
 */
export interface InitOptions {
  /** The adapter's and the package's name (see {@linkcode nameProblem}). */
  name: string;
  /** The runtime it runs on. */
  runtime: ProjectRuntime;
}

/** npm's rule for a package name, scope allowed, which also makes a safe file and YAML name. */
const NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/**
 * Why `name` cannot name a project, or `undefined` when it can: lowercase letters, digits, `-`,
 * `.` and `_`, starting with a letter or digit, optionally with an npm scope (`@acme/`), at
 * most 214 characters (npm's rules; the name goes into `package.json`, `defineAdapter()`,
 * `backend.yaml` and the executable's file name).
 *
 * @param name The proposed name.
 * @returns The problem, as a sentence, or `undefined`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameProblem } from "./project.ts";
 * assert.equal(nameProblem("netbox-adapter"), undefined);
 * assert.match(nameProblem("My Adapter")!, /lowercase/);
 * ```
 */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return "the name is empty";
  if (name.length > 214) return `the name has ${name.length} characters; at most 214 are allowed`;
  if (!NAME.test(name)) {
    return `${
      JSON.stringify(name)
    } is not a package name: use lowercase letters, digits, "-", "." and "_", starting with a letter or digit (an npm scope such as "@acme/" may come first)`;
  }
  return undefined;
}

/**
 * Every file of a new project, sorted by path.
 *
 * @param options The name and the runtime.
 * @returns The files.
 * @throws {TypeError} when the name is not one ({@linkcode nameProblem}).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectFiles } from "./project.ts";
 * const paths = projectFiles({ name: "my-adapter", runtime: "deno" }).map((f) => f.path);
 * assert.ok(paths.includes("adapter.ts") && paths.includes("backend.yaml"));
 * ```
 */
export function projectFiles(options: InitOptions): ProjectFile[] {
  const problem = nameProblem(options.name);
  if (problem !== undefined) throw new TypeError(problem);
  const own = options.runtime === "deno" ? denoFiles(options.name) : nodeFiles(options.name);
  return [...own, ...sharedFiles(options.name, options.runtime)].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  );
}
