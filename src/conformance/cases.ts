/**
 * Case files: `{name, request, expect}`, strictly, from one file or the
 * direct `.json` children of a directory.
 *
 * @module
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CaseExpect } from "./judge.ts";
import { type ExactJson, exactText, parseExact, toPlain } from "../testing/exact_json.ts";

/** One loaded case. */
export interface Case {
  /** Its name, reported as `case/<name>`. */
  name: string;
  /** The request, sent compactly as written. */
  request: Record<string, unknown>;
  /** The request's text as the runner sends it. */
  requestText: string;
  /** What the answer must be. */
  expect: CaseExpect;
}

/** A case-loading problem: the runner exits 2 without printing its report. */
export class CaseLoadError extends Error {}

/**
 * Loads the cases at a path.
 *
 * @param path A case file, or a directory of them.
 * @returns The cases, sorted by path.
 * @throws {CaseLoadError} with the runner's texts.
 */
export function loadCases(path: string): Case[] {
  let files: string[];
  try {
    if (!statSync(path).isDirectory()) return [loadCase(path)];
    const entries = readdirSync(path, { withFileTypes: true });
    files = entries.filter((e) => e.isFile() && e.name.endsWith(".json")).map((e) =>
      join(path, e.name)
    ).sort();
    const nested = entries.filter((e) => e.isDirectory()).map((e) => join(path, e.name))
      .filter(holdsCase).sort();
    if (nested.length > 0) {
      throw new CaseLoadError(
        `error: cases in ${
          nested.join(", ")
        } are not loaded: \`--cases\` reads ${path} itself, not its subdirectories`,
      );
    }
  } catch (e) {
    if (e instanceof CaseLoadError) throw e;
    throw new CaseLoadError(`error: reading cases at ${path}: ${(e as Error).message}`);
  }
  if (files.length === 0) {
    throw new CaseLoadError(
      `error: no cases at ${path}: looked for \`.json\` files in that directory itself, not in subdirectories`,
    );
  }
  return files.map(loadCase);
}

function loadCase(file: string): Case {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CaseLoadError(`error: reading cases at ${file}: ${(e as Error).message}`);
  }
  const fail = (detail: string): never => {
    throw new CaseLoadError(`error: parsing ${file}: ${detail}`);
  };
  let doc: ExactJson;
  try {
    doc = parseExact(text);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!(doc instanceof Map)) return fail("invalid type: expected struct Case");
  for (const k of doc.keys()) {
    if (!["name", "request", "expect"].includes(k)) {
      fail(`unknown field \`${k}\`, expected one of \`name\`, \`request\`, \`expect\``);
    }
  }
  const name = doc.get("name");
  const request = doc.get("request");
  const expect = doc.get("expect");
  if (name === undefined) fail("missing field `name`");
  if (request === undefined) fail("missing field `request`");
  if (expect === undefined) fail("missing field `expect`");
  if (typeof name !== "string") fail("invalid type for `name`: expected a string");
  if (!(expect instanceof Map)) return fail("invalid type for `expect`: expected struct Expect");
  for (const k of expect.keys()) {
    if (!["ok", "result", "error"].includes(k)) {
      fail(`unknown field \`${k}\`, expected one of \`ok\`, \`result\`, \`error\``);
    }
  }
  const ok = expect.get("ok");
  if (ok === undefined) fail("missing field `ok`");
  if (typeof ok !== "boolean") fail("invalid type for `ok`: expected a boolean");
  const result = expect.get("result") ?? undefined;
  const error = expect.get("error") ?? undefined;
  if (error !== undefined && error !== null && typeof error !== "string") {
    fail("invalid type for `error`: expected a string");
  }
  const caseExpect: CaseExpect = { ok: ok as boolean };
  if (result !== undefined && result !== null) caseExpect.result = result;
  if (typeof error === "string") caseExpect.error = error;
  const plain = toPlain(request!) as Record<string, unknown>;
  return {
    name: name as string,
    request: plain,
    requestText: exactText(request!),
    expect: caseExpect,
  };
}

function holdsCase(dir: string): boolean {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory() ? holdsCase(path) : isCase(path)) return true;
    }
  } catch {
    return false;
  }
  return false;
}

function isCase(file: string): boolean {
  try {
    const doc = parseExact(readFileSync(file, "utf8"));
    return doc instanceof Map && doc.has("name") && doc.has("request") && doc.has("expect");
  } catch {
    return false;
  }
}
