// Ref resolution both ways: backend ids to uids on read, uids to
// backend ids on write.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  backendRefs,
  type Op,
  resolveRefKeyedIdentity,
  State,
  UidIndex,
  WriteIds,
} from "../mod.ts";
import { decodeSchema } from "../codec.ts";

const SW1 = "71f14d94-779f-5b19-a404-786883d432af"; // uid_v5("dcim.device", '{"name":"sw1"}')
const ETH0 = "97ba46e4-c851-5edb-a691-6202e25377eb"; // the interface (sw1, eth0)
const FRA1 = "8c998348-947f-568d-bbb0-efbed3c3f903"; // dcim.site {"slug":"fra1"}
const BOUND = "11111111-1111-4111-8111-111111111111";

const schema = decodeSchema({
  types: {
    "dcim.site": { key: { slug: { type: "slug" } }, fields: { name: { type: "string" } } },
    "dcim.device": {
      key: { name: { type: "string" } },
      fields: {
        site: { type: "ref", target: "dcim.site" },
        tags: { type: "list_ref", target: "dcim.site" },
        peers: { type: "list", item: { type: "ref", target: "dcim.device" } },
        by_role: { type: "map", value: { type: "ref", target: "dcim.site" } },
      },
    },
    "dcim.interface": {
      key: { device: { type: "ref", target: "dcim.device" }, name: { type: "string" } },
      fields: { mtu: { type: "int" }, lag: { type: "ref", target: "dcim.interface" } },
    },
  },
});

describe("UidIndex", () => {
  it("answers state's uid first, then the first-sight uid of an object of this read", () => {
    const index = new UidIndex(new State({ "dcim.site": { [BOUND]: 1 } }));
    assert.equal(
      index.add({ type_name: "dcim.site", key: { slug: "x" }, attrs: {}, backend_id: 1 }),
      BOUND,
    );
    assert.equal(
      index.add({ type_name: "dcim.site", key: { slug: "fra1" }, attrs: {}, backend_id: 2 }),
      FRA1,
    );
    assert.equal(index.uid("dcim.site", 1), BOUND);
    assert.equal(index.uid("dcim.site", 2), FRA1);
    assert.equal(index.uid("dcim.site", "2"), undefined);
    assert.equal(index.uid("dcim.device", 2), undefined);
  });
});

describe("WriteIds", () => {
  const create: Op = {
    op: "create",
    uid: FRA1,
    type_name: "dcim.site",
    desired: { uid: FRA1, type: "dcim.site", key: { slug: "fra1" }, attrs: {} },
  };

  it("finds ids in state, then among those this write assigned", () => {
    const ids = new WriteIds(new State({ "dcim.site": { [BOUND]: 1 } }));
    assert.equal(ids.backendId("dcim.site", BOUND), 1);
    assert.equal(ids.backendId("dcim.site", FRA1), undefined);
    assert.deepEqual(ids.applied(create, 42), {
      uid: FRA1,
      type_name: "dcim.site",
      backend_id: 42,
    });
    assert.equal(ids.require("dcim.site", FRA1), 42);
  });

  it("names the uid and both places looked in when a ref does not resolve", () => {
    const ids = new WriteIds(new State());
    assert.throws(() => ids.require("dcim.site", FRA1), {
      message:
        `no backend id for dcim.site ${FRA1}: state does not bind it and no earlier op of this write created it`,
    });
  });

  it("rewrites every ref leaf of desired attrs to backend ids, and nothing else", () => {
    const ids = new WriteIds(
      new State({ "dcim.site": { [FRA1]: 7 }, "dcim.device": { [SW1]: 3 } }),
    );
    const attrs = {
      site: FRA1,
      tags: [FRA1],
      peers: [SW1],
      by_role: { core: FRA1 },
      undeclared: FRA1,
      nothing: null,
    };
    const out = backendRefs(schema.types["dcim.device"]!, attrs, ids);
    assert.deepEqual(out, {
      site: 7,
      tags: [7],
      peers: [3],
      by_role: { core: 7 },
      undeclared: FRA1,
      nothing: null,
    });
    assert.equal(attrs.site, FRA1, "the input is left alone");
    assert.throws(
      () => backendRefs(schema.types["dcim.device"]!, { site: BOUND }, ids),
      /no backend id/,
    );
  });
});

