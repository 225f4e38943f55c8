/**
 * The apply journal: an append-only file of one JSON line per op applied, so that a write cut
 * off halfway (a crash, the host's SIGKILL after `timeout_seconds`, a backend failing on op 37
 * of 100) can be re-run and skip what is already done.
 *
 * One file per backend instance and plan (a stable hash of the instance and every op), named
 * `<instance>.<plan hash>.journal`. Its first line names both again; every later line records
 * one op by its identity (uid, type and a stable hash of the op):
 *
 * ```text
 * {"alembic_journal":1,"instance":"netbox-prod","plan":"9f2c…","ops":3}
 * {"applied":"create","uid":"11111111-…","type":"dcim.site","hash":"4b1e…","id":7}
 * {"started":"create","uid":"22222222-…","type":"dcim.device","hash":"a0c3…"}
 * ```
 *
 * `started` lines are written only for ops a `recover` function can ask the backend about.
 * A record is one `write(2)` on a file opened for appending, finished before the next op
 * starts: a killed process leaves every record it wrote whole, and at most the last line torn
 * when the machine itself stops (power loss, kernel panic) mid-record. That last line is
 * dropped; damage anywhere else is an error naming the file.
 *
 * @module
 */

import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { parseJson } from "../wire/json.ts";
import type { Op } from "../wire/ops.ts";
import { type BackendId, isBackendId, isPlainObject } from "../wire/values.ts";

/**
 * When a journal record counts as written.
 *
 * - `"os"` (the default): handed to the operating system (`write(2)` on an append-mode file)
 *   before the next op starts. It survives the adapter being killed at any point: a crash, an
 *   out-of-memory kill, the host's SIGKILL after `timeout_seconds`. It costs a few
 *   microseconds per op.
 * - `"disk"`: also `fdatasync`ed to the disk before the next op starts, so it survives a power
 *   loss or kernel panic of the machine the adapter runs on. It costs one disk flush per op
 *   (two for ops a `recover` function covers), often milliseconds each.
 *
 * @example
 * ```ts
 * import type { Durability } from "@alembic-adapter/sdk/apply";
 * const durability: Durability = "disk";
 * ```
 */
export type Durability = "os" | "disk";

/**
 * Where `applyOps` keeps its journal.
 *
 * @example
 * ```ts
 * import type { JournalOptions } from "@alembic-adapter/sdk/apply";
 * const journal: JournalOptions = { dir: ".alembic-journal", instance: "netbox-prod" };
 * ```
 */
export interface JournalOptions {
  /**
   * The directory, created if missing. Relative paths start at the adapter's working directory
   * (the backend config's `working_dir`). Under Deno, grant `--allow-read` and `--allow-write`
   * for it.
   */
  dir: string;
  /**
   * The backend instance the ops are applied to, such as its URL or the config's `instance`:
   * a journal of one instance is never applied to another.
   */
  instance: string;
  /** When a record counts as written; `"os"` by default (see {@linkcode Durability}). */
  durability?: Durability | undefined;
}

/**
 * The plan a journal belongs to: the instance, the ops and their hashes.
 *
 * @example
 * ```ts
 * import type { JournalPlan } from "./journal.ts";
 * const empty: JournalPlan = { instance: "netbox-prod", ops: [], opHashes: [], hash: "0".repeat(64) };
 * ```
 */
export interface JournalPlan {
  /** The backend instance. */
  instance: string;
  /** The ops, in plan order. */
  ops: readonly Op[];
  /** Each op's stable hash, in plan order. */
  opHashes: readonly string[];
  /** The hash of the instance and all ops. */
  hash: string;
}

/**
 * What a journal file says about its plan.
 *
 * @example
 * ```ts
 * import type { JournalContents } from "./journal.ts";
 * const fresh: JournalContents = { applied: new Map(), started: new Set(), keep: 0 };
 * ```
 */
export interface JournalContents {
  /** Ops an earlier run applied, by index into the plan, with the backend id each one got. */
  applied: Map<number, BackendId | undefined>;
  /** Ops an earlier run started and did not record as applied: they may have reached the backend. */
  started: Set<number>;
  /** How many bytes of the file hold whole records; the rest is a torn last line. */
  keep: number;
}

/** The format version this SDK writes and reads. */
const VERSION = 1;

const KINDS = new Set(["create", "update", "delete"]);

/**
 * Reads a journal file's bytes against the plan it must belong to. A torn last line is left
 * out of `keep`; any other damage throws.
 *
 * @param bytes The file's contents.
 * @param path The file, for error messages.
 * @param plan The plan the journal must belong to.
 * @returns What the journal records.
 * @throws {Error} `journal <path> is damaged at line <n>: …`, or `… belongs to another plan`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readJournal } from "./journal.ts";
 * const plan = { instance: "test", ops: [], opHashes: [], hash: "0".repeat(64) };
 * const header = `{"alembic_journal":1,"instance":"test","plan":"${"0".repeat(64)}","ops":0}\n`;
 * const contents = readJournal(new TextEncoder().encode(header + '{"appl'), "x.journal", plan);
 * assert.equal(contents.keep, header.length); // the torn last line is dropped
 * ```
 */
