// Hostile requests, kept as data in tests/hostile/*.json, each piped into a real adapter
// process: whatever arrives on stdin, the answer is exactly one JSON document on one line, with
// the expected verdict, and the exit code is 0.
//
// A corpus file holds `cases` and `mutations`:
//
// - a case sends `stdin` (text; `{"base64": …}` for bytes that are not UTF-8; `{"parts": […]}`
//   for huge inputs, each part text, `{"repeat": text, "times": n}` or `{"json": value}`) or
//   `request` (a JSON value, sent compactly);
// - a mutation takes a request from bases.json, sets the member at `path` to each of `values`
//   (all answered as `expect`) and of `accepted` (each answered `ok:true`), and, with `absent`,
//   removes the member.
//
// `expect` is `{ok, error | errorPrefix | errorIncludes, result, maxErrorLength, stdoutIncludes}`
// (the last for exact integers, which a JSON.parse of the answer would round). Cases run on
// the echo adapter (tests/adapters/echo_adapter.ts) unless they name `"adapter": "example"`.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, it } from "node:test";
import { adapterCommand, flavour, oneDocument, type Outcome, pipe } from "./support/spawn.ts";
import { json } from "./support/files.ts";

type Part = string | { repeat: string; times: number } | { json: unknown };
type Stdin = string | { base64: string } | { parts: Part[] };
type Path = Array<string | number>;

interface Expect {
  ok: boolean;
  error?: string;
  errorPrefix?: string;
  errorIncludes?: string;
  result?: unknown;
  maxErrorLength?: number;
  stdoutIncludes?: string;
}

interface Case {
  name: string;
  stdin?: Stdin;
  request?: unknown;
  adapter?: "echo" | "example";
  expect: Expect;
}

interface Mutation {
  name: string;
  base: string;
  path: Path;
  values?: unknown[];
  expect?: Expect;
  accepted?: unknown[];
  absent?: Expect;
}

interface Corpus {
  description: string;
  cases?: Case[];
  mutations?: Mutation[];
}

const DIR = "tests/hostile";
const ADAPTERS = {
  echo: adapterCommand("tests/adapters/echo_adapter"),
  example: adapterCommand("examples/example_adapter"),
};
/** Processes run side by side: they mostly wait on their runtime's start-up. */
const PARALLEL = 3;

const bases = json(`${DIR}/bases.json`) as Record<string, unknown>;

/** The bytes a case sends, built only when it runs: some are tens of megabytes. */
function input(c: Case): string | Uint8Array {
  if (c.request !== undefined) return JSON.stringify(c.request);
  const stdin = c.stdin;
  if (stdin === undefined) throw new Error(`${c.name}: neither stdin nor request`);
  if (typeof stdin === "string") return stdin;
  if ("base64" in stdin) return Uint8Array.from(atob(stdin.base64), (ch) => ch.charCodeAt(0));
  return stdin.parts.map((part) =>
    typeof part === "string"
      ? part
      : "repeat" in part
      ? part.repeat.repeat(part.times)
      : JSON.stringify(part.json)
  ).join("");
}

/** Sets (or, for `undefined`, removes) the member at `path` of a deep copy of `base`. */
function mutated(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base);
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) throw new Error("mutated: the path is empty, no member to set");
  if (value === undefined) delete parent[last];
  else Object.defineProperty(parent, last, { value, enumerable: true, writable: true });
  return copy;
}

function casesOf(corpus: Corpus, file: string): Case[] {
  const cases = [...(corpus.cases ?? [])];
  for (const m of corpus.mutations ?? []) {
    const base = bases[m.base];
    assert.ok(base !== undefined, `${file}: ${m.name}: no base ${m.base}`);
    const at = (value: unknown) => `${m.name} = ${JSON.stringify(value)}`;
    for (const value of m.values ?? []) {
      assert.ok(m.expect !== undefined, `${file}: ${m.name}: values without expect`);
      cases.push({ name: at(value), request: mutated(base, m.path, value), expect: m.expect });
    }
    for (const value of m.accepted ?? []) {
      cases.push({ name: at(value), request: mutated(base, m.path, value), expect: { ok: true } });
    }
    if (m.absent !== undefined) {
      cases.push({
        name: `${m.name} absent`,
        request: mutated(base, m.path, undefined),
        expect: m.absent,
      });
    }
  }
  return cases;
}

