/**
 * `deno task bench`: the SDK's cost against the runtime's own floor, as one table of ratios.
 *
 * Every process row runs the SDK adapter and its floor (a bare script that reads stdin,
 * `JSON.parse`s, builds the same answer and writes it) alternately, back to back, `--runs`
 * times, and reports the median of the per-pair ratios: pairing cancels the drift of a busy
 * machine, the median its outliers. Absolute medians are shown for scale only; they vary
 * between machines, the ratios much less. Before timing, every pair is run once and its two
 * answers compared byte for byte, so a row can never time a failure.
 *
 * Peak memory is the child's own ru_maxrss, reported at exit by `bench/peak_rss.mjs`, which
 * is preloaded into floor and SDK alike, each started through `sh` (see `viaShell`).
 *
 * The Deno empty round trip is measured four ways: the example bundled into one file by
 * `deno bundle`, minified (its target: the form to deploy when start-up matters) and not; the
 * example's TypeScript source; and the floor with `mod.ts` imported and unused, which is Deno
 * loading the SDK's source and nothing else.
 *
 * The in-process rows come from `deno bench --json bench/codec_bench.ts`.
 *
 * Options: `--runs=N` (large rows, default 9), `--small-runs=N` (empty round trips, default
 * 41), `--codec-runs=N` (`deno bench` runs, default 5), `--quick` (5, 15 and 3), `--no-build`
 * (reuse npm/), `--no-node`, `--objects=N` (default 100000; the targets are meant for 100k),
 * `--journal-only` (only the journal table), `--sqlite-only` (only the SQLite rows),
 * `--sqlite-node=PATH` (the Node with `node:sqlite` for the SQLite row: 22.13 or later; default
 * `node`, and the row is left out, saying why, when that one has none).
 *
 * The SQLite rows time `examples/sqlite_adapter.ts` on a write of `--objects` creates into a
 * fresh database against `bench/adapters/sqlite_floor.mjs`, a bare script that inserts the
 * same rows in one transaction with `node:sqlite` and writes the same report.
 *
 * The journal table times `applyOps` on a write of 10k creates with a journal against the same
 * write without one, for each durability, as extra microseconds per op; beside it, this disk's
 * own `write` + `fdatasync` of one record, which bounds what the `disk` durability can cost.
 *
 * @module
 */

import { emptyReadRequest, OBJECTS, readRequest, writeRequest } from "./requests.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DENO = Deno.execPath();
const RSS_TAG = "bench:peak-rss-kib=";
const CA_BUNDLE = Deno.env.get("NODE_EXTRA_CA_CERTS");

interface Options {
  runs: number;
  smallRuns: number;
  build: boolean;
  node: boolean;
  objects: number;
  codecRuns: number;
  journalOnly: boolean;
  sqliteOnly: boolean;
  sqliteNode: string;
}

