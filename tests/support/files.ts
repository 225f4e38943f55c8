// Test data is read relative to the package root, which is the working directory both for
// `deno task test` (the repository) and for the Node run of the compiled tests (`npm/`).
import { readdirSync, readFileSync } from "node:fs";

/** One canonical exchange: an adapter fed `request` must answer a document equal to `response`. */
export interface Exchange {
  description: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/** The exchanges in `tests/fixtures/`, by file name without `.json`. */
export function exchanges(): Map<string, Exchange> {
  const dir = "tests/fixtures";
  const out = new Map<string, Exchange>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    out.set(file.slice(0, -5), JSON.parse(readFileSync(`${dir}/${file}`, "utf8")));
  }
  return out;
}

/** Every file under `dir` whose name ends with `ext`, as `dir/…/name`, subfolders included. */
export function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(path, ext));
    else if (entry.name.endsWith(ext)) out.push(path);
  }
  return out;
}

/** The text of a file under the package root. */
export function text(path: string): string {
  return readFileSync(path, "utf8");
}

/** The parsed JSON of a file under the package root (keys such as `__proto__` stay own keys). */
export function json(path: string): unknown {
  return JSON.parse(text(path));
}
