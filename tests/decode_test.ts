// The strict request decoder: what it accepts, how it normalizes, and the exact texts it refuses
// with (the path names where to look).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Op, State } from "../mod.ts";
import { decodeFieldSchema, decodeRequest, RequestError } from "../codec.ts";

const UID = "11111111-1111-1111-1111-111111111111";
const SCHEMA = { types: { "dcim.site": { key: { site: { type: "slug" } }, fields: {} } } };

function refusal(text: string): string {
  try {
    decodeRequest(text, { warn: () => {} });
  } catch (e) {
    assert.ok(e instanceof RequestError, `expected a RequestError, got ${e}`);
    return e.message;
  }
  return assert.fail(`accepted: ${text}`);
}

function create(i: number): Record<string, unknown> {
  return {
    op: "create",
    uid: UID,
    type_name: "dcim.site",
    desired: { uid: UID, type: "dcim.site", key: { site: `s${i}` }, attrs: {} },
  };
}

function write(ops: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 1,
    setup: {},
    method: "write",
    schema: SCHEMA,
    ops,
    state: { mappings: {} },
    ...extra,
  });
}

function writeOps(ops: unknown[]): Op[] {
  const request = decodeRequest(write(ops));
  assert.equal(request.method, "write");
  return request.method === "write" ? request.ops : [];
}

describe("envelope, in decode order", () => {
  const cases: Array<[string, string]> = [
    ["not json", "invalid request: "],
    ["", "invalid request: empty request: expected one JSON object on stdin"],
    [" \n\t", "invalid request: empty request: expected one JSON object on stdin"],
    ['{"version":1} {"version":1}', "invalid request: "],
    ["[]", "invalid request: expected a JSON object"],
    ['"read"', "invalid request: expected a JSON object"],
    ["null", "invalid request: expected a JSON object"],
    ["7", "invalid request: expected a JSON object"],
    ['{"method":"read"}', "invalid request: missing field `version`"],
    ['{"version":"1","method":"read"}', "invalid request: version must be an integer"],
    ['{"version":1.5,"method":"read"}', "invalid request: version must be an integer"],
    ['{"version":true,"method":"read"}', "invalid request: version must be an integer"],
    ['{"version":2,"method":"read"}', "unsupported protocol version 2 (expected 1)"],
    ['{"version":0}', "unsupported protocol version 0 (expected 1)"],
    [
      '{"version":18446744073709551616,"method":"read"}',
      "unsupported protocol version 18446744073709551616 (expected 1)",
    ],
    ['{"version":1}', "invalid request: missing field `method`"],
    ['{"version":1,"method":7}', "invalid request: method: expected a string"],
    [
      '{"version":1,"setup":{},"method":"frobnicate"}',
      "invalid request: unknown variant `frobnicate`, expected one of `read`, `write`, `ensure_schema`, `preview_schema`, `capabilities`",
    ],
    [
      '{"version":1,"method":"read","types":[],"state":{}}',
      "invalid request: missing field `schema`",
    ],
    [
      '{"version":1,"method":"read","schema":{},"state":{}}',
      "invalid request: missing field `types`",
    ],
    [
      '{"version":1,"method":"read","schema":{},"types":[]}',
      "invalid request: missing field `state`",
    ],
    [
      '{"version":1,"method":"write","schema":{},"state":{}}',
      "invalid request: missing field `ops`",
    ],
    ['{"version":1,"method":"ensure_schema"}', "invalid request: missing field `schema`"],
    [
      '{"version":1,"method":"preview_schema","schema":[]}',
      "invalid request: schema: expected an object",
    ],
    [
      '{"version":1,"method":"read","schema":{},"types":["a",3],"state":{}}',
      "invalid request: types[1]: expected a string",
    ],
    [
      '{"version":1,"method":"read","schema":{},"types":[],"state":[]}',
      "invalid request: state: expected an object",
    ],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => {
      const message = refusal(text);
      if (expected.endsWith(": ")) assert.ok(message.startsWith(expected), message);
      else assert.equal(message, expected);
    });
  }

  it("checks the version before the method and its fields", () => {
    assert.equal(
      refusal('{"version":2,"method":"frobnicate","schema":7}'),
      "unsupported protocol version 2 (expected 1)",
    );
  });

  it("refuses a byte order mark instead of hiding it", () => {
    assert.match(refusal('\uFEFF{"version":1}'), /^invalid request: .*byte order mark/);
  });

  it("treats a missing setup as null and ignores unknown keys at every level", () => {
    const request = decodeRequest(JSON.stringify({
      version: 1,
      method: "read",
      future_key: { anything: true },
      schema: { types: { t: { key: { k: { type: "string", future: 1 } }, future: 2 } }, future: 3 },
      types: ["t"],
      state: { mappings: {}, future: 4 },
    }));
    assert.equal(request.setup, null);
    assert.equal(request.method, "read");
  });

  it("accepts setup of any JSON type", () => {
    for (const setup of [null, [], "x", 5, { nested: { deep: [1] } }]) {
      const request = decodeRequest(JSON.stringify({ version: 1, setup, method: "capabilities" }));
      assert.deepEqual(request.setup, setup);
    }
  });
});