function check(c: Case, outcome: Outcome): void {
  assert.equal(outcome.code, 0, `exit code; stderr: ${outcome.stderr.slice(0, 2000)}`);
  const response = oneDocument(outcome.stdout);
  const e = c.expect;
  if (e.stdoutIncludes !== undefined) {
    assert.ok(outcome.stdout.includes(e.stdoutIncludes), outcome.stdout.slice(0, 500));
  }
  if (e.ok) {
    assert.deepEqual(
      Object.keys(response),
      ["ok", "result"],
      `expected ok:true, got ${outcome.stdout.slice(0, 500)}`,
    );
    assert.equal(response.ok, true);
    if (e.result !== undefined) assert.deepEqual(response.result, e.result);
    return;
  }
  assert.deepEqual(
    Object.keys(response),
    ["ok", "error"],
    `expected ok:false, got ${outcome.stdout.slice(0, 500)}`,
  );
  assert.equal(response.ok, false);
  const error = response.error;
  assert.equal(typeof error, "string");
  assert.notEqual((error as string).trim(), "", "the error is empty");
  const text = error as string;
  if (e.error !== undefined) assert.equal(text, e.error);
  if (e.errorPrefix !== undefined) {
    assert.ok(text.startsWith(e.errorPrefix), `${JSON.stringify(text.slice(0, 300))}`);
  }
  if (e.errorIncludes !== undefined) {
    assert.ok(text.includes(e.errorIncludes), `${JSON.stringify(text.slice(0, 300))}`);
  }
  if (e.maxErrorLength !== undefined) {
    assert.ok(text.length <= e.maxErrorLength, `the error has ${text.length} characters`);
  }
}

/**
 * Runs tasks `PARALLEL` at a time, in order except that light tasks may overtake a heavy one
 * waiting for the heavy one before it (only one heavy task runs at a time, to bound memory).
 * Starts the first time a result is asked for.
 */
function pool<T>(
  tasks: Array<{ heavy: boolean; run: () => Promise<T> }>,
): (i: number) => Promise<T> {
  const results: Array<Promise<T>> = [];
  const settle: Array<(value: Promise<T>) => void> = [];
  for (let i = 0; i < tasks.length; i++) {
    results.push(new Promise<T>((resolve) => (settle[i] = resolve)));
  }
  const waiting = tasks.map((_, i) => i);
  let running = 0;
  let heavyRunning = false;
  const pump = (): void => {
    while (running < PARALLEL) {
      // Every index in waiting, settle and results is a task's.
      const at = waiting.findIndex((i) => !(heavyRunning && tasks[i]!.heavy));
      if (at < 0) return;
      const i = waiting.splice(at, 1)[0]!; // at >= 0
      const heavy = tasks[i]!.heavy;
      running++;
      if (heavy) heavyRunning = true;
      const run = tasks[i]!.run();
      settle[i]!(run);
      // The task's own rejection is reported by the test that awaits it.
      run.catch(() => {}).finally(() => {
        running--;
        if (heavy) heavyRunning = false;
        pump();
      });
    }
  };
  let started = false;
  return (i) => {
    if (!started) {
      started = true;
      pump();
    }
    const result = results[i];
    if (result === undefined) throw new RangeError(`pool: no task ${i} of ${tasks.length}`);
    return result;
  };
}

// Under Node the tests run twice, against the ES-module and the CommonJS build, which decode
// with the very same code. Each family runs against one of them (framing, which exercises stdin
// and the process itself, against both); that keeps the Node run short and still sends every
// case through Node once. A family not listed here runs against both.
const NODE_BUILD: Record<string, "esm" | "script"> = {
  "fields.json": "esm",
  "huge.json": "esm",
  "envelope.json": "script",
  "ops.json": "script",
};
const build = flavour();
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && f !== "bases.json")
  .filter((f) => build === "deno" || (NODE_BUILD[f] ?? build) === build)
  .sort();

describe("hostile requests, through the real process", () => {
  it("has a corpus", () => assert.ok(files.length > 0));
  const all = files.flatMap((file) =>
    casesOf(json(`${DIR}/${file}`) as Corpus, file).map((c) => ({ file, c }))
  );
  const names = new Set<string>();
  const outcome = pool(all.map(({ c }) => ({
    heavy: typeof c.stdin === "object" && "parts" in c.stdin,
    run: () => pipe(ADAPTERS[c.adapter ?? "echo"], input(c)),
  })));
  all.forEach(({ file, c }, i) => {
    const name = `${file.replace(/\.json$/, "")}: ${c.name}`;
    assert.ok(!names.has(name), `duplicate case name ${name}`);
    names.add(name);
    it(name, async () => check(c, await outcome(i)));
  });
});