function parseOptions(args: string[]): Options {
  const options: Options = {
    runs: 9,
    smallRuns: 41,
    build: true,
    node: true,
    objects: OBJECTS,
    codecRuns: 5,
    journalOnly: false,
    sqliteOnly: false,
    sqliteNode: "node",
  };
  for (const arg of args) {
    const [name, value] = arg.split("=", 2);
    const count = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
      return n;
    };
    if (name === "--runs") options.runs = count();
    else if (name === "--small-runs") options.smallRuns = count();
    else if (name === "--objects") options.objects = count();
    else if (name === "--codec-runs") options.codecRuns = count();
    else if (name === "--quick") {
      options.runs = 5;
      options.smallRuns = 15;
      options.codecRuns = 3;
    } else if (name === "--no-build") options.build = false;
    else if (name === "--no-node") options.node = false;
    else if (name === "--journal-only") options.journalOnly = true;
    else if (name === "--sqlite-only") options.sqliteOnly = true;
    else if (name === "--sqlite-node" && value) options.sqliteNode = value;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

/** One adapter process to time: a command line, run from the repository root. */
interface Command {
  program: string;
  args: string[];
}

/**
 * Runs `argv` as a child of `sh` rather than of this process. Linux carries a process's peak
 * RSS across exec, and a child forked from this runner, which holds the 35 MB request and
 * weighs 300+ MiB, would report the runner's size as its own peak. `sh` forks again (the
 * command is not its last word), so the adapter starts from a shell's few MiB.
 */
function viaShell(argv: string[]): Command {
  return { program: "sh", args: ["-c", '"$@"; exit $?', "sh", ...argv] };
}

interface Sample {
  ms: number;
  rssKib?: number | undefined;
  stdout: Uint8Array;
}

async function runOnce(command: Command, input: Uint8Array): Promise<Sample> {
  const start = performance.now();
  const child = new Deno.Command(command.program, {
    args: command.args,
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const writing = writer.write(input).then(() => writer.close());
  const output = await child.output();
  await writing;
  const ms = performance.now() - start;
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) {
    throw new Error(
      `${[command.program, ...command.args].join(" ")} exited ${output.code}:\n${stderr}`,
    );
  }
  const rss = stderr.lastIndexOf(RSS_TAG);
  const rssKib = rss < 0 ? undefined : parseInt(stderr.slice(rss + RSS_TAG.length), 10);
  return { ms, rssKib, stdout: output.stdout };
}

interface Pair {
  name: string;
  runtime: "Deno" | "Node";
  floor: Command;
  sdk: Command;
  input: Uint8Array;
  runs: number;
  timeTarget?: number;
  memoryTarget?: number;
}

interface Measured {
  pair: Pair;
  floorMs: number[];
  sdkMs: number[];
  floorRss: number[];
  sdkRss: number[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs both sides once, untimed: warms caches and proves the two answers are identical. */
async function verify(pair: Pair): Promise<void> {
  const floor = await runOnce(pair.floor, pair.input);
  const sdk = await runOnce(pair.sdk, pair.input);
  const head = new TextDecoder().decode(sdk.stdout.subarray(0, 200));
  if (!head.startsWith('{"ok":true,"result":')) {
    throw new Error(`${pair.name} (${pair.runtime}): the SDK adapter answered ${head}`);
  }
  if (!sameBytes(floor.stdout, sdk.stdout)) {
    throw new Error(`${pair.name} (${pair.runtime}): the SDK and the floor answer differently`);
  }
}

async function measure(pair: Pair): Promise<Measured> {
  await verify(pair);
  const m: Measured = { pair, floorMs: [], sdkMs: [], floorRss: [], sdkRss: [] };
  for (let i = 0; i < pair.runs; i++) {
    // Alternate which side goes first, so neither always runs on a warmer machine.
    const order = i % 2 === 0 ? ["floor", "sdk"] as const : ["sdk", "floor"] as const;
    for (const side of order) {
      const sample = await runOnce(pair[side], pair.input);
      (side === "floor" ? m.floorMs : m.sdkMs).push(sample.ms);
      if (sample.rssKib !== undefined) {
        (side === "floor" ? m.floorRss : m.sdkRss).push(sample.rssKib);
      }
    }
    Deno.stderr.writeSync(new TextEncoder().encode("."));
  }
  Deno.stderr.writeSync(new TextEncoder().encode(` ${pair.name} (${pair.runtime})\n`));
  return m;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error("median of no samples");
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  if (sorted.length === 0) throw new Error("quantile of no samples");
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The ratio of each interleaved pair, SDK over floor. */
function pairRatios(sdk: number[], floor: number[]): number[] {
  return sdk.map((s, i) => s / floor[i]!); // the runs are interleaved, one floor per SDK run
}

interface Row {
  row: string;
  runtime: string;
  floor: string;
  sdk: string;
  ratio: number;
  spread: string;
  target?: number | undefined;
}

function rowsOf(m: Measured): Row[] {
  const { pair } = m;
  const ratios = pairRatios(m.sdkMs, m.floorMs);
  const memory = m.sdkRss.length > 0 && m.floorRss.length > 0;
  const rows: Row[] = [{
    row: `${pair.name}${memory ? ", time" : ""}`,
    runtime: pair.runtime,
    floor: `${median(m.floorMs).toFixed(1)} ms`,
    sdk: `${median(m.sdkMs).toFixed(1)} ms`,
    ratio: median(ratios),
    spread: spread(ratios),
    target: pair.timeTarget,
  }];
  if (memory) {
    const rssRatios = pairRatios(m.sdkRss, m.floorRss);
    rows.push({
      row: `${pair.name}, peak RSS`,
      runtime: pair.runtime,
      floor: `${(median(m.floorRss) / 1024).toFixed(0)} MiB`,
      sdk: `${(median(m.sdkRss) / 1024).toFixed(0)} MiB`,
      ratio: median(rssRatios),
      spread: spread(rssRatios),
      target: pair.memoryTarget,
    });
  }
  return rows;
}

function spread(ratios: number[]): string {
  return `${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}`;
}

// ---- in-process rows (deno bench) ---------------------------------------------------------

interface BenchResult {
  name: string;
  group?: string;
  baseline: boolean;
  results: Array<{ ok?: { avg: number; n: number } }>;
}

/** One `deno bench` run: group → [floor, SDK] average nanoseconds, and the benches' names. */
async function codecRun(objects: number): Promise<Map<string, { names: string[]; ns: number[] }>> {
  const output = await new Deno.Command(DENO, {
    args: ["bench", "--quiet", "--json", "--allow-env=BENCH_OBJECTS", "bench/codec_bench.ts"],
    cwd: ROOT,
    env: { BENCH_OBJECTS: String(objects) },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`deno bench exited ${output.code}`);
  const report = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    benches: BenchResult[];
  };
  const groups = new Map<string, { names: string[]; ns: number[] }>();
  for (const bench of report.benches) {
    const group = bench.group ?? bench.name;
    const entry = groups.get(group) ?? { names: ["", ""], ns: [NaN, NaN] };
    const side = bench.baseline ? 0 : 1;
    const result = bench.results[0]?.ok;
    if (result === undefined) throw new Error(`deno bench: ${bench.name} failed`);
    entry.names[side] = bench.name;
    entry.ns[side] = result.avg;
    groups.set(group, entry);
  }
  return groups;
}

/**
 * The in-process rows: `deno bench` reports no median, so it runs `runs` times and each
 * run's average per side makes one pair, as in the process rows.
 */
async function codecRows(objects: number, runs: number): Promise<Row[]> {
  const samples = new Map<string, { names: string[]; floor: number[]; sdk: number[] }>();
  for (let i = 0; i < runs; i++) {
    for (const [group, { names, ns }] of await codecRun(objects)) {
      const entry = samples.get(group) ?? { names, floor: [], sdk: [] };
      const [floor, sdk] = ns;
      if (floor === undefined || sdk === undefined) throw new Error(`${group}: not a pair of runs`);
      entry.floor.push(floor);
      entry.sdk.push(sdk);
      samples.set(group, entry);
    }
    Deno.stderr.writeSync(new TextEncoder().encode("."));
  }
  Deno.stderr.writeSync(new TextEncoder().encode(" codec (deno bench)\n"));
  return [...samples].map(([group, { names, floor, sdk }]) => {
    const ratios = pairRatios(sdk, floor);
    return {
      row: `${group}, in-process: \`${names[1]}\` vs \`${names[0]}\``,
      runtime: "Deno",
      floor: `${(median(floor) / 1e6).toFixed(1)} ms`,
      sdk: `${(median(sdk) / 1e6).toFixed(1)} ms`,
      ratio: median(ratios),
      spread: spread(ratios),
    };
  });
}

// ---- the table ----------------------------------------------------------------------------

function table(rows: Row[]): string {
  const header = ["row", "runtime", "floor", "SDK", "SDK / floor", "target", ""];
  const cells = rows.map((r) => [
    r.row,
    r.runtime,
    r.floor,
    r.sdk,
    `**${r.ratio.toFixed(2)}x**${r.spread === "" ? "" : ` (${r.spread})`}`,
    r.target === undefined ? "—" : `≤ ${r.target.toFixed(2)}x`,
    r.target === undefined ? "" : r.ratio <= r.target ? "met" : "**not met**",
  ]);
  // Every row has a cell per header column.
  const width = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(width[i]!)).join(" | ")} |`;
  return [line(header), `|${width.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)]
    .join("\n");
}

// ---- the journal rows ---------------------------------------------------------------------

/** Ops in the journal rows' write. */
const JOURNAL_OPS = 10_000;

interface JournalRow {
  row: string;
  runtime: string;
  floor: string;
  sdk: string;
  /** Median extra microseconds per op, and its interquartile range. */
  perOp: number;
  spread: string;
  target?: number | undefined;
}

/** Per op: the median of the per-pair differences between journaled and not. */
function journalRow(m: Measured, target?: number): JournalRow {
  const extra = m.sdkMs.map((s, i) => (s - m.floorMs[i]!) * 1000 / JOURNAL_OPS);
  return {
    row: m.pair.name,
    runtime: m.pair.runtime,
    floor: `${median(m.floorMs).toFixed(0)} ms`,
    sdk: `${median(m.sdkMs).toFixed(0)} ms`,
    perOp: median(extra),
    spread: `${quantile(extra, 0.25).toFixed(1)}–${quantile(extra, 0.75).toFixed(1)}`,
    target,
  };
}

/**
 * This disk's floor for the `disk` durability: one journal-sized record appended and
 * `fdatasync`ed, `samples` times, in the directory the journal rows write to.
 */
function bareFdatasync(samples: number): JournalRow {
  const path = `${ROOT}/bench/.out/fdatasync.probe`;
  const file = Deno.openSync(path, { append: true, create: true });
  const record = new TextEncoder().encode(
    `{"applied":"create","uid":"${crypto.randomUUID()}","type":"dcim.device","hash":"0123456789abcdef","id":12345}\n`,
  );
  const us: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      file.writeSync(record);
      file.syncDataSync();
      us.push((performance.now() - start) * 1000);
    }
  } finally {
    file.close();
    Deno.removeSync(path);
  }
  return {
    row: "bare `write` + `fdatasync` of one record, this disk",
    runtime: "Deno",
    floor: "—",
    sdk: "—",
    perOp: median(us),
    spread: `${quantile(us, 0.25).toFixed(1)}–${quantile(us, 0.75).toFixed(1)}`,
  };
}

