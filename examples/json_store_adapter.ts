/**
 * A complete alembic external adapter whose "backend" is one JSON file.
 *
 * Where `example_adapter.ts` leaves the backend calls as TODOs, this one implements every
 * method, so `alembic plan` / `apply` converge against it as against a real backend. The store,
 * one object a line:
 *
 *     {
 *       "next_id": 3,
 *       "types": {"dcim.site":["name","slug"]},
 *       "objects": {
 *         "1": {"type":"dcim.site","key":{"site":"fra1"},"attrs":{"name":"FRA1","slug":"fra1"}},
 *         "2": {"type":"dcim.site","key":{"site":"ams1"},"attrs":{"name":"AMS1","slug":"ams1"}}
 *       }
 *     }
 *
 * What it guarantees, since a file is easy to share and to damage:
 *
 * - Backend ids are the integer keys of `objects`, handed out from `next_id` and never reused.
 * - A write applies its ops to the store in memory, checks its report as the SDK will
 *   (`checkWrite`), and only then replaces the file in one rename. A failing op, a report the
 *   SDK would refuse, a crash or a full disk leave the previous store as it was, and the host
 *   records nothing for a write that did not complete.
 * - Writes queue on a lock file beside the store (`file_lock.ts`), so overlapping ones (two
 *   terminals, a cron job and a person) apply one after the other and none is lost. One that
 *   waits longer than `setup.lock_wait_ms` answers ok:false naming the lock's holder. A killed
 *   writer's lock is taken over once it has gone 10 s without a heartbeat. Reads take no lock:
 *   the rename lets each read see one whole store, never half of a write.
 * - Integers beyond 2^53 keep their digits: the file is read and written with the SDK's own
 *   `parseJson` and `stringifyJson`.
 * - A file that is not a store as this adapter writes it (not UTF-8, not JSON, a member missing
 *   or of the wrong type, a `next_id` not above every id in use) is refused, naming the file and
 *   the place (`store.json: objects["1"]: expected an object, got null`), and never overwritten.
 *   A leading byte order mark is accepted.
 * - The path may be a symbolic link (even to a file not created yet): the file it leads to is
 *   replaced and keeps its mode, and the link stays a link.
 * - A write first removes the temporary files that killed writes left beside the store.
 *
 * Refs are kept as uids, which alembic understands as is; a backend that stores its own ids
 * would translate them with `state.uid()` on read.
 *
 * File I/O uses `node:fs`, so the same file runs under Deno, Node and Bun. Under Deno it needs
 * read and write access to the directory of the file the path leads to (the lock and the
 * temporary file sit beside it), and no other permission:
 *
 *     deno run --allow-read=. --allow-write=. examples/json_store_adapter.ts < request.json
 *
 * `setup: { path: "store.json", lock_wait_ms: 10000 }` chooses the file (relative to the
 * working directory) and how long a write waits for another one (10 s when not given).
 *
 * @module
 */