describe("ops", () => {
  it("names the path of a bad member", () => {
    const ops: unknown[] = [create(0), create(1), create(2), create(3)];
    (ops[3] as { desired: { uid: unknown } }).desired.uid = 42;
    assert.equal(refusal(write(ops)), "invalid request: ops[3].desired.uid: expected a string");
  });

  const bad: Array<[string, (op: Record<string, unknown>) => void, string]> = [
    ["not an object", (op) => Object.assign(op, { op: undefined }), "ops[0]: missing field `op`"],
    [
      "unknown op tag",
      (op) => (op.op = "upsert"),
      "ops[0].op: unknown variant `upsert`, expected one of `create`, `update`, `delete`",
    ],
    ["uid not a UUID", (op) => (op.uid = "site-1"), 'ops[0].uid: expected a UUID, got "site-1"'],
    ["missing type_name", (op) => delete op.type_name, "ops[0]: missing field `type_name`"],
    [
      "blank type_name",
      (op) => (op.type_name = "  "),
      "ops[0].type_name: expected a non-empty type name",
    ],
    ["missing desired", (op) => delete op.desired, "ops[0]: missing field `desired`"],
    ["desired not an object", (op) => (op.desired = []), "ops[0].desired: expected an object"],
    [
      "desired.key missing",
      (op) => delete (op.desired as Record<string, unknown>).key,
      "ops[0].desired: missing field `key`",
    ],
    [
      "desired.attrs null",
      (op) => ((op.desired as Record<string, unknown>).attrs = null),
      "ops[0].desired.attrs: expected an object",
    ],
    [
      "desired.type missing",
      (op) => delete (op.desired as Record<string, unknown>).type,
      "ops[0].desired: missing field `type`",
    ],
  ];
  for (const [name, mutate, detail] of bad) {
    it(`refuses ${name}`, () => {
      const op = create(0);
      mutate(op);
      assert.equal(refusal(write([op])), `invalid request: ${detail}`);
    });
  }

  it("refuses ops that are not an array, and non-object ops", () => {
    assert.equal(refusal(write({} as unknown[])), "invalid request: ops: expected an array");
    assert.equal(
      refusal(write([create(0), "create"])),
      "invalid request: ops[1]: expected an object",
    );
  });

  it("checks update changes and backend ids", () => {
    const update = { ...create(0), op: "update", changes: [{ field: 3 }], backend_id: 1 };
    assert.equal(
      refusal(write([update])),
      "invalid request: ops[0].changes[0].field: expected a string",
    );
    const negative = { ...create(0), op: "update", backend_id: -1 };
    assert.equal(
      refusal(write([negative])),
      "invalid request: ops[0].backend_id: expected a non-negative integer or a string",
    );
    const fractional = { op: "delete", uid: UID, type_name: "t", key: {}, backend_id: 1.5 };
    assert.match(refusal(write([fractional])), /^invalid request: ops\[0\]\.backend_id: /);
  });

  it("fills the documented defaults", () => {
    const ops = writeOps([
      { ...create(0), op: "update" },
      { op: "delete", uid: UID, type_name: "dcim.site", backend_id: null },
      { ...create(1), desired: { uid: UID, kind: "dcim.site", key: { site: "x" } } },
      { ...create(2), op: "update", changes: [{ field: "name" }], backend_id: "abc" },
    ]);
    assert.deepEqual(ops[0]!.op === "update" && ops[0]!.changes, []);
    assert.deepEqual(ops[1], { op: "delete", uid: UID, type_name: "dcim.site", key: {} });
    assert.deepEqual(ops[2]!.op === "create" && ops[2]!.desired, {
      uid: UID,
      type: "dcim.site",
      key: { site: "x" },
      attrs: {},
    });
    assert.deepEqual(ops[3]!.op === "update" && ops[3]!.changes, [{
      field: "name",
      from: null,
      to: null,
    }]);
    assert.equal(ops[3]!.op === "update" && ops[3]!.backend_id, "abc");
  });

  it("accepts every uid spelling the host accepts", () => {
    for (
      const uid of [
        "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
        "065690E9-7B8D-5A15-ACC8-A6DB4C42EFB5",
        "065690e97b8d5a15acc8a6db4c42efb5",
        "{065690e9-7b8d-5a15-acc8-a6db4c42efb5}",
        "urn:uuid:065690e9-7b8d-5a15-acc8-a6db4c42efb5",
      ]
    ) {
      const [op] = writeOps([{ op: "delete", uid, type_name: "t", key: {} }]);
      assert.ok(op);
      assert.equal(op.uid, uid, "the uid is passed through unchanged");
    }
  });

  it("keeps an empty ops list (the host writes on every apply)", () => {
    assert.deepEqual(writeOps([]), []);
  });
});

