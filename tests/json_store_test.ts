// The complete example adapter over a JSON file, driven as the host drives it: one process per
// request, with read/write permission for the store's directory only.
import assert from "node:assert/strict";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { adapterCommand, oneDocument, pipe } from "./support/spawn.ts";

const SCHEMA = {
  types: {
    "dcim.site": {
      key: { site: { type: "slug", required: true, nullable: false } },
      fields: {
        name: { type: "string", required: false, nullable: false },
        slug: { type: "slug", required: false, nullable: false },
      },
    },
  },
};
const FRA1 = "11111111-1111-1111-1111-111111111111";
const AMS1 = "22222222-2222-2222-2222-222222222222";
const LON1 = "33333333-3333-3333-3333-333333333333";

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh store directory and functions that send one request to the adapter there. */
function store(setup: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "json-store-"));
  dirs.push(dir);
  const command = adapterCommand("examples/json_store_adapter", [
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
  ]);
  /** Sends the request as text (integers beyond 2^53 keep their digits) and returns stdout. */
  const sendText = async (request: string) => {
    const outcome = await pipe(command, request, dir);
    assert.equal(outcome.code, 0, outcome.stderr);
    oneDocument(outcome.stdout);
    return outcome.stdout;
  };
  const send = async (method: string, fields: Record<string, unknown> = {}) => {
    const request = {
      version: 1,
      setup: { path: "store.json", ...setup },
      method,
      schema: SCHEMA,
      ...fields,
    };
    return oneDocument(await sendText(JSON.stringify(request)));
  };
  const file = () => readFileSync(join(dir, "store.json"), "utf8");
  return { dir, send, sendText, file };
}

const create = (uid: string, site: string, name: string) => ({
  op: "create",
  uid,
  type_name: "dcim.site",
  desired: { uid, type: "dcim.site", key: { site }, attrs: { name, slug: site } },
});

const write = (ops: unknown[], mappings: Record<string, unknown> = {}) => ({
  ops,
  state: { mappings: { "dcim.site": mappings } },
});

const read = { types: ["dcim.site"], state: { mappings: {} } };

