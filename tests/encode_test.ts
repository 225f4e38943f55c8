// The result encoder: exactly the protocol's keys, the fixtures' omission rules, and a clear
// refusal for anything JSON.stringify would silently change or choke on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EncodeError, encodeResult, errorLine, type Method } from "../codec.ts";

const UID = "11111111-1111-1111-1111-111111111111";

function refusal(method: Method, result: unknown): string {
  try {
    encodeResult(method, result);
  } catch (e) {
    assert.ok(e instanceof EncodeError, `expected an EncodeError, got ${e}`);
    return e.message;
  }
  return assert.fail("the result was accepted");
}

const site = (extra: Record<string, unknown> = {}) => ({
  type_name: "dcim.site",
  key: { site: "fra1" },
  ...extra,
});

describe("read results", () => {
  it("always write attrs and write backend_id only when known", () => {
    assert.equal(
      encodeResult("read", [
        site(),
        site({ backend_id: null }),
        site({ backend_id: undefined, attrs: { a: 1 } }),
      ]),
      '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{}},' +
        '{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{}},' +
        '{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{"a":1}}]',
    );
    assert.equal(
      encodeResult("read", [site({ backend_id: "dev-1" }), site({ backend_id: 0 })]),
      '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":"dev-1"},' +
        '{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":0}]',
    );
  });

  it("write the wire order and omissions whatever order an object holds its keys in", () => {
    const wire = '{"type_name":"t","key":{"k":1},"attrs":{"a":[1]},"backend_id":7}';
    const inOrder = { type_name: "t", key: { k: 1 }, attrs: { a: [1] }, backend_id: 7 };
    const reversed = { backend_id: 7, attrs: { a: [1] }, key: { k: 1 }, type_name: "t" };
    const hiddenExtra = Object.defineProperty({ ...inOrder }, "note", { value: "not written" });
    assert.equal(
      encodeResult("read", [inOrder, reversed, hiddenExtra]),
      `[${wire},${wire},${wire}]`,
    );
    assert.equal(
      encodeResult("read", [{ ...inOrder, backend_id: null }, {
        ...inOrder,
        backend_id: undefined,
      }]),
      '[{"type_name":"t","key":{"k":1},"attrs":{"a":[1]}},{"type_name":"t","key":{"k":1},"attrs":{"a":[1]}}]',
    );
    assert.equal(
      encodeResult("read", [{ ...inOrder, backend_id: 18446744073709551615n }]),
      `[${wire.replace("7}", "18446744073709551615}")}]`,
    );
  });

  it("omit attrs members whose value is undefined, as optional properties", () => {
    assert.equal(
      encodeResult("read", [site({ attrs: { a: undefined, b: null } })]),
      '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{"b":null}}]',
    );
  });

  const bad: Array<[string, unknown, string]> = [
    ["not an array", {}, "expected an array of objects, got an object"],
    ["undefined", undefined, "expected an array of objects, got undefined"],
    [
      "a typo key",
      [site({ atrs: {} })],
      "[0]: unknown key `atrs` (allowed: type_name, key, attrs, backend_id)",
    ],
    ["a missing type_name", [{ key: {} }], "[0].type_name: expected a type name, got undefined"],
    ["a missing key", [{ type_name: "t" }], "[0].key: expected an object, got undefined"],
    ["null attrs", [site({ attrs: null })], "[0].attrs: expected an object, got null"],
    ["NaN", [site({ attrs: { mtu: NaN } })], "[0].attrs.mtu: expected a finite number, got NaN"],
    [
      "Infinity",
      [site({ attrs: { x: [1, -Infinity] } })],
      "[0].attrs.x[1]: expected a finite number, got -Infinity",
    ],
    [
      "undefined in an array",
      [site({ attrs: { x: [undefined] } })],
      "[0].attrs.x[0]: expected a JSON value, got undefined",
    ],
    [
      "a hole in an array",
      [site({ attrs: { x: new Array(2) } })],
      "[0].attrs.x[0]: expected a JSON value, got undefined",
    ],
    [
      "a Date",
      [site({ attrs: { when: new Date(0) } })],
      "[0].attrs.when: expected a JSON value, got a Date",
    ],
    ["a Map", [site({ key: { m: new Map() } })], "[0].key.m: expected a JSON value, got a Map"],
    [
      "a function",
      [site({ attrs: { f: () => 1 } })],
      "[0].attrs.f: expected a JSON value, got a function",
    ],
    [
      "a symbol",
      [site({ attrs: { s: Symbol("s") } })],
      "[0].attrs.s: expected a JSON value, got a symbol",
    ],
    [
      "a class instance",
      [new (class Site {})()],
      "[0]: expected an object {type_name, key, attrs, backend_id}, got a Site",
    ],
    [
      "a negative backend id",
      [site({ backend_id: -1 })],
      "[0].backend_id: expected a non-negative integer or a string, got -1",
    ],
    [
      "a fractional backend id",
      [site({ backend_id: 1.5 })],
      "[0].backend_id: expected a non-negative integer or a string, got 1.5",
    ],
    [
      "a boolean backend id",
      [site({ backend_id: true })],
      "[0].backend_id: expected a non-negative integer or a string, got true",
    ],
    [
      "a number backend id beyond 2^53",
      [site({ backend_id: 2 ** 60 })],
      "[0].backend_id: backend id 1152921504606847000 is beyond 2^53-1, where a number loses digits; pass it as a bigint or a string",
    ],
    [
      "a bigint backend id beyond u64",
      [site({ backend_id: 2n ** 64n })],
      "[0].backend_id: expected a non-negative integer or a string, got 18446744073709551616n",
    ],
    [
      "a lone surrogate",
      [site({ attrs: { name: "a\uD800" } })],
      "[0].attrs.name: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    ],
    [
      "a key with a space, quoted in the path",
      [site({ attrs: { "a b": NaN } })],
      '[0].attrs["a b"]: expected a finite number, got NaN',
    ],
  ];
  for (const [name, result, message] of bad) {
    it(`refuse ${name}`, () => assert.equal(refusal("read", result), message));
  }

  it("find a lone surrogate anywhere in the answer, and only a real one", () => {
    assert.equal(
      refusal("read", [site({ attrs: { ["x\uDC00"]: 1 } })]),
      '[0].attrs["x\\udc00"]: the key holds a lone UTF-16 surrogate',
    );
    assert.equal(
      refusal("read", [site({ type_name: "t\uD800" })]),
      "[0].type_name: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    );
    assert.equal(
      refusal("read", [site(), site({ backend_id: "\uDBFF" })]),
      "[1].backend_id: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    );
    assert.equal(
      refusal("read", [site({ key: { tags: ["ok", "\uDFFFx"] } })]),
      "[0].key.tags[1]: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    );
    // The text \ud800 (a backslash, then "ud800") and a surrogate pair are fine.
    const fine = [site({ attrs: { path: "C:\\ud800", emoji: "\uD83D\uDE00" } })];
    assert.equal(
      encodeResult("read", fine),
      '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{"path":"C:\\\\ud800","emoji":"😀"}}]',
    );
  });

  it("refuse a cycle, naming it", () => {
    const attrs: Record<string, unknown> = {};
    attrs.self = attrs;
    assert.equal(refusal("read", [site({ attrs })]), "[0].attrs.self: circular reference");
    const shared = { a: 1 };
    assert.doesNotThrow(() => encodeResult("read", [site({ attrs: { x: shared, y: [shared] } })]));
  });

  it("refuse nesting the host's JSON reader cannot take, and accept the deepest it can", () => {
    const nest = (levels: number): unknown => {
      let v: unknown = 0;
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    // envelope 1, result array 2, object 3, attrs 4: 123 more levels fit under serde_json's 127.
    assert.doesNotThrow(() => encodeResult("read", [site({ attrs: { x: nest(123) } })]));
    assert.match(
      refusal("read", [site({ attrs: { x: nest(124) } })]),
      /nested more than 127 levels deep/,
    );
  });

  it("write bigint values as bare integers", () => {
    assert.equal(
      encodeResult("read", [
        site({ key: { id: 18446744073709551615n }, backend_id: 18446744073709551615n }),
      ]),
      '[{"type_name":"dcim.site","key":{"id":18446744073709551615},"attrs":{},"backend_id":18446744073709551615}]',
    );
  });

  it("keep __proto__ and constructor as plain keys", () => {
    const attrs = JSON.parse('{"__proto__":{"x":1},"constructor":"c"}');
    assert.equal(
      encodeResult("read", [site({ attrs })]),
      '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{"__proto__":{"x":1},"constructor":"c"}}]',
    );
  });
});

describe("write results", () => {
  const op = { uid: UID, type_name: "dcim.site" };

  it("always write applied and provision, and resumed only when non-empty", () => {
    assert.equal(encodeResult("write", {}), '{"applied":[],"provision":{}}');
    assert.equal(
      encodeResult("write", { applied: [], resumed: [] }),
      '{"applied":[],"provision":{}}',
    );
    assert.equal(
      encodeResult("write", {
        applied: [{ ...op, backend_id: 1 }, op],
        resumed: [{ ...op, backend_id: "x" }],
        previously_applied_count: 3,
        provision: { created_tags: [] },
      }),
      `{"applied":[{"uid":"${UID}","type_name":"dcim.site","backend_id":1},{"uid":"${UID}","type_name":"dcim.site"}],` +
        `"resumed":[{"uid":"${UID}","type_name":"dcim.site","backend_id":"x"}],"previously_applied_count":3,` +
        `"provision":{"created_tags":[]}}`,
    );
  });

  const bad: Array<[string, unknown, string]> = [
    [
      "not an object",
      [],
      "expected an apply report {applied, resumed, previously_applied_count, provision}, got an array",
    ],
    [
      "a typo key",
      { aplied: [] },
      "unknown key `aplied` (allowed: applied, resumed, previously_applied_count, provision)",
    ],
    ["applied not an array", { applied: {} }, "applied: expected an array, got an object"],
    [
      "an entry typo",
      { applied: [{ ...op, backend_ids: 1 }] },
      "applied[0]: unknown key `backend_ids` (allowed: uid, type_name, backend_id)",
    ],
    ["a bad uid", { applied: [{ ...op, uid: "x" }] }, 'applied[0].uid: expected a UUID, got "x"'],
    [
      "a negative count",
      { previously_applied_count: -1 },
      "previously_applied_count: expected a non-negative integer, got -1",
    ],
    [
      "a provision typo",
      { provision: { deletd_object_types: [] } },
      "provision: unknown key `deletd_object_types` (allowed: created_fields, updated_fields, created_tags, created_object_types, created_object_fields, updated_object_fields, deprecated_object_types, deprecated_object_fields, deleted_object_types, deleted_object_fields)",
    ],
    [
      "a null category",
      { provision: { created_tags: null } },
      "provision.created_tags: expected an array of strings, got null",
    ],
    [
      "a lone surrogate in a type name",
      { applied: [{ ...op, type_name: "t\uD800", backend_id: 1 }] },
      "applied[0].type_name: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    ],
    [
      "a lone surrogate in a resumed backend id",
      { applied: [], resumed: [{ ...op, backend_id: "\uDC01" }] },
      "resumed[0].backend_id: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    ],
    [
      "a lone surrogate in a provision category",
      { applied: [op], provision: { created_tags: ["a\uD800"] } },
      "provision.created_tags[0]: the string holds a lone UTF-16 surrogate, which is not valid UTF-8",
    ],
    ["a null applied list", { applied: null }, "applied: expected an array, got null"],
  ];
  for (const [name, result, message] of bad) {
    it(`refuse ${name}`, () => assert.equal(refusal("write", result), message));
  }

  it("pass an escaped backslash before ud", () => {
    assert.equal(
      encodeResult("write", { applied: [{ ...op, type_name: "C:\\ud800" }] }),
      `{"applied":[{"uid":"${UID}","type_name":"C:\\\\ud800"}],"provision":{}}`,
    );
  });
});

describe("provision reports", () => {
  it("keep exactly the categories that were set, empty ones included", () => {
    assert.equal(encodeResult("ensure_schema", {}), "{}");
    assert.equal(
      encodeResult("ensure_schema", {
        created_fields: [],
        deleted_object_fields: ["t.f"],
        updated_fields: undefined,
      }),
      '{"created_fields":[],"deleted_object_fields":["t.f"]}',
    );
  });

  it("mean 'cannot preview' as null for preview_schema only", () => {
    assert.equal(encodeResult("preview_schema", null), "null");
    assert.equal(refusal("ensure_schema", null), "expected a provision report, got null");
    assert.equal(
      refusal("preview_schema", undefined),
      "expected a provision report, got undefined",
    );
  });

  it("hold only strings", () => {
    assert.equal(
      refusal("ensure_schema", { created_tags: ["a", 1] }),
      "created_tags[1]: expected a string, got 1",
    );
  });
});

describe("capabilities results", () => {
  it("always write the role, adapter by default", () => {
    assert.equal(encodeResult("capabilities", {}), '{"role":"adapter"}');
    assert.equal(encodeResult("capabilities", { role: "observer" }), '{"role":"observer"}');
  });

  it("refuse unknown roles and keys", () => {
    assert.equal(
      refusal("capabilities", { role: "reader" }),
      'role: expected "adapter", "observer" or "emitter", got "reader"',
    );
    assert.equal(refusal("capabilities", { rol: "observer" }), "unknown key `rol` (allowed: role)");
  });
});

describe("error lines", () => {
  it("are one line and never carry an empty message", () => {
    assert.equal(errorLine("boom"), '{"ok":false,"error":"boom"}\n');
    assert.equal(errorLine(""), '{"ok":false,"error":"adapter failed without an error message"}\n');
    assert.equal(errorLine("two\nlines"), '{"ok":false,"error":"two\\nlines"}\n');
  });

  it("repair lone surrogates, which the host cannot read", () => {
    assert.equal(JSON.parse(errorLine("bad \uD800")).error, "bad \uFFFD");
  });
});
