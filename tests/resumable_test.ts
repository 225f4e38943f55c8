// Resumable writes through the real process: tests/adapters/resumable_adapter.ts on applyOps
// with a journal, over a backend that logs every call it receives to a file. The adapter is
// SIGKILLed at seeded random points of a 10k-op write, the same request is sent again after
// every kill, and at the end every op reached the backend exactly once and the last answer
// gives alembic a backend id for every create and update.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { adapterCommand, oneDocument } from "./support/spawn.ts";
import { first, programOf } from "./support/tuple.ts";

const FIELD = { type: "string", required: false, nullable: false };
const SCHEMA = {
  types: {
    "dcim.site": { key: { slug: FIELD }, fields: { name: FIELD } },
    "dcim.device": {
      key: { name: FIELD },
      fields: {
        name: FIELD,
        site: { type: { type: "ref", target: "dcim.site" }, required: false, nullable: true },
        peer: { type: { type: "ref", target: "dcim.device" }, required: false, nullable: true },
      },
    },
  },
};

/** A small seeded generator (mulberry32), so every run of the test kills at the same points. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uid = (family: number, n: number): string =>
  `${String(family).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;

type Op = Record<string, unknown> & { op: string; uid: string; type_name: string };

const siteOp = (n: number): Op => ({
  op: "create",
  uid: uid(1, n),
  type_name: "dcim.site",
  desired: { uid: uid(1, n), type: "dcim.site", key: { slug: `s${n}` }, attrs: { name: `S${n}` } },
});

function deviceOp(kind: "create" | "update", u: string, name: string, attrs: object): Op {
  return {
    op: kind,
    uid: u,
    type_name: "dcim.device",
    desired: { uid: u, type: "dcim.device", key: { name }, attrs: { name, ...attrs } },
    ...(kind === "update" ? { changes: [] } : {}),
  };
}

/** What the test needs to know of a plan: the ops, and the ids state binds. */
interface Plan {
  ops: Op[];
  mappings: Record<string, Record<string, string>>;
}

/**
 * A write of `total` ops as the host sends one: site creates, device creates referring to them
 * (some to sites bound in state, some to sites created later in the write, which makes them
 * wait a round), creates followed by an update of the same uid without a backend id, updates
 * and deletes of devices state binds.
 */
function plan(total: number, next: () => number): Plan {
  const sites: Record<string, string> = {};
  const devices: Record<string, string> = {};
  for (let n = 1; n <= 20; n++) sites[uid(2, n)] = `site-${n}`;
  for (let n = 1; n <= 400; n++) devices[uid(3, n)] = `dev-${n}`;
  const early: Op[] = [];
  const late: Op[] = [];
  for (let n = 1; n <= 100; n++) (n <= 90 ? early : late).push(siteOp(n));
  const siteRef = () =>
    next() < 0.2 ? uid(2, 1 + Math.floor(next() * 20)) : uid(1, 1 + Math.floor(next() * 100));
  const updates: Op[] = [];
  const tail: Op[] = [];
  for (let n = 1; n <= 300; n++) {
    const op = deviceOp("update", uid(3, n), `bound-${n}`, { site: siteRef() });
    updates.push({ ...op, backend_id: devices[uid(3, n)] });
  }
  for (let n = 301; n <= 400; n++) {
    tail.push({
      op: "delete",
      uid: uid(3, n),
      type_name: "dcim.device",
      key: { name: `bound-${n}` },
      backend_id: devices[uid(3, n)],
    });
  }
  const creates = total - early.length - late.length - updates.length - tail.length - 200;
  const body: Op[] = [];
  for (let n = 1; n <= creates + 100; n++) {
    const u = uid(4, n);
    body.push(deviceOp("create", u, `d${n}`, { site: siteRef() }));
    // A reference cycle broken in two steps: the update sets the ref its create left out.
    if (n > creates) {
      body.push(deviceOp("update", u, `d${n}`, { site: siteRef(), peer: uid(4, n - 1) }));
    }
  }
  return {
    ops: [...early, ...body.slice(0, 2000), ...late, ...body.slice(2000), ...updates, ...tail],
    mappings: { "dcim.site": sites, "dcim.device": devices },
  };
}

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A backend directory and a journal directory under a fresh temp dir. */
function scratch() {
  const root = mkdtempSync(join(tmpdir(), "resumable-"));
  dirs.push(root);
  const backend = join(root, "backend");
  const journal = join(root, "journal");
  mkdirSync(backend);
  const command = adapterCommand("tests/adapters/resumable_adapter", [
    `--allow-read=${root}`,
    `--allow-write=${root}`,
  ]);
  const calls = (): string[] => {
    const path = join(backend, "calls.log");
    return existsSync(path)
      ? readFileSync(path, "utf8").trimEnd().split("\n").filter((l) => l !== "")
      : [];
  };
  return { root, backend, journal, command, calls };
}

