// The read scope's union rule, as ScopeHint applies it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ExternalObject, keyString, ScopeHint } from "../mod.ts";
import { decodeScope } from "../codec.ts";

const site = (slug: string, id: number | string | bigint | null): ExternalObject => ({
  type_name: "dcim.site",
  key: { slug },
  attrs: {},
  backend_id: id,
});

const narrowed = decodeScope({
  kind: "narrowed",
  backend_ids: { "dcim.site": [1, "7"], "ipam.vlan": [9007199254740993n] },
  keys: {
    "dcim.site": [{ key: { slug: "fra1" }, canonical: keyString({ slug: "fra1" }) }],
    "ipam.vlan": [{ key: { vid: 100 }, canonical: '{"vid":100}' }],
  },
  unnarrowed: ["dcim.interface"],
});

describe("ScopeHint", () => {
  it("wants everything without a scope and with a full scope", () => {
    const objects = [site("x", 5)];
    for (const scope of [undefined, decodeScope({ kind: "full" })]) {
      const hint = new ScopeHint(scope);
      assert.equal(hint.filter(objects), objects);
      assert.ok(hint.wants("anything", { key: { a: 1 }, backendId: 3 }));
      assert.ok(hint.readsWhole("anything"));
    }
  });

  const hint = new ScopeHint(narrowed);

  it("keeps an object named by its key alone (never bound, so adoptable)", () => {
    assert.ok(hint.wants("dcim.site", { key: { slug: "fra1" }, backendId: 99 }));
  });

  it("keeps an object named by its backend id alone (its key drifted)", () => {
    assert.ok(hint.wants("dcim.site", { key: { slug: "renamed" }, backendId: 1 }));
  });

  it("drops an object named by neither half", () => {
    assert.equal(hint.wants("dcim.site", { key: { slug: "ams1" }, backendId: 2 }), false);
  });

  it("compares keys canonically: 100.0 and 100 are one key", () => {
    assert.ok(hint.wants("ipam.vlan", { key: JSON.parse('{"vid":100.0}'), backendId: 5 }));
  });

  it('treats 1 and "1" as different ids, a bigint and a number of one value as the same', () => {
    assert.equal(hint.wants("dcim.site", { key: { slug: "z" }, backendId: "1" }), false);
    assert.ok(hint.wants("dcim.site", { key: { slug: "z" }, backendId: "7" }));
    assert.ok(hint.wants("dcim.site", { key: { slug: "z" }, backendId: 1n }));
    assert.ok(hint.wants("ipam.vlan", { key: { vid: 1 }, backendId: 9007199254740993n }));
  });

  it("keeps an object when it cannot tell (no key, or no backend id)", () => {
    assert.ok(hint.wants("dcim.site", { backendId: 2 }));
    assert.ok(hint.wants("dcim.site", { key: { slug: "ams1" } }));
    assert.ok(hint.wants("dcim.site", { key: { slug: "ams1" }, backendId: null }));
  });

  it("reads held-out types whole, and wants nothing of a type it does not name", () => {
    assert.ok(hint.readsWhole("dcim.interface"));
    assert.ok(hint.wants("dcim.interface", { key: { name: "eth0" }, backendId: 3 }));
    assert.equal(hint.readsWhole("dcim.site"), false);
    assert.equal(hint.wants("dcim.device", { key: { name: "sw1" } }), false);
  });

  it("filters a batch by the union rule, keeping order", () => {
    const batch = [site("fra1", 50), site("ams1", 2), site("drifted", 1), site("new", null)];
    assert.deepEqual(hint.filter(batch).map((o) => o.key.slug), ["fra1", "drifted", "new"]);
  });

  it("does not take inherited names for types", () => {
    assert.equal(hint.wants("constructor", { key: { a: 1 }, backendId: 1 }), false);
    assert.equal(hint.wants("__proto__", { key: { a: 1 }, backendId: 1 }), false);
  });
});