export function readJournal(
  bytes: Uint8Array,
  path: string,
  plan: JournalPlan,
): JournalContents {
  const contents: JournalContents = { applied: new Map(), started: new Set(), keep: 0 };
  const byKey = new Map<string, number[]>();
  plan.ops.forEach((op, i) => {
    // opHashes is built from ops, one hash per op.
    const key = opKey(op.uid, op.type_name, plan.opHashes[i]!);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [i]);
    else list.push(i);
  });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  for (let line = 1; start < bytes.length; line++) {
    const newline = bytes.indexOf(10, start);
    const end = newline < 0 ? bytes.length : newline + 1;
    const last = end === bytes.length;
    let record: unknown;
    try {
      record = parseJson(decoder.decode(bytes.subarray(start, newline < 0 ? end : newline)));
    } catch {
      record = undefined;
    }
    // A line without its newline, or (after a power loss) the last line's bytes unwritten
    // while its length landed: what the format exists for, so only the last line may be torn.
    if (record === undefined || newline < 0) {
      if (last) return contents;
      damaged(path, line, "not a JSON record");
    }
    if (line === 1) checkHeader(record, path, plan);
    else readRecord(record, path, line, plan, byKey, contents);
    contents.keep = end;
    start = end;
  }
  return contents;
}

function checkHeader(record: unknown, path: string, plan: JournalPlan): void {
  if (!isPlainObject(record) || !Object.hasOwn(record, "alembic_journal")) {
    damaged(path, 1, "not a journal header");
  }
  if (record.alembic_journal !== VERSION) {
    throw new Error(
      `journal ${path} is format version ${
        JSON.stringify(record.alembic_journal)
      }, but this SDK reads version ${VERSION}; finish or discard that apply with the SDK that wrote it`,
    );
  }
  if (
    record.instance !== plan.instance || record.plan !== plan.hash ||
    record.ops !== plan.ops.length
  ) {
    throw new Error(
      `journal ${path} belongs to another plan or instance than its name says (instance ${
        JSON.stringify(record.instance)
      }, plan ${JSON.stringify(record.plan)}); move it away to start this plan afresh`,
    );
  }
}

function readRecord(
  record: unknown,
  path: string,
  line: number,
  plan: JournalPlan,
  byKey: Map<string, number[]>,
  contents: JournalContents,
): void {
  if (!isPlainObject(record)) damaged(path, line, "not a JSON object");
  const applied = record.applied;
  const started = record.started;
  const kind = applied ?? started;
  if ((applied === undefined) === (started === undefined) || !KINDS.has(kind as string)) {
    damaged(path, line, 'expected "applied" or "started" with an op kind');
  }
  const { uid, type, hash } = record;
  if (typeof uid !== "string" || typeof type !== "string" || typeof hash !== "string") {
    damaged(path, line, "expected string uid, type and hash");
  }
  const indices = byKey.get(opKey(uid, type, hash));
  if (indices === undefined) {
    damaged(path, line, `${kind} ${type} ${uid} (hash ${hash}) is not an op of this plan`);
  }
  // Each list in byKey was made with one index of the plan in it.
  const planned = plan.ops[indices[0]!]!.op;
  if (planned !== kind) {
    damaged(path, line, `${type} ${uid} is a ${planned} in this plan, not a ${kind}`);
  }
  const index = indices.find((i) => !contents.applied.has(i));
  if (applied === undefined) {
    // A retried op is started again; only an op already applied cannot be.
    if (index === undefined) {
      damaged(path, line, `${kind} ${type} ${uid} started after it was applied`);
    }
    contents.started.add(index);
    return;
  }
  if (index === undefined) {
    damaged(path, line, `${kind} ${type} ${uid} applied more often than planned`);
  }
  const id = record.id;
  if (kind === "delete" ? id !== undefined : !isBackendId(id)) {
    damaged(
      path,
      line,
      kind === "delete" ? "a delete recorded with a backend id" : `${kind} without a backend id`,
    );
  }
  contents.applied.set(index, id as BackendId | undefined);
  contents.started.delete(index);
}

function damaged(path: string, line: number, detail: string): never {
  throw new Error(
    `journal ${path} is damaged at line ${line}: ${detail}; move it away to start this plan afresh (the ops it records would then be applied again)`,
  );
}

function opKey(uid: string, type: string, hash: string): string {
  return `${hash}\u0000${type}\u0000${uid}`;
}

/**
 * An open journal: what earlier runs of its plan applied, and the file to append to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { Journal } from "./journal.ts";
 * const dir = mkdtempSync(join(tmpdir(), "journal-"));
 * const plan = { instance: "demo", ops: [], opHashes: [], hash: "0".repeat(64) };
 * const journal = Journal.open({ dir, instance: "demo" }, plan, console.warn);
 * assert.equal(journal.applied.size, 0); // nothing applied by an earlier run
 * journal.remove();
 * ```
 */