interface Run {
  signal: string | null;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the adapter on `request`. With `afterMs`, SIGKILLs it that long after the spawn; with
 * `stalled`, as soon as that file exists (the backend writes it and blocks, so the run stops
 * there until it is killed).
 */
function send(
  command: string[],
  request: string,
  kill: { stalled?: string; afterMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(...programOf(command), { stdio: ["pipe", "pipe", "pipe"] });
    const out: string[] = [];
    const err: string[] = [];
    child.stdout.setEncoding("utf8").on("data", (c: string) => out.push(c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => err.push(c));
    child.stdin.on("error", () => {}); // killed before it read everything
    const timers: ReturnType<typeof setTimeout>[] = [];
    const stop = () => child.kill("SIGKILL");
    if (kill.afterMs !== undefined) timers.push(setTimeout(stop, kill.afterMs));
    if (kill.stalled !== undefined) {
      const marker = kill.stalled;
      const poll = () => existsSync(marker) ? stop() : timers.push(setTimeout(poll, 2));
      poll();
    }
    child.on("error", reject);
    child.on("close", (code, signal) => {
      timers.forEach(clearTimeout);
      resolve({ code, signal, stdout: out.join(""), stderr: err.join("") });
    });
    child.stdin.end(request);
  });
}

function writeRequest(p: Plan, setup: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    setup,
    method: "write",
    schema: SCHEMA,
    ops: p.ops,
    state: { mappings: p.mappings },
  });
}

/** The calls log as `<kind> <uid>` → the lines that name it. */
function byOp(lines: string[]): Map<string, Array<[string, string]>> {
  const out = new Map<string, Array<[string, string]>>();
  for (const line of lines) {
    const [kind, u, id, ...attrs] = line.split(" ");
    if (id === undefined) throw new Error(`calls log line without an id: ${line}`);
    const key = `${kind} ${u}`;
    out.set(key, [...(out.get(key) ?? []), [id, attrs.join(" ")]]);
  }
  return out;
}

interface AppliedOp {
  uid: string;
  type_name: string;
  backend_id?: string | number;
}

async function killedUntilDone(options: { seed: number; concurrency: number; async: boolean }) {
  const OPS = 10_000;
  const KILLS = 20;
  const next = random(options.seed);
  const p = plan(OPS, next);
  assert.equal(p.ops.length, OPS);
  const { backend, journal, command, calls } = scratch();
  const marker = join(backend, "stalled");
  const base = { backend, journal, concurrency: options.concurrency, async: options.async };
  let kills = 0;
  let inDoubt = 0;
  for (;;) {
    rmSync(marker, { force: true });
    const done = calls().length;
    if (kills === KILLS) {
      const last = await send(command, writeRequest(p, base));
      assert.equal(last.code, 0, last.stderr);
      const answer = oneDocument(last.stdout);
      assert.equal(answer.ok, true, JSON.stringify(answer).slice(0, 500));
      return {
        p,
        done,
        calls: calls(),
        result: answer.result as Record<string, unknown>,
        journal,
        kills,
        inDoubt,
      };
    }
    // The backend stalls inside its `at`-th call, before the call's effect or after it (and
    // before the journal records it); `at` leaves a call for every kill still to come.
    const at = Math.min(
      OPS - (KILLS - kills - 1),
      done + 1 + Math.floor(next() * (2 * OPS / (KILLS + 1))),
    );
    const after = next() < 0.5;
    const setup = { ...base, stall: { at, after } };
    // A quarter of the kills go by time instead, which lands anywhere from the adapter's
    // start-up (reading the journal) to the stall.
    const byTime = next() < 0.25;
    const run = await send(
      command,
      writeRequest(p, setup),
      byTime ? { afterMs: next() * 300 } : { stalled: marker },
    );
    if (after && existsSync(marker)) inDoubt++;
    assert.equal(
      run.signal,
      "SIGKILL",
      `run ${kills + 1} was not killed: ${run.stdout.slice(0, 300)}${run.stderr.slice(0, 300)}`,
    );
    kills++;
  }
}