import { open, readdir, readFile, readlink, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import process from "node:process";
import {
  Adapter,
  applied,
  type ApplyReport,
  type BackendId,
  deleted,
  type ExternalObject,
  type JsonObject,
  type JsonValue,
  keyString,
  type Op,
  type ProvisionReport,
  run,
  type Schema,
  type State,
} from "../mod.ts";
import { checkWrite } from "../checks.ts";
import { parseJson, stringifyJson } from "../codec.ts";
import { FileLock } from "./file_lock.ts";

interface StoredObject {
  type: string;
  key: JsonObject;
  attrs: JsonObject;
}

/** The store in memory. Maps, not objects: a type named `__proto__` must stay a type. */
interface Store {
  nextId: number;
  /** Provisioned types, each with its provisioned attribute fields. */
  types: Map<string, string[]>;
  objects: Map<number, StoredObject>;
}

class JsonStoreAdapter extends Adapter {
  path = "store.json";
  lockWaitMs = 10_000;

  override setup(config: JsonValue): void {
    if (config === null || typeof config !== "object" || Array.isArray(config)) return;
    if (config.path !== undefined) {
      if (typeof config.path !== "string") throw new Error("setup.path must be a string");
      this.path = config.path;
    }
    if (config.lock_wait_ms !== undefined) {
      const ms = config.lock_wait_ms;
      if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 0) {
        throw new Error("setup.lock_wait_ms must be a whole number of milliseconds, 0 or more");
      }
      this.lockWaitMs = ms;
    }
  }

  override async read(_schema: Schema, types: string[], _state: State): Promise<ExternalObject[]> {
    const wanted = new Set(types);
    const store = await load(this.path, await storeFile(this.path));
    return [...store.objects]
      .filter(([, o]) => wanted.has(o.type))
      .map(([id, o]) => ({ type_name: o.type, key: o.key, attrs: o.attrs, backend_id: id }));
  }

  override write(_schema: Schema, ops: Op[], state: State): Promise<ApplyReport> {
    return this.change((store) => {
      const report = applyOps(store, ops, state);
      // Save only a report the SDK will send: an answer of ok:false must leave nothing saved.
      const errors = checkWrite(ops, report).filter((p) => p.severity === "error");
      if (errors.length > 0) throw new Error(errors.map((p) => p.message).join("; "));
      return { result: report, changed: ops.length > 0 };
    });
  }

  override ensureSchema(schema: Schema): Promise<ProvisionReport> {
    return this.change((store) => {
      const report = missingSchema(store, schema);
      for (const [type, typeSchema] of Object.entries(schema.types)) {
        const known = store.types.get(type) ?? [];
        const fields = new Set([...known, ...Object.keys(typeSchema.fields)]);
        store.types.set(type, [...fields].sort());
      }
      const changed = report.created_object_types!.length + report.created_object_fields!.length;
      return { result: report, changed: changed > 0 };
    });
  }

  override async previewSchema(schema: Schema): Promise<ProvisionReport> {
    return missingSchema(await load(this.path, await storeFile(this.path)), schema);
  }

  /**
   * Loads the store, lets `work` change it and saves it, all under the lock, so that a write
   * that overlaps this one starts from what this one saved. `work` throws to save nothing.
   */
  async change<T>(work: (store: Store) => { result: T; changed: boolean }): Promise<T> {
    const file = await storeFile(this.path);
    const lock = await FileLock.acquire(`${file}.lock`, this.lockWaitMs);
    try {
      await removeStaleTemporaries(file);
      const store = await load(this.path, file);
      const { result, changed } = work(store);
      if (changed) await save(this.path, file, store, lock);
      return result;
    } finally {
      await lock.release();
    }
  }
}

/** Applies `ops` to the store in memory, in order; throws at the first op that cannot apply. */
function applyOps(store: Store, ops: Op[], state: State): ApplyReport {
  // A create and a later update of the same uid may share one write (reference cycles).
  const createdHere = new Map<string, number>();
  const byKey = keyIndex(store);
  const report: ApplyReport = { applied: [] };
  ops.forEach((op, i) => {
    const at = `ops[${i}] ${op.op} ${clipped(op.type_name)} ${op.uid}`;
    switch (op.op) {
      case "create": {
        const identity = identityOf(op.type_name, op.desired.key);
        const existing = byKey.get(identity);
        if (existing !== undefined) {
          // A second object with the same key would make every later read ambiguous.
          throw new Error(`${at}: backend id ${existing} already has this key`);
        }
        const id = store.nextId;
        // next_id must stay a safe integer, or the store would not load again.
        if (!Number.isSafeInteger(id + 1)) throw new Error(`${at}: no backend ids are left`);
        store.nextId = id + 1;
        store.objects.set(id, { type: op.type_name, key: op.desired.key, attrs: op.desired.attrs });
        createdHere.set(op.uid, id);
        byKey.set(identity, id);
        report.applied.push(applied(op, id));
        break;
      }
      case "update": {
        const id = op.backend_id ?? createdHere.get(op.uid) ??
          state.backendId(op.type_name, op.uid);
        const record = typeof id === "number" ? store.objects.get(id) : undefined;
        if (id === undefined) throw new Error(`${at}: no backend id, and none in state`);
        if (record === undefined) {
          throw new Error(`${at}: no stored object with backend id ${shown(id)}`);
        }
        checkType(record, op.type_name, id, at);
        const identity = identityOf(op.type_name, op.desired.key);
        const holder = byKey.get(identity);
        if (holder !== undefined && holder !== id) {
          throw new Error(`${at}: backend id ${holder} already has this key`);
        }
        byKey.delete(identityOf(record.type, record.key));
        byKey.set(identity, id as number); // it found a record, so it is a number
        // An update carries the whole desired projection, not only the changed fields.
        record.key = op.desired.key;
        record.attrs = op.desired.attrs;
        report.applied.push(applied(op, id));
        break;
      }
      case "delete": {
        // By backend id (of the op's own type), else by key: a store edited by hand, or
        // restored from a backup, may hold the object under another id than state says.
        const id = typeof op.backend_id === "number" && store.objects.has(op.backend_id)
          ? op.backend_id
          : byKey.get(identityOf(op.type_name, op.key));
        const record = id === undefined ? undefined : store.objects.get(id);
        if (record !== undefined) {
          checkType(record, op.type_name, id!, at);
          byKey.delete(identityOf(record.type, record.key));
          store.objects.delete(id!);
        }
        // Already gone counts as deleted; reporting no backend id unbinds the uid.
        report.applied.push(deleted(op));
        break;
      }
    }
  });
  return report;
}