describe("resolveRefKeyedIdentity", () => {
  it("derives a ref-keyed uid from its target's uid, whatever the row order", () => {
    const objects = resolveRefKeyedIdentity(
      [
        {
          type_name: "dcim.interface",
          backend_id: 31,
          attrs: { device: { id: 7 }, name: "eth0", mtu: 1500 },
        },
        { type_name: "dcim.device", backend_id: 7, attrs: { name: "sw1" } },
      ],
      schema,
      new State(),
    );
    assert.deepEqual(objects, [
      {
        type_name: "dcim.interface",
        key: { device: SW1, name: "eth0" },
        attrs: { mtu: 1500 },
        backend_id: 31,
      },
      { type_name: "dcim.device", key: { name: "sw1" }, attrs: {}, backend_id: 7 },
    ]);
    // A later row refers to the interface by its derived uid.
    const lagged = resolveRefKeyedIdentity(
      [
        {
          type_name: "dcim.interface",
          backend_id: 32,
          attrs: { device: 7, name: "eth1", lag: 31 },
        },
        { type_name: "dcim.interface", backend_id: 31, attrs: { device: 7, name: "eth0" } },
        { type_name: "dcim.device", backend_id: 7, attrs: { name: "sw1" } },
      ],
      schema,
      new State(),
    );
    assert.equal(lagged[0]!.attrs?.lag, ETH0);
  });

  it("lets state win: a bound target keeps its state uid, and so does a bound row", () => {
    const state = new State({ "dcim.device": { [BOUND]: 7 }, "dcim.interface": { [ETH0]: 31 } });
    const [iface] = resolveRefKeyedIdentity(
      [
        { type_name: "dcim.interface", backend_id: 31, attrs: { device: 7, name: "eth0" } },
        {
          type_name: "dcim.interface",
          backend_id: 32,
          attrs: { device: 7, name: "eth1", lag: 31 },
        },
      ],
      schema,
      state,
    );
    assert.ok(iface);
    assert.deepEqual(iface.key, { device: BOUND, name: "eth0" });
  });

  it("rewrites refs in list_ref, list and map fields", () => {
    const [device] = resolveRefKeyedIdentity(
      [
        {
          type_name: "dcim.device",
          backend_id: 7,
          attrs: { name: "sw1", site: 1, tags: [1], peers: [7], by_role: { a: { id: 1 } } },
        },
        { type_name: "dcim.site", backend_id: 1, attrs: { slug: "fra1", name: "FRA1" } },
      ],
      schema,
      new State(),
    );
    assert.ok(device);
    assert.deepEqual(device.attrs, {
      site: FRA1,
      tags: [FRA1],
      peers: [SW1],
      by_role: { a: FRA1 },
    });
  });

  it("keeps backend ids where a ref key cannot resolve (its target is in neither state nor the rows)", () => {
    const objects = resolveRefKeyedIdentity(
      [
        { type_name: "dcim.interface", backend_id: 31, attrs: { device: 99, name: "eth0" } },
      ],
      schema,
      new State(),
    );
    assert.deepEqual(objects[0]!.key, { device: 99, name: "eth0" });
  });

  it("fails with the host's text when a resolvable row lacks a key field", () => {
    assert.throws(
      () =>
        resolveRefKeyedIdentity(
          [{ type_name: "dcim.site", backend_id: 1, attrs: { name: "x" } }],
          schema,
          new State(),
        ),
      { message: "missing key field slug" },
    );
    assert.throws(
      () =>
        resolveRefKeyedIdentity(
          [{ type_name: "nope", backend_id: 1, attrs: {} }],
          schema,
          new State(),
        ),
      { message: "type nope is not in the schema" },
    );
  });

  it("keeps __proto__ as a plain attribute name", () => {
    const attrs = JSON.parse('{"slug":"fra1","__proto__":{"polluted":true}}');
    const [obj] = resolveRefKeyedIdentity(
      [{ type_name: "dcim.site", backend_id: 1, attrs }],
      schema,
      new State(),
    );
    assert.ok(obj);
    assert.ok(Object.hasOwn(obj.attrs!, "__proto__"));
    assert.equal(Object.getPrototypeOf(obj.attrs), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
