// keyString and uidV5 against fixed vectors: key strings as alembic's key_string writes them, uids
// computed with Python's uuid.uuid5 (the sw1 device's is the constant of upstream's narrowing example).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Key, keyString, objectUid, uidV5 } from "../mod.ts";
import { parseJson } from "../codec.ts";

describe("keyString", () => {
  const vectors: Array<[string, string]> = [
    ['{"name":"sw1"}', '{"name":"sw1"}'],
    [
      '{"name":"eth0","device":"71f14d94-779f-5b19-a404-786883d432af"}',
      '{"device":"71f14d94-779f-5b19-a404-786883d432af","name":"eth0"}',
    ],
    ['{"vid":100.0,"name":"mgmt"}', '{"name":"mgmt","vid":100}'],
    ['{"vid":100.000001}', '{"vid":100}'],
    ['{"vid":100.00001}', '{"vid":100.00001}'],
    ['{"x":2.5}', '{"x":2.5}'],
    ['{"x":-0.0}', '{"x":0}'],
    ['{"name":"Zürich"}', '{"name":"Zürich"}'],
    ['{"id":18446744073709551615}', '{"id":18446744073709551615}'],
    ['{"a":1.0000001,"b":2.001,"c":{"d":2.99999999999}}', '{"a":1,"b":2.001,"c":{"d":3}}'],
    ['{"z":1,"a":[3,{"y":true,"b":null}]}', '{"a":[3,{"b":null,"y":true}],"z":1}'],
    ["{}", "{}"],
    ['{"x":0.000015}', '{"x":0.000015}'],
    ['{"x":-2.5}', '{"x":-2.5}'],
    ['{"x":-2.99999999999}', '{"x":-3}'],
    ['{"x":"a/b\\n\\u0001\\""}', '{"x":"a/b\\n\\u0001\\""}'],
  ];
  for (const [input, expected] of vectors) {
    it(`${input} → ${expected}`, () => assert.equal(keyString(parseJson(input)), expected));
  }

  it("prints integral floats beyond 2^53 exactly, and clamps at the i64 range", () => {
    assert.equal(keyString({ x: 2 ** 60 }), '{"x":1152921504606846976}');
    assert.equal(keyString({ x: 2 ** 63 }), '{"x":9223372036854775807}');
    assert.equal(keyString({ x: -(2 ** 63) }), '{"x":-9223372036854775808}');
  });

  // Divergence: newer serde_json builds write 1e+19. Keys like this are unsupported; the SDK
  // writes the older spelling.
  it("writes floats beyond 2^63 in the older serde_json spelling", () => {
    assert.equal(keyString({ x: 1e19 }), '{"x":1e19}');
    assert.equal(keyString({ x: -1.5e300 }), '{"x":-1.5e300}');
  });

  it("sorts keys by code point, not by UTF-16 unit", () => {
    assert.equal(keyString({ "😀": 1, "\uFF01": 2, a: 3 }), '{"a":3,"！":2,"😀":1}');
  });
});

describe("uidV5 and objectUid", () => {
  // type, key as received, uid_v5(type, key_string(key)).
  const vectors: Array<[string, string, string]> = [
    ["dcim.device", '{"name":"sw1"}', "71f14d94-779f-5b19-a404-786883d432af"],
    ["dcim.site", '{"site":"fra1"}', "065690e9-7b8d-5a15-acc8-a6db4c42efb5"],
    ["dcim.site", '{"slug":"fra1"}', "8c998348-947f-568d-bbb0-efbed3c3f903"],
    ["dcim.device", '{"name":"leaf01"}', "a8e84d50-69e2-5449-9ba5-2c003ba7e59f"],
    ["a.thing", '{"name":"y"}', "b64ca0c1-20e6-552b-b36f-6f95ff877c0c"],
    [
      "dcim.interface",
      '{"name":"eth0","device":"71f14d94-779f-5b19-a404-786883d432af"}',
      "97ba46e4-c851-5edb-a691-6202e25377eb",
    ],
    ["ipam.vlan", '{"vid":100.0,"name":"mgmt"}', "5c80b2e7-7f21-55de-ae7b-f217abb4d6f5"],
    ["ipam.vlan", '{"vid":100}', "fd41b8fa-ea5c-5474-9bd7-4164e80a9838"],
    ["ipam.vlan", '{"vid":100.000001}', "fd41b8fa-ea5c-5474-9bd7-4164e80a9838"],
    ["dcim.site", '{"name":"Zürich"}', "16f4cc48-00e9-5560-9bdb-95be998458b5"],
    ["t.big", '{"id":18446744073709551615}', "32082b69-3ffb-5dab-93e3-2b4aa8f926ab"],
    [
      "t.canon",
      '{"a":1.0000001,"b":2.001,"c":{"d":2.99999999999}}',
      "050c7e3d-acc2-5f19-95ad-303f1b0cfb4f",
    ],
    ["t.order", '{"z":1,"a":[3,{"y":true,"b":null}]}', "fac669ad-72a6-5c77-889b-4550dd40b8f1"],
    ["dcim.site", "{}", "f2d88fdb-d4f0-5f27-93f7-cd01a2300730"],
  ];
  for (const [type, key, uid] of vectors) {
    it(`${type} ${key} → ${uid}`, () => {
      assert.equal(objectUid(type, parseJson(key) as Key), uid);
    });
  }

  it("hashes the raw stable string, without key_string", () => {
    assert.equal(uidV5("dcim.site", "fra1"), "dcca7841-d653-55ae-94c9-4e22638f0819");
  });

  it("pads names across the SHA-1 block boundaries (values from Python's uuid.uuid5)", () => {
    // 16 namespace bytes + "t:" + n bytes straddles the 55/56/64-byte padding edges.
    const expected: Array<[number, string]> = [
      [38, "7f49e6e7-c6de-5d60-970d-8980a812e833"],
      [39, "1af59e2e-4882-512c-b48c-1c9110779b2e"],
      [40, "79ecee73-091c-58db-bd5f-d492cdd8dc0a"],
      [47, "cededc4f-09ef-582c-9db7-ae65ec2a9bfd"],
      [48, "49a88816-68c5-5be6-bf03-b38676979c01"],
      [103, "1305fcf6-7908-5065-9a26-1c5a6e6fea75"],
      [104, "74b04984-bd27-5237-b0ef-7b77a064a7fd"],
    ];
    for (const [n, uid] of expected) assert.equal(uidV5("t", "x".repeat(n)), uid, `n=${n}`);
  });
});