describe("json_store_adapter", () => {
  it("provisions, previews, creates, reads, updates and deletes with stable ids", async () => {
    const { send } = store();
    const missing = {
      created_object_types: ["dcim.site"],
      created_object_fields: ["dcim.site.name", "dcim.site.slug"],
    };
    assert.deepEqual(await send("preview_schema"), { ok: true, result: missing });
    assert.deepEqual(await send("ensure_schema"), { ok: true, result: missing });
    const none = { created_object_types: [], created_object_fields: [] };
    assert.deepEqual(await send("preview_schema"), { ok: true, result: none });

    assert.deepEqual(
      await send("write", write([create(FRA1, "fra1", "FRA1"), create(AMS1, "ams1", "AMS1")])),
      {
        ok: true,
        result: {
          applied: [
            { uid: FRA1, type_name: "dcim.site", backend_id: 1 },
            { uid: AMS1, type_name: "dcim.site", backend_id: 2 },
          ],
          provision: {},
        },
      },
    );
    assert.deepEqual(await send("read", read), {
      ok: true,
      result: [
        {
          type_name: "dcim.site",
          key: { site: "fra1" },
          attrs: { name: "FRA1", slug: "fra1" },
          backend_id: 1,
        },
        {
          type_name: "dcim.site",
          key: { site: "ams1" },
          attrs: { name: "AMS1", slug: "ams1" },
          backend_id: 2,
        },
      ],
    });

    const update = {
      ...create(FRA1, "fra1", "Frankfurt 1"),
      op: "update",
      changes: [{ field: "name", from: "FRA1", to: "Frankfurt 1" }],
      backend_id: 1,
    };
    const remove = {
      op: "delete",
      uid: AMS1,
      type_name: "dcim.site",
      key: { site: "ams1" },
      backend_id: 2,
    };
    assert.deepEqual(await send("write", write([update, remove], { [FRA1]: 1, [AMS1]: 2 })), {
      ok: true,
      result: {
        applied: [{ uid: FRA1, type_name: "dcim.site", backend_id: 1 }, {
          uid: AMS1,
          type_name: "dcim.site",
        }],
        provision: {},
      },
    });
    assert.deepEqual(await send("write", write([create(LON1, "lon1", "LON1")])), {
      ok: true,
      result: { applied: [{ uid: LON1, type_name: "dcim.site", backend_id: 3 }], provision: {} },
    });
    assert.deepEqual(await send("read", read), {
      ok: true,
      result: [
        {
          type_name: "dcim.site",
          key: { site: "fra1" },
          attrs: { name: "Frankfurt 1", slug: "fra1" },
          backend_id: 1,
        },
        {
          type_name: "dcim.site",
          key: { site: "lon1" },
          attrs: { name: "LON1", slug: "lon1" },
          backend_id: 3,
        },
      ],
    });
  });

  it("reads nothing of types it was not asked for", async () => {
    const { send } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    assert.deepEqual(await send("read", { types: ["dcim.device"], state: {} }), {
      ok: true,
      result: [],
    });
  });

  it("updates, in the same write, an object a create earlier in that write made", async () => {
    const { send } = store();
    const update = { ...create(FRA1, "fra1", "renamed"), op: "update", changes: [] };
    const response = await send("write", write([create(FRA1, "fra1", "FRA1"), update]));
    assert.deepEqual(response.result, {
      applied: [{ uid: FRA1, type_name: "dcim.site", backend_id: 1 }, {
        uid: FRA1,
        type_name: "dcim.site",
        backend_id: 1,
      }],
      provision: {},
    });
    const observed = await send("read", read);
    assert.deepEqual((observed.result as Array<{ attrs: unknown }>)[0]!.attrs, {
      name: "renamed",
      slug: "fra1",
    });
  });

  it("deletes by key when the op has no backend id, and treats a missing object as deleted", async () => {
    const { send } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    const byKey = { op: "delete", uid: FRA1, type_name: "dcim.site", key: { site: "fra1" } };
    assert.deepEqual((await send("write", write([byKey]))).result, {
      applied: [{ uid: FRA1, type_name: "dcim.site" }],
      provision: {},
    });
    assert.deepEqual((await send("read", read)).result, []);
    assert.deepEqual((await send("write", write([byKey]))).result, {
      applied: [{ uid: FRA1, type_name: "dcim.site" }],
      provision: {},
    });
  });

  it("leaves the store untouched when any op of a write fails", async () => {
    const { dir, send, file } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    const before = file();
    const stray = { ...create(AMS1, "ams1", "AMS1"), op: "update", changes: [], backend_id: 99 };
    const response = await send("write", write([create(LON1, "lon1", "LON1"), stray]));
    assert.equal(response.ok, false);
    assert.match(String(response.error), /no stored object with backend id 99/);
    assert.equal(file(), before);
    assert.deepEqual(readdirSync(dir), ["store.json"], "no temporary file is left behind");
  });

  it("ignores a temporary file an interrupted write left behind", async () => {
    const { dir, send, file } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    const before = file();
    writeFileSync(join(dir, "store.json.0000.tmp"), '{"next_id": 1, "trunc');
    assert.equal((await send("read", read)).ok, true);
    assert.equal(file(), before);
  });

  it("refuses a setup it cannot use", async () => {
    const { dir } = store();
    const command = adapterCommand("examples/json_store_adapter", [`--allow-read=${dir}`]);
    const outcome = await pipe(
      command,
      JSON.stringify({ version: 1, setup: { path: 7 }, method: "capabilities" }),
      dir,
    );
    assert.deepEqual(oneDocument(outcome.stdout), {
      ok: false,
      error: "invalid setup: setup.path must be a string",
    });
  });
});

/** `n` creates of distinct sites, uids and keys told apart by `tag`. */
function creates(tag: number, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const uid = `${String(tag).padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`;
    return create(uid, `s${tag}-${i}`, `site ${tag}/${i}`);
  });
}

type Applied = Array<{ uid: string; backend_id?: number }>;

/**
 * A store that already holds `n` objects, so that loading and saving it takes long enough for
 * writers started together to overlap.
 */
function populated(n: number) {
  const objects = Array.from(
    { length: n },
    (_, i) =>
      `"${
        i + 1
      }": {"type": "dcim.site", "key": {"site": "old${i}"}, "attrs": {"name": "old ${i}"}}`,
  );
  return damaged(`{"next_id": ${n + 1}, "types": {}, "objects": {${objects.join(",\n")}}}`);
}