describe("field schemas", () => {
  it("decodes the inline and the nested spelling to one nested form", () => {
    const pairs: Array<[unknown, unknown]> = [
      [{ type: "ref", target: "dcim.site", required: true }, {
        type: { type: "ref", target: "dcim.site" },
      }],
      [{ type: "list", item: "string" }, { type: { type: "list", item: "string" } }],
      [
        { type: "list", item: { type: "ref", target: "ipam.vlan" } },
        { type: { type: "list", item: { type: "ref", target: "ipam.vlan" } } },
      ],
      [{ type: "map", value: { type: "int" } }, { type: { type: "map", value: "int" } }],
      [{ type: "enum", values: ["a", "b"] }, { type: { type: "enum", values: ["a", "b"] } }],
      [{ type: "list_ref", target: "x" }, { type: { type: "list_ref", target: "x" } }],
      [{ type: "int" }, { type: { type: "int" } }],
    ];
    for (const [inline, nested] of pairs) {
      const a = decodeFieldSchema(structuredClone(inline));
      const b = decodeFieldSchema(structuredClone(nested));
      assert.deepEqual({ ...a, required: false }, { ...b, required: false });
      assert.equal(typeof a.nullable, "boolean");
    }
    assert.deepEqual(decodeFieldSchema({ type: "ref", target: "dcim.site", required: true }), {
      type: { type: "ref", target: "dcim.site" },
      required: true,
      nullable: false,
    });
  });

  it("keeps format, pattern and description", () => {
    assert.deepEqual(
      decodeFieldSchema({ type: "string", format: "mac", pattern: "^a", description: "d" }),
      {
        type: "string",
        format: "mac",
        pattern: "^a",
        description: "d",
        required: false,
        nullable: false,
      },
    );
  });

  const errors: Array<[unknown, string]> = [
    ["string", "field schema must be an object"],
    [{ required: true }, "field schema requires type"],
    [{ type: "string", required: "yes" }, "field schema `required` must be a boolean"],
    [{ type: "string", nullable: 1 }, "field schema `nullable` must be a boolean"],
    [{ type: "string", pattern: 1 }, "field schema `pattern` must be a string"],
    [{ type: "string", format: 1 }, "field schema `format` must be a string"],
    [{ type: "string", description: [] }, "field schema `description` must be a string"],
    [{ type: "string", format: "email" }, "unknown field format email"],
    [{ type: "bogus" }, "unknown field type bogus"],
    [{ type: 7 }, "field type must be a string or map"],
    [{ type: { target: "x" } }, "field type requires a string 'type' key"],
    [{ type: "list" }, "list type requires item"],
    [{ type: { type: "map" } }, "map type requires value"],
    [{ type: "enum" }, "enum type requires values"],
    [{ type: "ref" }, "ref type requires target"],
    [{ type: { type: "list_ref" } }, "list_ref type requires target"],
    [{ type: "enum", values: ["a", 1] }, "enum values must be strings"],
    [{ type: "list", item: "ref" }, "ref type requires target"],
    [{ type: "list", item: { type: "nope" } }, "unknown field type nope"],
  ];
  for (const [schema, message] of errors) {
    it(`refuses ${JSON.stringify(schema)}: ${message}`, () => {
      const text = JSON.stringify({
        version: 1,
        method: "ensure_schema",
        schema: { types: { "dcim.site": { key: {}, fields: { name: schema } } } },
      });
      assert.equal(
        refusal(text),
        `invalid request: schema.types["dcim.site"].fields.name: ${message}`,
      );
    });
  }

  it("fills missing types, key and fields with {}", () => {
    const request = decodeRequest(
      '{"version":1,"method":"ensure_schema","schema":{"types":{"t":{}}}}',
    );
    if (request.method !== "ensure_schema") return assert.fail();
    assert.deepEqual(request.schema, { types: { t: { key: {}, fields: {} } } });
    const empty = decodeRequest('{"version":1,"method":"preview_schema","schema":{}}');
    if (empty.method !== "preview_schema") return assert.fail();
    assert.deepEqual(empty.schema, { types: {} });
  });
});