export class Journal {
  /** The file. */
  readonly path: string;
  /** Ops earlier runs applied, by index into the plan, with their backend ids. */
  readonly applied: ReadonlyMap<number, BackendId | undefined>;
  /** Ops an earlier run started and did not record as applied: they may have reached the backend. */
  readonly inDoubt: ReadonlySet<number>;
  /** How many ops are recorded as applied, by earlier runs and this one. */
  recorded: number;
  readonly #plan: JournalPlan;
  readonly #disk: boolean;
  readonly #encoder = new TextEncoder();
  #fd: number | undefined;

  private constructor(
    path: string,
    plan: JournalPlan,
    disk: boolean,
    fd: number,
    read: JournalContents,
  ) {
    this.path = path;
    this.#plan = plan;
    this.#disk = disk;
    this.#fd = fd;
    this.applied = read.applied;
    this.inDoubt = read.started;
    this.recorded = read.applied.size;
  }

  /**
   * Opens the plan's journal in `options.dir`, creating it (and the directory) when there is
   * none, and reads what earlier runs recorded. A torn last line is cut off, with a warning.
   *
   * @param options Where, for which instance, how durable.
   * @param plan The plan.
   * @param warn Receives the note about a dropped torn line.
   * @returns The open journal.
   * @throws {Error} When the file is damaged or cannot be read or written.
   */
  static open(
    options: JournalOptions,
    plan: JournalPlan,
    warn: (message: string) => void,
  ): Journal {
    const disk = (options.durability ?? "os") === "disk";
    const path = join(options.dir, `${fileStem(plan.instance)}.${plan.hash.slice(0, 32)}.journal`);
    let bytes: Uint8Array | undefined;
    try {
      mkdirSync(options.dir, { recursive: true });
      bytes = readFileSync(path);
    } catch (e) {
      if ((e as { code?: unknown }).code !== "ENOENT") throw fileError("could not read", path, e);
    }
    const read = bytes === undefined
      ? { applied: new Map(), started: new Set<number>(), keep: 0 }
      : readJournal(bytes, path, plan);
    let fd: number;
    try {
      fd = openSync(path, "a");
    } catch (e) {
      throw fileError("could not open", path, e);
    }
    const journal = new Journal(path, plan, disk, fd, read);
    if (bytes !== undefined && read.keep < bytes.length) {
      warn(
        `alembic-adapter-sdk: dropped the torn last line of the journal ${path} (${
          bytes.length - read.keep
        } bytes): the run that wrote it stopped mid-record`,
      );
      // Appending after the torn bytes would glue the next record onto them.
      journal.#guard(() => ftruncateSync(fd, read.keep), "could not truncate");
    }
    if (read.keep === 0) {
      journal.#append(
        `{"alembic_journal":${VERSION},"instance":${
          JSON.stringify(plan.instance)
        },"plan":"${plan.hash}","ops":${plan.ops.length}}\n`,
      );
      // The file's name must survive a power loss too, not only its contents.
      if (disk) syncDirectory(options.dir);
    }
    return journal;
  }

  /**
   * Records that op `index` is about to reach the backend (for ops `recover` can ask about).
   *
   * @param index The op's index in the plan.
   */
  begin(index: number): void {
    this.#append(`{"started":${this.#identity(index)}}\n`);
  }

  /**
   * Records op `index` as applied, with the backend id it got (none for a delete).
   *
   * @param index The op's index in the plan.
   * @param id Its backend id.
   */
  done(index: number, id: BackendId | undefined): void {
    const idJson = id === undefined
      ? ""
      : `,"id":${typeof id === "string" ? JSON.stringify(id) : String(id)}`;
    this.#append(`{"applied":${this.#identity(index)}${idJson}}\n`);
    this.recorded++;
  }

  /** Closes the file and removes it: the write is through, deletes included. */
  remove(): void {
    this.close();
    this.#guard(() => unlinkSync(this.path), "could not remove");
  }

  /** Closes the file and leaves it for the next run. */
  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    this.#guard(() => closeSync(fd), "could not close");
  }

  /** `index` is an op of the plan: callers pass indices they took from it. */
  #identity(index: number): string {
    const op = this.#plan.ops[index]!;
    return `"${op.op}","uid":${JSON.stringify(op.uid)},"type":${
      JSON.stringify(op.type_name)
    },"hash":"${this.#plan.opHashes[index]!}"`;
  }

  #append(line: string): void {
    const fd = this.#fd;
    if (fd === undefined) throw new Error(`journal ${this.path} is closed`);
    const bytes = this.#encoder.encode(line);
    this.#guard(() => {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
      if (this.#disk) fdatasyncSync(fd);
    }, "could not append to");
  }

  #guard(action: () => void, what: string): void {
    try {
      action();
    } catch (e) {
      throw fileError(what, this.path, e);
    }
  }
}

/** The instance as part of a file name: the characters every file system takes. */
function fileStem(instance: string): string {
  const stem = instance.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(0, 64);
  return stem === "" ? "instance" : stem;
}

function syncDirectory(dir: string): void {
  // Not every platform can open a directory (Windows cannot); its entry is then as durable
  // as that platform makes it.
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // see above
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fileError(what: string, path: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(`${what} the journal ${path}: ${detail}`, { cause });
}
