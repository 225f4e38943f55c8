// The testing entry point, used the way an adapter author would: a small adapter over a Map,
// tested request by request in-process, then once through a real process.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Adapter,
  type ApplyReport,
  type ExternalObject,
  type Op,
  type ReadScope,
  type Schema,
  ScopeHint,
  State,
  UidIndex,
  WriteIds,
} from "../mod.ts";
import { decodeSchema } from "../codec.ts";
import { validateRead } from "../checks.ts";
import { invoke, op, request, schemaOf, scope, spawnAdapter, stateFor } from "../testing.ts";
import { adapterCommand } from "./support/spawn.ts";

/** The adapter under test: sites and devices, devices referring to their site. */
class Inventory extends Adapter {
  sites = new Map<number, { slug: string }>([[1, { slug: "fra1" }], [2, { slug: "ams1" }]]);
  devices = new Map<number, { name: string; site: number }>([[10, { name: "sw1", site: 1 }]]);

  override read(
    _schema: Schema,
    types: string[],
    state: State,
    hint?: ReadScope,
  ): ExternalObject[] {
    const index = new UidIndex(state);
    const sites = [...this.sites].map(([id, s]) => ({
      type_name: "dcim.site",
      key: { slug: s.slug },
      attrs: {},
      backend_id: id,
    }));
    sites.forEach((s) => index.add(s));
    const devices = [...this.devices].map(([id, d]) => ({
      type_name: "dcim.device",
      key: { name: d.name },
      attrs: { site: index.uid("dcim.site", d.site) ?? null },
      backend_id: id,
    }));
    return new ScopeHint(hint).filter(
      [...sites, ...devices].filter((o) => types.includes(o.type_name)),
    );
  }

  override write(_schema: Schema, ops: Op[], state: State): ApplyReport {
    const ids = new WriteIds(state);
    const report: ApplyReport = { applied: [] };
    for (const o of ops) {
      if (o.op !== "create" || o.type_name !== "dcim.device") {
        throw new Error(`cannot ${o.op} ${o.type_name}`);
      }
      const id = 10 + this.devices.size;
      const site = ids.require("dcim.site", String(o.desired.attrs.site));
      this.devices.set(id, { name: String(o.desired.key.name), site: Number(site) });
      report.applied.push(ids.applied(o, id));
    }
    return report;
  }
}

const schema = schemaOf({
  "dcim.site": { key: { slug: "slug" } },
  "dcim.device": {
    key: { name: "string" },
    fields: { site: { type: "ref", target: "dcim.site" } },
  },
});
const FRA1 = "8c998348-947f-568d-bbb0-efbed3c3f903";

describe("testing: invoke and the builders", () => {
  it("reads refs as the target's uid", async () => {
    const reply = await invoke(new Inventory(), request.read({ schema, types: ["dcim.device"] }));
    assert.deepEqual(reply, {
      ok: true,
      result: [{
        type_name: "dcim.device",
        key: { name: "sw1" },
        attrs: { site: FRA1 },
        backend_id: 10,
      }],
    });
  });

  it("keeps what a narrowed scope names by key or by id", async () => {
    const hint = scope.narrowed({
      keys: { "dcim.site": [{ slug: "ams1" }] },
      backendIds: { "dcim.site": [1] },
    });
    const reply = await invoke(
      new Inventory(),
      request.read({ schema, types: ["dcim.site"], scope: hint }),
    );
    assert.ok(reply.ok);
    assert.deepEqual((reply.result as Array<{ backend_id: number }>).map((o) => o.backend_id), [
      1,
      2,
    ]);
  });

  it("resolves a ref to a bound site on write, and reports the new id", async () => {
    const adapter = new Inventory();
    const create = op.create("dcim.device", { name: "sw2" }, { site: FRA1 });
    const state = stateFor([{ type_name: "dcim.site", key: { slug: "fra1" }, backend_id: 1 }]);
    const reply = await invoke(adapter, request.write({ schema, ops: [create], state }));
    assert.deepEqual(reply, {
      ok: true,
      result: {
        applied: [{ uid: create.uid, type_name: "dcim.device", backend_id: 11 }],
        provision: {},
      },
    });
    assert.deepEqual(adapter.devices.get(11), { name: "sw2", site: 1 });
  });

  it("answers an unresolvable ref with an error that names it", async () => {
    const create = op.create("dcim.device", { name: "sw2" }, { site: FRA1 });
    const reply = await invoke(new Inventory(), request.write({ schema, ops: [create] }));
    assert.deepEqual(reply, {
      ok: false,
      error:
        `no backend id for dcim.site ${FRA1}: state does not bind it and no earlier op of this write created it`,
    });
  });

  it("goes through the strict decoder: a bad request is refused before the adapter runs", async () => {
    const reply = await invoke(new Inventory(), {
      ...request.read({ schema }),
      types: "dcim.site",
    });
    assert.equal(reply.ok, false);
    assert.match(reply.ok ? "" : reply.error, /^invalid request: types: /);
  });
});

describe("testing: the read answer against alembic's value space", () => {
  const decoded = decodeSchema(schema);
  const types = Object.keys(decoded.types);

  it("holds for the whole inventory", () => {
    assert.deepEqual(validateRead(decoded, new Inventory().read(decoded, types, new State())), []);
  });

  it("finds a ref written as the backend's id, and says which object and field", () => {
    class Leaky extends Inventory {
      override read(s: Schema, types: string[], state: State): ExternalObject[] {
        return super.read(s, types, state).map((o) =>
          o.type_name === "dcim.device" ? { ...o, attrs: { site: 1 } } : o
        );
      }
    }
    assert.deepEqual(validateRead(decoded, new Leaky().read(decoded, types, new State())), [{
      kind: "invalid_value",
      message: "invalid value for dcim.device.site: expected uuid, got number",
      index: 2,
      typeName: "dcim.device",
      field: "site",
    }]);
  });
});

describe("testing: spawnAdapter", () => {
  it("pipes a request into a process and reads its one envelope", async () => {
    const run = await spawnAdapter(
      adapterCommand("examples/example_adapter"),
      request.capabilities(),
    );
    assert.equal(run.code, 0);
    assert.deepEqual(run.envelope, { ok: true, result: { role: "adapter" } });
  });

  it("says why stdout is not an envelope", async () => {
    const run = await spawnAdapter([
      ...adapterCommand("tests/adapters/broken_adapter"),
      "unknown-envelope-key",
    ], request.capabilities());
    assert.equal(run.envelope, undefined);
    assert.equal(run.problem, "bad response envelope: unknown key warnings");
  });

  // Regression: these two rejected, against "never rejects", instead of reporting the spawn.
  it("resolves an empty command as a process that did not start", async () => {
    const run = await spawnAdapter([], request.capabilities());
    assert.deepEqual(run.status, {
      kind: "did not start",
      error: "no program to run: the command is empty",
    });
    assert.equal(run.envelope, undefined);
    assert.equal(run.code, null);
  });

  it("resolves a command exec cannot take (a NUL byte) as a process that did not start", async () => {
    const run = await spawnAdapter(["deno\0"], request.capabilities());
    assert.equal(run.status.kind, "did not start");
    assert.match(run.status.kind === "did not start" ? run.status.error : "", /null bytes/);
  });
});
