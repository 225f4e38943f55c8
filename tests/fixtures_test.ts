// The canonical exchanges, both ways: each request decodes into the typed IR, and an adapter
// doing what the exchange describes answers exactly its response.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AdapterMethods, applied, type ExternalObject, type ProvisionReport } from "../mod.ts";
import { decodeRequest, RequestError, respond } from "../codec.ts";
import { exchanges } from "./support/files.ts";

const SITE: ExternalObject = {
  type_name: "dcim.site",
  key: { site: "fra1" },
  attrs: { name: "FRA1", slug: "fra1" },
  backend_id: 1,
};

const REPORT: ProvisionReport = {
  created_fields: [],
  created_tags: [],
  created_object_types: ["dcim.site"],
  created_object_fields: ["dcim.site.name"],
};

const mustNotRun = (): never => {
  throw new Error("adapter code ran for a request the SDK should have refused");
};

/** For each exchange, an adapter that behaves as its description says. */
const ADAPTERS: Record<string, AdapterMethods> = {
  // Only `write` is implemented, so the implied role is emitter.
  capabilities: { write: () => ({ applied: [] }) },
  read: { read: (_schema, types) => (types.includes("dcim.site") ? [SITE] : []) },
  write: {
    write: (_schema, ops) => ({
      applied: ops.map((op) => applied(op, 1)),
      provision: { created_fields: [], created_tags: [] },
    }),
  },
  ensure_schema: { ensureSchema: () => REPORT },
  preview_schema: { previewSchema: () => REPORT },
  preview_schema_unsupported: { previewSchema: () => null },
  error: {
    write: (_schema, ops) => {
      if (ops.some((op) => op.op === "delete")) throw new Error("delete is not supported");
      return { applied: [] };
    },
  },
  version_mismatch: { setup: mustNotRun, ensureSchema: mustNotRun },
};

/** The same document with every object's keys in alphabetical order, as the runner sends. */
function sortedJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v !== null && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
}

const all = exchanges();

describe("canonical exchanges", () => {
  it("covers all eight upstream exchanges", () => {
    assert.deepEqual([...all.keys()], [
      "capabilities",
      "ensure_schema",
      "error",
      "preview_schema",
      "preview_schema_unsupported",
      "read",
      "version_mismatch",
      "write",
    ]);
  });

  for (const [name, exchange] of all) {
    it(`${name}: the adapter's answer is exactly the canonical response, with no note`, async () => {
      const adapter = ADAPTERS[name];
      assert.ok(adapter, `no adapter for exchange ${name}`);
      for (const text of [JSON.stringify(exchange.request), sortedJson(exchange.request)]) {
        // The write report check among them: the canonical answer must draw no warning.
        const notes: string[] = [];
        const line = await respond(adapter, text, { warn: (m) => notes.push(m) });
        assert.ok(line.endsWith("\n"), "the response ends with a newline");
        assert.equal(line.indexOf("\n"), line.length - 1, "the response is one line");
        assert.deepEqual(JSON.parse(line), exchange.response);
        assert.deepEqual(notes, []);
      }
    });
  }
});

describe("canonical requests decode into the typed IR", () => {
  const decode = (name: string) => decodeRequest(JSON.stringify(all.get(name)!.request));
  const siteKey = { type: "slug", required: false, nullable: false };

  it("capabilities", () => {
    assert.deepEqual(decode("capabilities"), { version: 1, setup: {}, method: "capabilities" });
  });

  it("read, with its old-form scope typed and defaulted", () => {
    const request = decode("read");
    assert.equal(request.method, "read");
    if (request.method !== "read") return;
    assert.deepEqual(request.types, ["dcim.site"]);
    assert.deepEqual(request.schema.types["dcim.site"]!.key.site, siteKey);
    assert.deepEqual(request.state.mappings, {});
    assert.deepEqual(request.scope, {
      kind: "narrowed",
      backend_ids: {},
      keys: { "dcim.site": [{ key: { site: "fra1" }, canonical: '{"site":"fra1"}' }] },
      unnarrowed: [],
    });
  });

  it("write, with a create op", () => {
    const request = decode("write");
    assert.equal(request.method, "write");
    if (request.method !== "write") return;
    const [op] = request.ops;
    assert.ok(op);
    assert.equal(op.op, "create");
    if (op.op !== "create") return;
    assert.equal(op.type_name, "dcim.site");
    assert.deepEqual(op.desired, {
      uid: "11111111-1111-1111-1111-111111111111",
      type: "dcim.site",
      key: { site: "fra1" },
      attrs: { name: "FRA1", slug: "fra1" },
    });
  });

  it("error, with a delete that has no backend id", () => {
    const request = decode("error");
    if (request.method !== "write") return assert.fail("expected a write");
    assert.deepEqual(request.ops, [{
      op: "delete",
      uid: "11111111-1111-1111-1111-111111111111",
      type_name: "dcim.site",
      key: { site: "fra1" },
    }]);
  });

  for (const name of ["ensure_schema", "preview_schema", "preview_schema_unsupported"]) {
    it(name, () => {
      const request = decode(name);
      if (request.method !== "ensure_schema" && request.method !== "preview_schema") {
        return assert.fail(`unexpected method ${request.method}`);
      }
      assert.deepEqual(Object.keys(request.schema.types), ["dcim.site"]);
      assert.deepEqual(request.schema.types["dcim.site"]!.fields.name, {
        type: "string",
        required: false,
        nullable: false,
      });
    });
  }

  it("version_mismatch is refused with the pinned text", () => {
    assert.throws(() => decode("version_mismatch"), (e: unknown) => {
      assert.ok(e instanceof RequestError);
      assert.equal(e.message, "unsupported protocol version 2 (expected 1)");
      return true;
    });
  });
});