/** Every op reached the backend once, and the last answer binds every create and update. */
function checkExactlyOnce(outcome: Awaited<ReturnType<typeof killedUntilDone>>): void {
  const { p, done, calls, result } = outcome;
  const reached = byOp(calls);
  const once = [...reached].filter(([, lines]) => lines.length !== 1).map(([key]) => key);
  assert.deepEqual(once, [], "ops that reached the backend more than once");
  assert.equal(calls.length, p.ops.length, "every op reached the backend");

  const expected: string[] = [];
  const createdId = new Map<string, string>();
  for (const op of p.ops) {
    if (op.op === "create") createdId.set(op.uid, reached.get(`create ${op.uid}`)![0]![0]);
  }
  for (const op of p.ops) {
    if (op.op === "delete") continue;
    const bound = p.mappings[op.type_name]?.[op.uid];
    expected.push(`${op.uid} ${createdId.get(op.uid) ?? bound}`);
  }
  const applied = result.applied as AppliedOp[];
  const resumed = (result.resumed ?? []) as AppliedOp[];
  const got = [...applied, ...resumed].filter((a) => a.backend_id !== undefined)
    .map((a) => `${a.uid} ${a.backend_id}`);
  assert.deepEqual(got.sort(), expected.sort());
  const deletes = p.ops.filter((op) => op.op === "delete").map((op) => op.uid);
  assert.deepEqual(
    applied.filter((a) => a.backend_id === undefined).map((a) => a.uid).sort(),
    deletes.sort(),
  );
  assert.equal(result.previously_applied_count, done, "the ops earlier runs applied");

  // Refs went to the right backend ids across runs: a device's site is its site's id.
  const siteId = (site: string) => createdId.get(site) ?? p.mappings["dcim.site"]![site];
  for (const op of p.ops) {
    if (op.op === "delete" || op.type_name !== "dcim.device") continue;
    const [, attrs] = first(reached.get(`${op.op} ${op.uid}`)!);
    const desired = (op.desired as { attrs: { site: string } }).attrs;
    assert.equal(String(JSON.parse(attrs).site), siteId(desired.site), `${op.op} ${op.uid}`);
  }
  assert.deepEqual(
    readdirSync(outcome.journal),
    [],
    "the journal is gone after the write went through",
  );
}

describe("a journaled write killed at random points", () => {
  it("10k ops, 20 SIGKILLs, sync and sequential: every op reaches the backend once", async () => {
    const outcome = await killedUntilDone({ seed: 13, concurrency: 1, async: false });
    assert.equal(outcome.kills, 20);
    assert.ok(outcome.inDoubt > 0, "some kills fell between a call's effect and its record");
    checkExactlyOnce(outcome);
  });

  it("10k ops, 20 SIGKILLs, async with 4 in flight: every op reaches the backend once", async () => {
    const outcome = await killedUntilDone({ seed: 7, concurrency: 4, async: true });
    checkExactlyOnce(outcome);
  });
});

describe("a journaled write that fails", () => {
  const sites = (n: number): Plan => ({
    ops: Array.from({ length: n }, (_, i) => siteOp(i + 1)),
    mappings: {},
  });

  it("answers ok:false naming a failed op, and the next run resumes after the ops done", async () => {
    const { backend, journal, command, calls } = scratch();
    const p = sites(100);
    const failing = await send(command, writeRequest(p, { backend, journal, fail: uid(1, 38) }));
    assert.equal(failing.code, 0, failing.stderr);
    assert.deepEqual(oneDocument(failing.stdout), {
      ok: false,
      error: `ops[37] create dcim.site ${uid(1, 38)}: backend refused: 422 unprocessable`,
    });
    assert.match(
      failing.stderr,
      /records 37 of 100 ops as applied; re-running the same plan resumes after them/,
    );
    assert.equal(calls().length, 37);

    const resumed = await send(command, writeRequest(p, { backend, journal }));
    const answer = oneDocument(resumed.stdout);
    const result = answer.result as Record<string, unknown>;
    assert.equal(result.previously_applied_count, 37);
    assert.deepEqual(
      (result.resumed as AppliedOp[]).map((a) => a.backend_id),
      Array.from({ length: 37 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      (result.applied as AppliedOp[]).map((a) => a.uid),
      p.ops.slice(37).map((op) => op.uid),
    );
    assert.deepEqual(
      [...byOp(calls()).values()].map((lines) => lines.length),
      new Array(100).fill(1),
    );
  });

  it("answers ok:false naming the ops of a ref cycle, and sends none of them to the backend", async () => {
    const { backend, journal, command, calls } = scratch();
    const a = uid(4, 1);
    const b = uid(4, 2);
    const p: Plan = {
      ops: [
        siteOp(1),
        deviceOp("create", a, "a", { peer: b }),
        deviceOp("create", b, "b", { peer: a }),
      ],
      mappings: {},
    };
    const run = await send(command, writeRequest(p, { backend, journal }));
    assert.deepEqual(oneDocument(run.stdout), {
      ok: false,
      error:
        `2 ops made no progress: ops[1] create dcim.device ${a} waits for dcim.device ${b}; ops[2] create dcim.device ${b} waits for dcim.device ${a}`,
    });
    assert.deepEqual(calls().map((line) => line.split(" ").slice(0, 2).join(" ")), [
      `create ${uid(1, 1)}`,
    ]);
  });
});
