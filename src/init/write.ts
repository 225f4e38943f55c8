/**
 * Writes a generated project into a folder that does not exist yet or is empty, and into no
 * other: a scaffold must never mix its files with someone's work.
 *
 * @module
 */

import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProjectFile } from "./shared.ts";

/**
 * Why a project was not written; the command line prints the message and exits 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InitRefused } from "./write.ts";
 * assert.equal(new InitRefused("no").name, "InitRefused");
 * ```
 */
export class InitRefused extends Error {
  /**
   * Creates the error.
   *
   * @param message What was refused, and why.
   */
  constructor(message: string) {
    super(message);
    this.name = "InitRefused";
  }
}

/**
 * Writes `files` under `dir`, creating it and the folders the files need.
 *
 * @param dir The project's folder: missing, or an empty folder.
 * @param files The files, with paths relative to `dir`.
 * @throws {InitRefused} when `dir` is a file or a folder with anything in it; nothing is
 * written then.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtempSync, readFileSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { InitRefused, writeProject } from "./write.ts";
 * const dir = join(mkdtempSync(join(tmpdir(), "init-")), "p");
 * writeProject(dir, [{ path: "a/b.txt", text: "b\n" }]);
 * assert.equal(readFileSync(join(dir, "a/b.txt"), "utf8"), "b\n");
 * assert.throws(() => writeProject(dir, []), InitRefused);
 * rmSync(dir, { recursive: true });
 * ```
 */
export function writeProject(dir: string, files: readonly ProjectFile[]): void {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat !== undefined && !stat.isDirectory()) {
    throw new InitRefused(`${dir} exists and is not a folder: nothing was written`);
  }
  if (stat !== undefined) {
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      const shown = entries.sort().slice(0, 3).join(", ");
      throw new InitRefused(
        `${dir} is not empty (it holds ${shown}${
          entries.length > 3 ? ", …" : ""
        }): init writes only into a new or empty folder, so nothing was written`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const path = join(dir, ...file.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    // flag "wx": should anything appear there meanwhile, it is not overwritten.
    writeFileSync(path, file.text, { flag: "wx" });
  }
}