describe("state", () => {
  const read = (state: unknown) =>
    JSON.stringify({ version: 1, setup: {}, method: "read", schema: {}, types: [], state });
  const decoded = (state: unknown): State => {
    const request = decodeRequest(read(state));
    return request.method === "read" ? request.state : assert.fail();
  };

  it("treats a missing mappings as empty, as the runner sends it", () => {
    assert.deepEqual(decoded({}).mappings, {});
  });

  it("looks ids up both ways", () => {
    const state = decoded({
      mappings: { "dcim.site": { [UID]: 7 }, "dcim.device": { [UID]: "7" } },
    });
    assert.equal(state.backendId("dcim.site", UID), 7);
    assert.equal(state.backendId("dcim.device", UID), "7");
    assert.equal(state.uid("dcim.site", 7), UID);
    assert.equal(state.uid("dcim.site", "7"), undefined, '1 and "1" are different ids');
    assert.equal(state.uid("dcim.device", "7"), UID);
    assert.equal(state.backendId("dcim.rack", UID), undefined);
    assert.equal(state.uid("constructor", 7), undefined);
    assert.equal(state.backendId("constructor", UID), undefined);
  });

  it("resolves a shared id to the first uid in sorted order", () => {
    const a = "aaaaaaaa-1111-1111-1111-111111111111";
    const b = "bbbbbbbb-1111-1111-1111-111111111111";
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (m: string) => warnings.push(m);
    try {
      assert.equal(new State({ t: { [b]: 1, [a]: 1 } }).uid("t", 1), a);
    } finally {
      console.warn = original;
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /backend id 1 to both/);
  });

  it("refuses bad mappings with their path", () => {
    assert.equal(
      refusal(read({ mappings: { "dcim.site": { "not-a-uid": 1 } } })),
      'invalid request: state.mappings["dcim.site"]: expected UUID keys, got "not-a-uid"',
    );
    assert.equal(
      refusal(read({ mappings: { "dcim.site": { [UID]: true } } })),
      `invalid request: state.mappings["dcim.site"]["${UID}"]: expected a non-negative integer or a string`,
    );
    assert.equal(
      refusal(read({ mappings: [] })),
      "invalid request: state.mappings: expected an object",
    );
  });

  it("finds one bad binding among many good ones", () => {
    const many: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) many[`${String(i).padStart(8, "0")}${UID.slice(8)}`] = i;
    assert.equal(
      decoded({ mappings: { t: many } }).backendId("t", `00004999${UID.slice(8)}`),
      4999,
    );
    many[UID] = -1;
    assert.equal(
      refusal(read({ mappings: { t: many } })),
      `invalid request: state.mappings.t["${UID}"]: expected a non-negative integer or a string`,
    );
  });

  it("ignores enumerable keys a polluted Object.prototype lends every mapping", () => {
    Object.defineProperty(Object.prototype, "polluted", {
      value: true,
      enumerable: true,
      configurable: true,
    });
    try {
      assert.equal(decoded({ mappings: { t: { [UID]: 1 } } }).backendId("t", UID), 1);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });

  it("serializes back to the wire form", () => {
    assert.equal(JSON.stringify(new State({ t: { [UID]: 1 } })), `{"mappings":{"t":{"${UID}":1}}}`);
  });
});