/** An op's backend id must name an object of the op's own type, for a delete as for an update. */
function checkType(record: StoredObject, type: string, id: BackendId, at: string): void {
  if (record.type !== type) {
    throw new Error(
      `${at}: backend id ${shown(id)} belongs to a ${clipped(record.type)}, not a ${clipped(type)}`,
    );
  }
}

/** Each stored object's backend id by its type and canonical key. */
function keyIndex(store: Store): Map<string, number> {
  const index = new Map<string, number>();
  for (const [id, o] of store.objects) index.set(identityOf(o.type, o.key), id);
  return index;
}

function identityOf(type: string, key: JsonObject): string {
  return `${type}\u0000${keyString(key)}`;
}

/** What the schema declares that the store has not provisioned yet. */
function missingSchema(store: Store, schema: Schema): ProvisionReport {
  const types: string[] = [];
  const fields: string[] = [];
  for (const [type, typeSchema] of Object.entries(schema.types)) {
    const known = store.types.get(type);
    if (known === undefined) types.push(type);
    for (const field of Object.keys(typeSchema.fields)) {
      if (!known?.includes(field)) fields.push(`${type}.${field}`);
    }
  }
  return { created_object_types: types.sort(), created_object_fields: fields.sort() };
}

/**
 * The file `path` leads to, through symbolic links: the store is replaced there, so that a link
 * stays a link and its target does not go stale. A link to a file not created yet leads to
 * where that file will be.
 */
async function storeFile(path: string): Promise<string> {
  let at = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      return await realpath(at);
    } catch (e) {
      if (code(e) !== "ENOENT") throw new Error(`cannot resolve the store ${path}`, { cause: e });
    }
    let target: string;
    try {
      target = await readlink(at);
    } catch {
      // Not a link, so the file is not there yet: it will be created in its directory.
      return join(await realpath(dirname(at)).catch(() => dirname(at)), basename(at));
    }
    at = isAbsolute(target) ? target : join(dirname(at), target);
  }
  throw new Error(`cannot resolve the store ${path}: too many symbolic links`);
}

/** Reads and checks the store; a missing file is an empty store. `name` is how errors call it. */
async function load(name: string, file: string): Promise<Store> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    if (code(e) === "ENOENT") return { nextId: 1, types: new Map(), objects: new Map() };
    throw new Error(`cannot read the store ${name}`, { cause: e });
  }
  let text: string;
  try {
    // fatal: replacement characters would be saved back in place of the bytes they replace.
    // The decoder drops a leading byte order mark, which some editors add.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${name}: not UTF-8 text, so not a store`);
  }
  if (text.trim() === "") {
    throw new Error(`${name}: empty, so not a store (delete it to start with an empty store)`);
  }
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    // The SDK's own words, with the line and column, the same under every engine.
    throw new Error(`${name}: not JSON: ${(e as Error).message}`);
  }
  return checkStore(value, name);
}

