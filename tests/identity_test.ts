// key_string, against the vectors of the protocol spec (§9.1, §9.3).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyString, parseJson } from "../mod.ts";

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

  // Divergence (spec §11, point 13): newer serde_json builds write 1e+19. Keys like this are
  // unsupported; the SDK writes the older spelling.
  it("writes floats beyond 2^63 in the older serde_json spelling", () => {
    assert.equal(keyString({ x: 1e19 }), '{"x":1e19}');
    assert.equal(keyString({ x: -1.5e300 }), '{"x":-1.5e300}');
  });

  it("sorts keys by code point, not by UTF-16 unit", () => {
    assert.equal(keyString({ "😀": 1, "\uFF01": 2, a: 3 }), '{"a":3,"！":2,"😀":1}');
  });
});