/** The store as a write finds it: `text` written as `store.json` before the adapter runs. */
function damaged(text: string | Uint8Array) {
  const s = store();
  writeFileSync(join(s.dir, "store.json"), text);
  return s;
}

// Each test below is one way the example lost or damaged data before it was fixed (#14).
describe("json_store_adapter, tried as a hostile user would", () => {
  it("loses no acknowledged create when six writers overlap, and gives no id twice", async () => {
    const { send } = populated(20_000);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, w) => send("write", write(creates(w, 5)))),
    );
    const ids = new Map<number, string>();
    for (const response of responses) {
      assert.equal(response.ok, true, String(response.error));
      for (const entry of (response.result as { applied: Applied }).applied) {
        assert.equal(ids.get(entry.backend_id!), undefined, `backend id ${entry.backend_id} twice`);
        ids.set(entry.backend_id!, entry.uid);
      }
    }
    assert.equal(ids.size, 30);
    const observed = new Set(
      ((await send("read", read)).result as Array<{ backend_id: number }>).map((o) => o.backend_id),
    );
    assert.equal(observed.size, 20_030);
    for (const id of ids.keys()) assert.ok(observed.has(id), `acknowledged ${id} is gone`);
  });

  it("keeps both of two overlapping 2000-create writes", async () => {
    const { send } = populated(20_000);
    const [a, b] = await Promise.all([
      send("write", write(creates(1, 2000))),
      send("write", write(creates(2, 2000))),
    ]);
    assert.equal(a.ok && b.ok, true, `${a.error} ${b.error}`);
    assert.equal(((await send("read", read)).result as unknown[]).length, 24_000);
  });

  it("fails a writer that waited longer than setup.lock_wait_ms, naming the lock's holder", async () => {
    const { dir, send } = store({ lock_wait_ms: 300 });
    const lock = join(realpathSync(dir), "store.json.lock");
    const holder = { pid: 4242, since: "2026-12-03T10:00:00.000Z", token: "t" };
    writeFileSync(lock, `${JSON.stringify(holder)}\n`);
    assert.deepEqual(await send("write", write([create(FRA1, "fra1", "FRA1")])), {
      ok: false,
      error:
        `the lock ${lock} is held by pid 4242 (since 2026-12-03T10:00:00.000Z): gave up after 300 ms`,
    });
    assert.deepEqual(readdirSync(dir).sort(), ["store.json.lock"], "nothing was saved");
  });

  it("takes over the lock of a writer killed while holding it, once it is 10 s untouched", async () => {
    const { dir, send } = store({ lock_wait_ms: 300 });
    const lock = join(dir, "store.json.lock");
    writeFileSync(lock, '{"pid":4242,"since":"2026-12-03T10:00:00.000Z","token":"t"}\n');
    const past = new Date(Date.now() - 11_000);
    utimesSync(lock, past, past);
    const response = await send("write", write([create(FRA1, "fra1", "FRA1")]));
    assert.equal(response.ok, true, String(response.error));
    assert.deepEqual(readdirSync(dir), ["store.json"], "the lock is released, the marker gone");
  });

  it("refuses a store whose next_id is not above every id in use, and leaves it as it was", async () => {
    const text = '{"next_id": 2, "types": {}, "objects": {"2": ' +
      '{"type": "dcim.site", "key": {"site": "fra1"}, "attrs": {}}}}';
    const { send, file } = damaged(text);
    assert.deepEqual(await send("write", write([create(AMS1, "ams1", "AMS1")])), {
      ok: false,
      error: "store.json: next_id: 2 is not above 2, a backend id in use",
    });
    assert.equal(file(), text);
  });

  it("refuses a create when no backend ids are left, saving nothing", async () => {
    const text = `{"next_id": ${Number.MAX_SAFE_INTEGER}, "types": {}, "objects": {}}`;
    const { send, file } = damaged(text);
    const response = await send("write", write([create(FRA1, "fra1", "FRA1")]));
    assert.deepEqual(response, {
      ok: false,
      error: `ops[0] create dcim.site ${FRA1}: no backend ids are left`,
    });
    assert.equal(file(), text);
  });

  it("keeps integers beyond 2^53 exactly, in the file and in what it reads back", async () => {
    const { sendText, file } = store();
    const big = "18446744073709551615";
    const op = JSON.stringify(create(FRA1, "fra1", "FRA1")).replace(
      '"slug":"fra1"}',
      `"slug":"fra1","asn":${big}}`,
    );
    const response = await sendText(
      `{"version":1,"setup":{"path":"store.json"},"method":"write","schema":${
        JSON.stringify(SCHEMA)
      },"ops":[${op}],"state":{"mappings":{}}}`,
    );
    assert.match(response, /^\{"ok":true/);
    assert.match(file(), new RegExp(`"asn":${big}\\}`));
    const observed = await sendText(
      `{"version":1,"setup":{"path":"store.json"},"method":"read","schema":${
        JSON.stringify(SCHEMA)
      },"types":["dcim.site"],"state":{"mappings":{}}}`,
    );
    assert.match(observed, new RegExp(`"asn":${big}\\}`));
  });

  it("saves nothing from a write that answers ok:false: a store without next_id stays as it is", async () => {
    const text = '{"types": {}, "objects": {}}';
    const { send, file } = damaged(text);
    assert.deepEqual(await send("write", write([create(FRA1, "fra1", "FRA1")])), {
      ok: false,
      error: "store.json: next_id: expected a positive integer, got nothing",
    });
    assert.equal(file(), text);
  });

  const shapes: Array<[string, string | Uint8Array, string]> = [
    [
      "a store with an object that is null",
      '{"next_id": 2, "types": {}, "objects": {"1": null}}',
      'objects["1"]: expected an object, got null',
    ],
    [
      "a store with attrs that are null",
      '{"next_id": 2, "types": {}, "objects": {"1": {"type": "dcim.site", "key": {}, "attrs": null}}}',
      'objects["1"].attrs: expected an object, got null',
    ],
    [
      "a store whose types are an array",
      '{"next_id": 1, "types": [], "objects": {}}',
      "types: expected an object, got an array",
    ],
    [
      "a store with a backend id that is no integer",
      '{"next_id": 1, "types": {}, "objects": {"x": {}}}',
      'objects["x"]: not a backend id (a positive integer, without leading zeros)',
    ],
    [
      "a store with a member it would drop",
      '{"next_id": 1, "types": {}, "objects": {}, "notes": 1}',
      'unexpected member "notes"',
    ],
    [
      "a store cut short",
      '{"next_id": 1,\n  "types": {',
      "not JSON: the JSON text ends early at line 2, column 13: expected a string member name",
    ],
    ["an empty store", "", "empty, so not a store (delete it to start with an empty store)"],
    [
      "a store that is not UTF-8",
      new Uint8Array([0x7b, 0xff, 0x7d]),
      "not UTF-8 text, so not a store",
    ],
  ];
  for (const [what, text, problem] of shapes) {
    it(`refuses ${what}, naming the file and the place, and never rewrites it`, async () => {
      const { dir, send } = damaged(text);
      const before = readFileSync(join(dir, "store.json"));
      const refusal = { ok: false, error: `store.json: ${problem}` };
      assert.deepEqual(await send("read", read), refusal);
      assert.deepEqual(await send("write", write([create(FRA1, "fra1", "FRA1")])), refusal);
      assert.deepEqual(await send("ensure_schema"), refusal);
      assert.deepEqual(readFileSync(join(dir, "store.json")), before);
    });
  }

  it("accepts a store that an editor saved with a byte order mark", async () => {
    const { send } = damaged('\uFEFF{"next_id": 1, "types": {}, "objects": {}}');
    assert.deepEqual(await send("read", read), { ok: true, result: [] });
    assert.equal((await send("write", write([create(FRA1, "fra1", "FRA1")]))).ok, true);
  });

  it("writes through a symbolic link, which stays a link, and keeps the file's mode", async () => {
    const { dir, send } = store();
    mkdirSync(join(dir, "data"));
    writeFileSync(join(dir, "data", "real.json"), '{"next_id": 1, "types": {}, "objects": {}}');
    chmodSync(join(dir, "data", "real.json"), 0o600);
    symlinkSync("data/real.json", join(dir, "store.json"));
    assert.equal((await send("write", write([create(FRA1, "fra1", "FRA1")]))).ok, true);
    assert.equal(lstatSync(join(dir, "store.json")).isSymbolicLink(), true);
    assert.match(readFileSync(join(dir, "data", "real.json"), "utf8"), /"fra1"/);
    assert.equal(statSync(join(dir, "data", "real.json")).mode & 0o777, 0o600);
  });

  it("creates the store where a dangling link leads, and the link stays", async () => {
    const { dir, send } = store();
    mkdirSync(join(dir, "data"));
    symlinkSync("data/later.json", join(dir, "store.json"));
    assert.equal((await send("write", write([create(FRA1, "fra1", "FRA1")]))).ok, true);
    assert.equal(lstatSync(join(dir, "store.json")).isSymbolicLink(), true);
    assert.match(readFileSync(join(dir, "data", "later.json"), "utf8"), /"fra1"/);
  });

  it("refuses a delete whose backend id belongs to another type", async () => {
    const { send, file } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    const before = file();
    const remove = {
      op: "delete",
      uid: AMS1,
      type_name: "dcim.device",
      key: { name: "r1" },
      backend_id: 1,
    };
    assert.deepEqual(await send("write", write([remove])), {
      ok: false,
      error:
        `ops[0] delete dcim.device ${AMS1}: backend id 1 belongs to a dcim.site, not a dcim.device`,
    });
    assert.equal(file(), before);
  });

  it("refuses a second object with a key already stored", async () => {
    const { send, file } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    const before = file();
    assert.deepEqual(await send("write", write([create(AMS1, "fra1", "again")])), {
      ok: false,
      error: `ops[0] create dcim.site ${AMS1}: backend id 1 already has this key`,
    });
    assert.equal(file(), before);
  });

  it("deletes by key when the backend id names nothing stored", async () => {
    const { send } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    const remove = {
      op: "delete",
      uid: FRA1,
      type_name: "dcim.site",
      key: { site: "fra1" },
      backend_id: 7,
    };
    assert.equal((await send("write", write([remove]))).ok, true);
    assert.deepEqual((await send("read", read)).result, []);
  });

  it("removes the temporary files killed writes left, on the next write only", async () => {
    const { dir, send } = store();
    await send("write", write([create(FRA1, "fra1", "FRA1")]));
    writeFileSync(join(dir, "store.json.4242.tmp"), '{"next_id": 1, "trunc');
    writeFileSync(join(dir, "store.json.0f8fad5b-d9cb-469f-a165-70867728950e.tmp"), "{");
    writeFileSync(join(dir, "notes.4242.tmp"), "not the store's");
    await send("read", read);
    assert.equal(readdirSync(dir).length, 4, "a read takes no lock, so it removes nothing");
    assert.equal((await send("write", write([create(AMS1, "ams1", "AMS1")]))).ok, true);
    assert.deepEqual(readdirSync(dir).sort(), ["notes.4242.tmp", "store.json"]);
  });

  it("quotes a 10 MB backend id in an error clipped to a readable length", async () => {
    const { send } = store();
    const update = {
      ...create(FRA1, "fra1", "FRA1"),
      op: "update",
      changes: [],
      backend_id: "x".repeat(10_000_000),
    };
    const response = await send("write", write([update]));
    assert.equal(response.ok, false);
    assert.ok(String(response.error).length < 200, String(response.error).slice(0, 300));
    assert.match(String(response.error), /no stored object with backend id "x{40}…"/);
  });

  it("stores an object type named __proto__ as a type, not as a prototype", async () => {
    const schema = {
      types: {
        // Computed, so that the literal defines a member rather than setting its prototype.
        ["__proto__"]: {
          key: { site: { type: "slug", required: true, nullable: false } },
          fields: { name: { type: "string", required: false, nullable: false } },
        },
      },
    };
    const { send } = store();
    const once = await send("ensure_schema", { schema });
    assert.deepEqual(once.result, {
      created_object_types: ["__proto__"],
      created_object_fields: ["__proto__.name"],
    });
    assert.deepEqual((await send("ensure_schema", { schema })).result, {
      created_object_types: [],
      created_object_fields: [],
    });
  });

  it("refuses a lock_wait_ms that is no whole number of milliseconds", async () => {
    const { send } = store({ lock_wait_ms: -1 });
    assert.deepEqual(await send("read", read), {
      ok: false,
      error: "invalid setup: setup.lock_wait_ms must be a whole number of milliseconds, 0 or more",
    });
  });
});