/** The store in `value`, checked member by member, since the rest of the adapter trusts it. */
function checkStore(value: JsonValue, name: string): Store {
  const fail = (place: string, problem: string): never => {
    throw new Error(`${name}: ${place === "" ? "" : `${place}: `}${problem}`);
  };
  const expect = (place: string, what: string, got: JsonValue | undefined): never =>
    fail(place, `expected ${what}, got ${described(got)}`);
  const object = (place: string, v: JsonValue | undefined): JsonObject =>
    isObject(v) ? v : expect(place, "an object", v);
  const only = (place: string, o: JsonObject, members: string[]): void => {
    for (const m of Object.keys(o)) {
      // Saving the store again would drop it: refuse rather than lose it.
      if (!members.includes(m)) fail(place, `unexpected member ${shown(m)}`);
    }
  };

  const top = object("", value);
  only("", top, ["next_id", "types", "objects"]);
  const nextId = top.next_id;
  if (typeof nextId !== "number" || !Number.isSafeInteger(nextId) || nextId < 1) {
    expect("next_id", "a positive integer", nextId);
  }
  const types = new Map<string, string[]>();
  for (const [type, fields] of Object.entries(object("types", top.types))) {
    const place = `types[${shown(type)}]`;
    if (!Array.isArray(fields)) expect(place, "an array of field names", fields);
    (fields as JsonValue[]).forEach((f, i) => {
      if (typeof f !== "string") expect(`${place}[${i}]`, "a field name", f);
    });
    types.set(type, fields as string[]);
  }
  const objects = new Map<number, StoredObject>();
  for (const [id, o] of Object.entries(object("objects", top.objects))) {
    const place = `objects[${shown(id)}]`;
    if (!/^[1-9][0-9]*$/.test(id) || !Number.isSafeInteger(Number(id))) {
      fail(place, "not a backend id (a positive integer, without leading zeros)");
    }
    const stored = object(place, o);
    only(place, stored, ["type", "key", "attrs"]);
    if (typeof stored.type !== "string" || stored.type === "") {
      expect(`${place}.type`, "a type name", stored.type);
    }
    objects.set(Number(id), {
      type: stored.type as string,
      key: object(`${place}.key`, stored.key),
      attrs: object(`${place}.attrs`, stored.attrs),
    });
  }
  let highest = 0;
  for (const id of objects.keys()) highest = Math.max(highest, id);
  if ((nextId as number) <= highest) {
    // Otherwise the next create would overwrite an object in use.
    fail("next_id", `${nextId} is not above ${highest}, a backend id in use`);
  }
  return { nextId: nextId as number, types, objects };
}

/** Replaces the store in one step: write a temporary file, flush it to disk, rename it over. */
async function save(name: string, file: string, store: Store, lock: FileLock): Promise<void> {
  // Named by pid so that the next writer, holding the lock, knows it for a leftover.
  const temporary = `${file}.${process.pid}.tmp`;
  let created = false;
  try {
    const mode = await stat(file).then((s) => s.mode & 0o7777, (e) => {
      if (code(e) === "ENOENT") return undefined;
      throw e;
    });
    const handle = await open(temporary, "wx");
    created = true;
    try {
      // The rename gives the store the temporary file's mode: make it the store's own.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(storeText(store));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await lock.check();
    await rename(temporary, file);
  } catch (e) {
    // Cleaning up must not hide why the save failed.
    if (created) await rm(temporary, { force: true }).catch(() => {});
    throw new Error(`cannot save the store ${name}`, { cause: e });
  }
}

/** The store's text: exact integers, and one object a line, so that a person can read it. */
function storeText(store: Store): string {
  const json = (v: unknown): string => stringifyJson(v, true);
  const objects = [...store.objects].map(([id, o]) =>
    `    "${id}": ${json({ type: o.type, key: o.key, attrs: o.attrs })}`
  );
  return [
    "{",
    `  "next_id": ${store.nextId},`,
    // fromEntries defines own members, so a type named __proto__ is written like any other.
    `  "types": ${json(Object.fromEntries(store.types))},`,
    objects.length === 0 ? `  "objects": {}` : `  "objects": {\n${objects.join(",\n")}\n  }`,
    "}",
    "",
  ].join("\n");
}

/**
 * Removes what killed writers left: temporary files beside the store. Only the lock's holder
 * writes one, and it holds the lock now, so every one found is a leftover.
 */
async function removeStaleTemporaries(file: string): Promise<void> {
  const base = basename(file);
  const dir = dirname(file);
  for (const entry of await readdir(dir).catch(() => [])) {
    // `<store>.<pid>.tmp`, and the `<store>.<uuid>.tmp` of earlier versions of this example.
    if (!entry.startsWith(`${base}.`) || !/^[0-9a-f-]+\.tmp$/.test(entry.slice(base.length + 1))) {
      continue;
    }
    await rm(join(dir, entry)).catch((e) => {
      console.warn(`cannot remove the leftover ${join(dir, entry)}: ${String(e)}`);
    });
  }
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function described(v: JsonValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return shown(v);
}

/** A value as an error message quotes it: short, whatever its size. */
function shown(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(clipped(v)) : String(v);
}

/** At most 40 characters of `text`: a message must stay readable whatever the request held. */
function clipped(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function code(e: unknown): unknown {
  return (e as { code?: unknown } | null)?.code;
}

// Served only when started as a program, so that tests may import this module.
run(new JsonStoreAdapter(), { ifMain: import.meta });
