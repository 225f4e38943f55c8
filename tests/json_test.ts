// Exact integers: the fast path for ordinary documents, the exact path when a wide integer is
// present, and nothing else changed by either.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJson, stringifyJson } from "../codec.ts";

describe("parseJson", () => {
  it("keeps integers beyond 2^53 exact as bigint, and leaves safe ones as numbers", () => {
    assert.deepEqual(
      parseJson('{"a":18446744073709551615,"b":-9223372036854775808,"c":9007199254740991}'),
      {
        a: 18446744073709551615n,
        b: -9223372036854775808n,
        c: 9007199254740991,
      },
    );
    assert.deepEqual(parseJson("[9007199254740993, 1234567890123456]"), [
      9007199254740993n,
      1234567890123456,
    ]);
    assert.equal(parseJson("18446744073709551615"), 18446744073709551615n);
  });

  it("leaves digits inside strings, floats and exponents alone", () => {
    const text =
      '{"s":"18446744073709551615","t":"\\"18446744073709551615","f":0.12345678901234567,"e":12345678901234567e2,"x":18446744073709551615.0}';
    const value = parseJson(text) as Record<string, unknown>;
    assert.equal(value.s, "18446744073709551615");
    assert.equal(value.t, '"18446744073709551615');
    assert.equal(value.f, 0.12345678901234567);
    assert.equal(value.e, 12345678901234567e2);
    assert.equal(value.x, 18446744073709551615.0);
  });

  it("handles escaped backslashes before a closing quote", () => {
    assert.deepEqual(parseJson('["a\\\\", 18446744073709551615, "b\\\\\\""]'), [
      "a\\",
      18446744073709551615n,
      'b\\"',
    ]);
  });

  it("keeps __proto__ an own key on the exact path, polluting nothing", () => {
    const value = parseJson('{"__proto__":{"polluted":18446744073709551615}}') as Record<
      string,
      unknown
    >;
    assert.ok(Object.hasOwn(value, "__proto__"));
    assert.deepEqual(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const direct = parseJson('{"__proto__":18446744073709551615}') as Record<string, unknown>;
    assert.ok(Object.hasOwn(direct, "__proto__"));
    assert.equal(
      Object.getOwnPropertyDescriptor(direct, "__proto__")?.value,
      18446744073709551615n,
    );
  });

  it("rejects what JSON.parse rejects, on both paths", () => {
    for (
      const text of [
        "01234567890123456789",
        "[18446744073709551615,]",
        "{",
        "18446744073709551615 1",
        "-",
      ]
    ) {
      assert.throws(() => parseJson(text), SyntaxError, text);
    }
  });

  it("does not mistake a marker-like string for a wide integer", () => {
    const value = parseJson('["\\u0000abc123", 18446744073709551615]');
    assert.deepEqual(value, ["\u0000abc123", 18446744073709551615n]);
  });
});

describe("stringifyJson", () => {
  it("writes bigint as a bare integer and round-trips", () => {
    const text =
      '{"id":18446744073709551615,"list":[-9223372036854775809,1],"s":"18446744073709551615"}';
    assert.equal(stringifyJson(parseJson(text), true), text);
  });

  it("matches JSON.stringify when there is no bigint", () => {
    const value = { a: [1, "two", null, true], b: { c: 1.5 } };
    assert.equal(stringifyJson(value, false), JSON.stringify(value));
    assert.equal(stringifyJson(value, true), JSON.stringify(value));
  });
});
