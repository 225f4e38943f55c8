// The complete example adapter over a JSON file, driven as the host drives it: one process per
// request, with read/write permission for the store's directory only.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** A fresh store directory and a function that sends one request to the adapter there. */
function store() {
  const dir = mkdtempSync(join(tmpdir(), "json-store-"));
  dirs.push(dir);
  const command = adapterCommand("examples/json_store_adapter", [
    `--allow-read=${dir}`,
    `--allow-write=${dir}`,
  ]);
  const send = async (method: string, fields: Record<string, unknown> = {}) => {
    const request = {
      version: 1,
      setup: { path: "store.json" },
      method,
      schema: SCHEMA,
      ...fields,
    };
    const outcome = await pipe(command, JSON.stringify(request), dir);
    assert.equal(outcome.code, 0, outcome.stderr);
    return oneDocument(outcome.stdout);
  };
  const file = () => readFileSync(join(dir, "store.json"), "utf8");
  return { dir, send, file };
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
    assert.deepEqual((observed.result as Array<{ attrs: unknown }>)[0].attrs, {
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