async function journalRows(options: Options): Promise<JournalRow[]> {
  await Deno.mkdir(`${ROOT}/bench/.out`, { recursive: true });
  const input = new TextEncoder().encode(writeRequest(JOURNAL_OPS));
  const access = ["--allow-read=bench/.out", "--allow-write=bench/.out"];
  const deno = (mode: string): Command => ({
    program: DENO,
    args: ["run", "--quiet", ...access, "bench/adapters/deno_apply.ts", mode],
  });
  const node = (mode: string): Command => ({
    program: "node",
    args: ["bench/adapters/node_apply.mjs", mode],
  });
  const runtimes: Array<["Deno" | "Node", (mode: string) => Command]> = [["Deno", deno]];
  if (options.node) runtimes.push(["Node", node]);
  const rows: JournalRow[] = [];
  for (const [runtime, command] of runtimes) {
    const os = await measure({
      name: "journaled `write`, 10k creates, each record flushed to the OS",
      runtime,
      floor: command("none"),
      sdk: command("os"),
      input,
      runs: options.runs,
    });
    rows.push(journalRow(os, 50));
    // Each run spends seconds in fdatasync; fewer runs say as much.
    const disk = await measure({
      name: "journaled `write`, 10k creates, each record `fdatasync`ed",
      runtime,
      floor: command("none"),
      sdk: command("disk"),
      input,
      runs: Math.max(3, Math.ceil(options.runs / 2)),
    });
    rows.push(journalRow(disk));
  }
  rows.push(bareFdatasync(200));
  return rows;
}