describe("read scope", () => {
  const read = (scope: unknown) =>
    JSON.stringify({
      version: 1,
      setup: {},
      method: "read",
      schema: {},
      types: [],
      state: {},
      scope,
    });

  it("is absent when the host sends none, or null", () => {
    const none = decodeRequest(JSON.stringify({
      version: 1,
      setup: {},
      method: "read",
      schema: {},
      types: [],
      state: {},
    }));
    assert.ok(none.method === "read" && !("scope" in none));
    const nul = decodeRequest(read(null));
    assert.ok(nul.method === "read" && nul.scope === undefined);
  });

  it("decodes full and narrowed scopes", () => {
    const full = decodeRequest(read({ kind: "full" }));
    assert.deepEqual(full.method === "read" && full.scope, { kind: "full" });
    const narrowed = decodeRequest(read({
      kind: "narrowed",
      backend_ids: { t: [1, "x"] },
      keys: {},
      unnarrowed: ["u"],
    }));
    assert.deepEqual(narrowed.method === "read" && narrowed.scope, {
      kind: "narrowed",
      backend_ids: { t: [1, "x"] },
      keys: {},
      unnarrowed: ["u"],
    });
  });

  it("treats a malformed scope as absent and says so on the warning channel", () => {
    for (
      const scope of [
        "narrowed",
        { kind: "partial" },
        { kind: "narrowed", keys: { t: [{ key: 1 }] } },
        { kind: "narrowed", backend_ids: { t: [-1] } },
        { kind: "narrowed", unnarrowed: "t" },
      ]
    ) {
      const warnings: string[] = [];
      const request = decodeRequest(read(scope), { warn: (m) => warnings.push(m) });
      assert.ok(request.method === "read" && request.scope === undefined, JSON.stringify(scope));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /ignoring a malformed read scope .*reading everything/);
    }
  });
});

describe("integers beyond 2^53", () => {
  it("decode exactly as bigint, wherever they are", () => {
    const big = "18446744073709551615";
    const request = decodeRequest(
      `{"version":1,"setup":{"n":${big}},"method":"write","schema":{},"state":{"mappings":{"t":{"${UID}":${big}}}},` +
        `"ops":[{"op":"delete","uid":"${UID}","type_name":"t","key":{"id":${big}},"backend_id":${big}}]}`,
    );
    if (request.method !== "write") return assert.fail();
    assert.deepEqual(request.setup, { n: 18446744073709551615n });
    assert.equal(request.state.backendId("t", UID), 18446744073709551615n);
    assert.equal(request.state.uid("t", 18446744073709551615n), UID);
    const [op] = request.ops;
    assert.ok(op);
    assert.equal(op.op === "delete" && op.backend_id, 18446744073709551615n);
    assert.deepEqual(op.op === "delete" && op.key, { id: 18446744073709551615n });
  });

  it("refuse a backend id beyond the u64 range", () => {
    const op = { op: "delete", uid: UID, type_name: "t", key: {} };
    const text = write([op]).replace('"key":{}', '"key":{},"backend_id":18446744073709551616');
    assert.equal(
      refusal(text),
      "invalid request: ops[0].backend_id: expected a non-negative integer or a string",
    );
  });
});