function journalTable(rows: JournalRow[]): string {
  const header = ["row", "runtime", "no journal", "journaled", "extra per op", "target", ""];
  const cells = rows.map((r) => [
    r.row,
    r.runtime,
    r.floor,
    r.sdk,
    `**${r.perOp.toFixed(1)} µs** (${r.spread})`,
    r.target === undefined ? "—" : `≤ ${r.target} µs`,
    r.target === undefined ? "" : r.perOp <= r.target ? "met" : "**not met**",
  ]);
  // Every row has a cell per header column.
  const width = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(width[i]!)).join(" | ")} |`;
  return [line(header), `|${width.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)]
    .join("\n");
}

// ---- the SQLite rows ----------------------------------------------------------------------

const SQLITE_DB = "bench/.out/sqlite-bench.db";

/** Whether `node` has `node:sqlite` (Node 22.13 and later). */
async function hasSqlite(node: string): Promise<boolean> {
  const probe = await new Deno.Command(node, {
    args: ["-e", "require('node:sqlite')"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  return probe.success;
}

/** Each run starts from no database, so both sides insert into an empty table. */
function freshDatabase(argv: string[]): Command {
  return { program: "sh", args: ["-c", `rm -f ${SQLITE_DB}*; exec "$@"`, "sh", ...argv] };
}

async function sqlitePairs(options: Options): Promise<Pair[]> {
  await Deno.mkdir(`${ROOT}/bench/.out`, { recursive: true });
  const input = new TextEncoder().encode(writeRequest(options.objects, { path: SQLITE_DB }));
  const name =
    `SQLite example, \`write\` of ${options.objects} creates, against bare \`node:sqlite\``;
  const access = ["--allow-read=bench/.out", "--allow-write=bench/.out"];
  const deno = (script: string) => freshDatabase([DENO, "run", "--quiet", ...access, script]);
  const pairs: Pair[] = [{
    name,
    runtime: "Deno",
    floor: deno("bench/adapters/sqlite_floor.mjs"),
    sdk: deno("examples/sqlite_adapter.ts"),
    input,
    runs: options.runs,
    timeTarget: 1.5,
  }];
  if (!options.node) return pairs;
  if (!await hasSqlite(options.sqliteNode)) {
    console.error(
      `(no Node SQLite row: ${options.sqliteNode} has no node:sqlite; pass --sqlite-node=PATH)`,
    );
    return pairs;
  }
  const node = (script: string) => freshDatabase([options.sqliteNode, script]);
  pairs.push({
    name,
    runtime: "Node",
    floor: node("bench/adapters/sqlite_floor.mjs"),
    sdk: node("npm/esm/examples/sqlite_adapter.js"),
    input,
    runs: options.runs,
    timeTarget: 1.5,
  });
  return pairs;
}

async function machine(): Promise<string> {
  // Deno reads /proc only with --allow-all, so ask a child for it.
  const cpu = await new Deno.Command("cat", { args: ["/proc/cpuinfo"], stdout: "piped" })
    .output().then((o) => new TextDecoder().decode(o.stdout)).catch(() => "")
    .then((text) => text.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown CPU");
  const cores = navigator.hardwareConcurrency;
  const node = await new Deno.Command("node", { args: ["--version"], stdout: "piped" })
    .output().then((o) => new TextDecoder().decode(o.stdout).trim()).catch(() => "absent");
  return `${cores} × ${cpu}; Deno ${Deno.version.deno} (V8 ${Deno.version.v8}); Node ${node}`;
}

/**
 * Bundles the example adapter into one file under bench/.out (inside the repository, so it
 * finds the same deno.json as the floor), minified or not. A failure ends the bench: the Deno
 * start-up target is measured on this file.
 */
async function bundleExample(minify: boolean): Promise<string> {
  const out = `bench/.out/example_adapter.bundle${minify ? ".min" : ""}.js`;
  const result = await new Deno.Command(DENO, {
    args: [
      "bundle",
      "--quiet",
      ...(minify ? ["--minify"] : []),
      "--output",
      out,
      "examples/example_adapter.ts",
    ],
    cwd: ROOT,
    // deno bundle fetches esbuild from npm on first use, and Deno takes that CA bundle too.
    env: CA_BUNDLE === undefined ? {} : { NODE_EXTRA_CA_CERTS: CA_BUNDLE },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`deno bundle failed:\n${new TextDecoder().decode(result.stderr)}`);
  }
  return out;
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  // A CA bundle some machines add costs every Node start 50 ms; adapters' users have none.
  // Only deno bundle's download gets it back (bundleExample).
  Deno.env.delete("NODE_EXTRA_CA_CERTS");
  if (options.node && options.build) {
    const build = await new Deno.Command(DENO, {
      args: ["task", "build:npm"],
      cwd: ROOT,
      stdout: "null",
      stderr: "inherit",
    }).output();
    if (!build.success) throw new Error("deno task build:npm failed");
  }
  const encoder = new TextEncoder();
  const empty = encoder.encode(emptyReadRequest());
  const write = encoder.encode(writeRequest(options.objects));
  const read = encoder.encode(readRequest(options.objects));
  const firstRead = encoder.encode(readRequest(options.objects, false));
  const k = options.objects >= 1000 && options.objects % 1000 === 0
    ? `${options.objects / 1000}k`
    : String(options.objects);
  const mb = (bytes: Uint8Array) => `${(bytes.length / 1e6).toFixed(1)} MB`;

  const deno = (script: string, rss: boolean): Command =>
    rss
      ? viaShell([DENO, "run", "--quiet", "--preload", "bench/peak_rss.mjs", script])
      : { program: DENO, args: ["run", "--quiet", script] };
  const node = (script: string, rss: boolean): Command =>
    rss
      ? viaShell(["node", "--import", "./bench/peak_rss.mjs", script])
      : { program: "node", args: [script] };

  // The Deno start-up target is on the form an adapter is deployed in when its start matters:
  // one file (or a deno compile binary, which reads its modules from itself; it cannot be built
  // here: it needs a download from Deno's host).
  // Under `deno run` of the TypeScript source, Deno's per-module cost of loading the SDK's graph
  // alone is more than the whole budget (the row of the floor with `mod.ts` imported), so the
  // source's row is shown without a target.
  const mainTable = !options.journalOnly && !options.sqliteOnly;
  /** An empty round trip under Deno: `script` against the bare floor. */
  const denoStart = (name: string, script: string, timeTarget?: number): Pair => ({
    name: `empty \`read\` round trip, ${name}`,
    runtime: "Deno",
    floor: deno("bench/adapters/deno_floor.ts", false),
    sdk: deno(script, false),
    input: empty,
    runs: options.smallRuns,
    ...(timeTarget === undefined ? {} : { timeTarget }),
  });
  const pairs: Pair[] = [];
  if (mainTable) {
    pairs.push(
      denoStart("the example as one `deno bundle --minify` file", await bundleExample(true), 1.10),
      denoStart("the example as one `deno bundle` file", await bundleExample(false)),
    );
  }
  pairs.push(
    denoStart("the example's TypeScript source", "examples/example_adapter.ts"),
    denoStart(
      "the floor with `mod.ts` imported and unused",
      "bench/adapters/deno_floor_loading_sdk.ts",
    ),
  );
  if (options.node) {
    pairs.push({
      name: "empty `read` round trip",
      runtime: "Node",
      floor: node("bench/adapters/node_floor.mjs", false),
      sdk: node("npm/esm/examples/example_adapter.js", false),
      input: empty,
      runs: options.smallRuns,
      timeTarget: 1.15,
    });
  }
  const large: Array<[string, Uint8Array, boolean]> = [
    [`\`write\`, ${k} creates (${mb(write)} request)`, write, true],
    [`\`read\`, ${k} objects, all bound in state (${mb(read)} request)`, read, true],
    // Not a target: the same answer without the bound state, to tell its cost apart.
    [`\`read\`, ${k} objects, first import (no device in state)`, firstRead, false],
  ];
  for (const [name, input, target] of large) {
    const targets = target ? { timeTarget: 1.3, memoryTarget: 1.5 } : {};
    pairs.push({
      name,
      runtime: "Deno",
      floor: deno("bench/adapters/deno_floor.ts", true),
      sdk: deno("bench/adapters/deno_sdk.ts", true),
      input,
      runs: options.runs,
      ...targets,
    });
    if (options.node) {
      pairs.push({
        name,
        runtime: "Node",
        floor: node("bench/adapters/node_floor.mjs", true),
        sdk: node("bench/adapters/node_sdk.mjs", true),
        input,
        runs: options.runs,
        ...targets,
      });
    }
  }

  const rows: Row[] = [];
  if (mainTable) {
    for (const pair of pairs) rows.push(...rowsOf(await measure(pair)));
    rows.push(...await codecRows(options.objects, options.codecRuns));
  }
  if (!options.journalOnly) {
    for (const pair of await sqlitePairs(options)) rows.push(...rowsOf(await measure(pair)));
  }
  const journal = options.sqliteOnly ? [] : await journalRows(options);

  if (rows.length > 0) console.log(`\n${table(rows)}\n`);
  if (journal.length > 0) console.log(`\n${journalTable(journal)}\n`);
  console.log(`Machine: ${await machine()}.`);
  console.log(
    `Medians of ${options.smallRuns} (round trips), ${options.runs} (large rows) and ` +
      `${options.codecRuns} (in-process) interleaved runs; the ratio is the median of the ` +
      "per-pair ratios, with its interquartile range. The journal rows: the median of the " +
      "per-pair differences over the write's 10k ops.",
  );
  const missed = rows.filter((r) => r.target !== undefined && r.ratio > r.target).length +
    journal.filter((r) => r.target !== undefined && r.perOp > r.target).length;
  console.log(missed === 0 ? "All targets met." : `${missed} target(s) not met.`);
}

await main();
