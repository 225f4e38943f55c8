// Value-space validation: each rule, with alembic's message, on the values an
// adapter really returns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type ExternalObject, objectUid, type Schema, State } from "../mod.ts";
import { decodeSchema } from "../codec.ts";
import { validateRead, validateSchema } from "../checks.ts";
import { isIpAddress, isIpNetwork } from "../src/value_space/_formats.ts";

const field = (type: unknown, extra: Record<string, unknown> = {}) => ({ type, ...extra });

/** A schema with one type `t.x` keyed by `name`, whose attribute `v` has the given schema. */
function withField(schema: Record<string, unknown>, more: Record<string, unknown> = {}): Schema {
  return decodeSchema({
    types: {
      "t.x": { key: { name: field("string") }, fields: { v: schema } },
      "t.target": { key: { name: field("string") }, fields: {} },
      "t.other": { key: { name: field("string") }, fields: {} },
      ...more,
    },
  });
}

const x = (v: unknown): ExternalObject =>
  ({ type_name: "t.x", key: { name: "a" }, attrs: { v } }) as ExternalObject;

const messages = (schema: Schema, objects: ExternalObject[]) =>
  validateRead(schema, objects).map((p) => p.message);

describe("validateRead: values by kind", () => {
  const cases: Array<[string, unknown, unknown[], Array<[unknown, string]>]> = [
    ["string", "string", ["", "any"], [[1, "expected string, got number"]]],
    ["text", "text", ["long"], [[true, "expected text, got bool"]]],
    ["ip_address", "ip_address", ["10.0.0.10/24", "not checked"], [[
      [],
      "expected ip_address, got array",
    ]]],
    ["int", "int", [0, -3, 2 ** 53 - 1, 18446744073709551615n], [
      [1.5, "expected int, got number"],
      ["1", "expected int, got string"],
      [18446744073709551616n, "expected int, got number"],
    ]],
    ["float", "float", [1, 1.5, -0.25], [["1.5", "expected float, got string"]]],
    ["bool", "bool", [true, false], [[0, "expected bool, got number"]]],
    ["uuid", "uuid", [
      "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
      "065690E97B8D5A15ACC8A6DB4C42EFB5",
      "{065690e9-7b8d-5a15-acc8-a6db4c42efb5}",
      "urn:uuid:065690e9-7b8d-5a15-acc8-a6db4c42efb5",
    ], [
      ["065690e9-7b8d-5a15-acc8", "expected uuid, got 065690e9-7b8d-5a15-acc8"],
      [
        "URN:UUID:065690e9-7b8d-5a15-acc8-a6db4c42efb5",
        "expected uuid, got URN:UUID:065690e9-7b8d-5a15-acc8-a6db4c42efb5",
      ],
      [7, "expected uuid, got number"],
    ]],
    ["date", "date", ["2026-02-28", "2024-02-29", "2000-02-29", "9999-12-31"], [
      ["2026-02-30", "expected date, got 2026-02-30"],
      ["2100-02-29", "expected date, got 2100-02-29"],
      ["0000-01-01", "expected date, got 0000-01-01"],
      ["2026-13-01", "expected date, got 2026-13-01"],
      ["2026-8-1", "expected date, got 2026-8-1"],
      ["٢٠٢٦-01-01", "expected date, got ٢٠٢٦-01-01"],
    ]],
    ["time", "time", ["00:00:00", "23:59:59.999"], [
      ["23:59:60", "expected time, got 23:59:60"],
      ["24:00:00", "expected time, got 24:00:00"],
      ["22:00", "expected time, got 22:00"],
    ]],
    ["datetime", "datetime", [
      "2026-08-01T22:00:00",
      "2026-08-01t22:00:00Z",
      "2026-08-01T22:00:00.5+02:00",
      "2026-08-01T22:00:00-23:59",
    ], [
      ["2026-08-01T22:00:00z", "expected datetime, got 2026-08-01T22:00:00z"],
      ["2026-08-01 22:00:00", "expected datetime, got 2026-08-01 22:00:00"],
      ["2026-08-01T22:00:00+0200", "expected datetime, got 2026-08-01T22:00:00+0200"],
      ["2026-08-01T22:00:00+24:00", "expected datetime, got 2026-08-01T22:00:00+24:00"],
      ["2026-02-30T22:00:00Z", "expected datetime, got 2026-02-30T22:00:00Z"],
    ]],
    ["json", "json", [null, 1, "s", [1], { a: { b: [] } }], []],
    ["cidr", "cidr", ["10.0.0.0/24", "10.0.0.1/32", "2001:db8::/32", "::/0"], [
      ["10.0.0.0", "expected cidr, got 10.0.0.0"],
      ["10.0.0.0/33", "expected cidr, got 10.0.0.0/33"],
      ["2001:db8::/129", "expected cidr, got 2001:db8::/129"],
    ]],
    ["prefix", "prefix", ["192.168.0.0/16"], [["fra1", "expected prefix, got fra1"]]],
    ["mac", "mac", ["00:1a:2B:3c:4d:5e", "00-1a-2b-3c-4d-5e"], [
      ["001a.2b3c.4d5e", "expected mac, got 001a.2b3c.4d5e"],
    ]],
    ["slug", "slug", ["fra1", "a", "edge_1-b"], [
      ["Fra1", "expected slug, got Fra1"],
      ["-fra1", "expected slug, got -fra1"],
      ["fra1_", "expected slug, got fra1_"],
    ]],
    ["enum", { type: "enum", values: ["active", "planned"] }, ["active"], [
      ["retired", "expected enum(active|planned), got retired"],
      [1, "expected enum, got number"],
    ]],
    ["list", { type: "list", item: "int" }, [[], [1, 2]], [
      [[1, "2"], "expected int, got string"],
      [[1, null], "expected int, got null"],
      [{}, "expected list, got object"],
    ]],
    ["map", { type: "map", value: "bool" }, [{}, { a: true }], [
      [{ a: 1 }, "expected bool, got number"],
      [[true], "expected map, got array"],
    ]],
  ];

  for (const [kind, type, good, bad] of cases) {
    it(`${kind}: accepts what alembic accepts and names what it refuses`, () => {
      const schema = withField(field(type, { nullable: kind === "json" }));
      for (const value of good) {
        assert.deepEqual(messages(schema, [x(value)]), [], `${kind} accepts ${String(value)}`);
      }
      for (const [value, message] of bad) {
        assert.deepEqual(messages(schema, [x(value)]), [`invalid value for t.x.v: ${message}`]);
      }
    });
  }

  it("refuses null unless the field is nullable", () => {
    assert.deepEqual(messages(withField(field("int")), [x(null)]), [
      "invalid value for t.x.v: expected int, got null",
    ]);
    assert.deepEqual(messages(withField(field("int", { nullable: true })), [x(null)]), []);
    assert.deepEqual(
      messages(withField(field({ type: "ref", target: "t.target" })), [x(null)]),
      ["invalid value for t.x.v: expected ref(t.target), got null"],
    );
  });
});

describe("validateRead: refs", () => {
  const schema = withField(field({ type: "ref", target: "t.target" }));
  const target: ExternalObject = { type_name: "t.target", key: { name: "y" }, attrs: {} };
  const targetUid = objectUid("t.target", { name: "y" });

  it("passes a ref naming the first-sight uid of a target in the same answer", () => {
    assert.deepEqual(messages(schema, [x(targetUid), target]), []);
    assert.deepEqual(messages(schema, [x(targetUid.toUpperCase()), target]), []);
  });

  it("refuses a backend id, an unknown uid and a uid of another type", () => {
    const other: ExternalObject = { type_name: "t.other", key: { name: "z" }, attrs: {} };
    const otherUid = objectUid("t.other", { name: "z" });
    const unknown = "11111111-1111-1111-1111-111111111111";
    assert.deepEqual(messages(schema, [x(7), target]), [
      "invalid value for t.x.v: expected uuid, got number",
    ]);
    assert.deepEqual(messages(schema, [x("7"), target]), [
      "invalid value for t.x.v: expected uuid, got 7",
    ]);
    assert.deepEqual(messages(schema, [x({ id: 7 }), target]), [
      "invalid value for t.x.v: expected uuid, got object",
    ]);
    assert.deepEqual(messages(schema, [x(unknown)]), [
      `missing reference t.x.v -> ${unknown}`,
    ]);
    assert.deepEqual(messages(schema, [x(otherUid), other]), [
      `reference type mismatch t.x.v -> ${otherUid} (expected t.target, got t.other)`,
    ]);
  });

  it("checks every element of a list_ref, and refs nested in lists", () => {
    const listRef = withField(field({ type: "list_ref", target: "t.target" }));
    assert.deepEqual(messages(listRef, [x([targetUid, 3]), target]), [
      "invalid value for t.x.v: expected uuid, got number",
    ]);
    assert.deepEqual(messages(listRef, [x(targetUid), target]), [
      "invalid value for t.x.v: expected list_ref, got string",
    ]);
    const nested = withField(field({ type: "list", item: { type: "ref", target: "t.target" } }));
    assert.deepEqual(messages(nested, [x([targetUid]), target]), []);
    assert.deepEqual(messages(nested, [x([5]), target]), [
      "invalid value for t.x.v: expected uuid, got number",
    ]);
  });

  it("with state, a bound target is named by its state uid", () => {
    const bound = "22222222-2222-4222-8222-222222222222";
    const state = new State({ "t.target": { [bound]: 9 } });
    const boundTarget = { ...target, backend_id: 9 };
    assert.deepEqual(validateRead(schema, [x(bound), boundTarget], { state }), []);
    assert.deepEqual(
      validateRead(schema, [x(targetUid), boundTarget], { state }).map((p) => p.message),
      [`missing reference t.x.v -> ${targetUid}`],
    );
  });

  it("ignores objects of undeclared types, which then cannot be ref targets", () => {
    const stray = { type_name: "t.undeclared", key: { name: "q" }, attrs: { junk: 1 } };
    const strayUid = objectUid("t.undeclared", { name: "q" });
    assert.deepEqual(messages(schema, [stray]), []);
    assert.deepEqual(messages(schema, [x(strayUid), stray]), [
      `missing reference t.x.v -> ${strayUid}`,
    ]);
  });
});

describe("validateRead: object rules", () => {
  const schema = decodeSchema({
    types: {
      "dcim.site": {
        key: { slug: field("slug", { required: false }) },
        fields: {
          name: field("string", { required: true }),
          slug: field("slug", { required: false }),
          asn: field("int"),
        },
      },
    },
  });
  const site = (key: Record<string, unknown>, attrs: Record<string, unknown>, id?: number) =>
    ({ type_name: "dcim.site", key, attrs, backend_id: id }) as ExternalObject;

  it("locates each problem: kind, object index, type and field", () => {
    const problems = validateRead(schema, [
      site({ slug: "fra1" }, { name: "FRA1" }, 1),
      site({}, { name: "x", colour: "red" }, 2),
    ]);
    assert.deepEqual(problems, [
      { kind: "missing_key", message: "missing key on object", index: 1, typeName: "dcim.site" },
      {
        kind: "missing_key_field",
        message: "missing key field dcim.site.slug",
        index: 1,
        typeName: "dcim.site",
        field: "key.slug",
      },
      {
        kind: "extra_attr_field",
        message: "extra attr field dcim.site.colour",
        index: 1,
        typeName: "dcim.site",
        field: "colour",
      },
    ]);
  });

  it("needs every key field whatever `required` says, and refuses undeclared ones", () => {
    assert.deepEqual(messages(schema, [site({ slug: "fra1", region: "eu" }, { name: "n" })]), [
      "extra key field dcim.site.region",
    ]);
    assert.deepEqual(messages(schema, [site({ region: "eu" }, { name: "n" })]), [
      "missing key field dcim.site.slug",
      "extra key field dcim.site.region",
    ]);
    assert.deepEqual(messages(schema, [site({ slug: "Fra 1" }, { name: "n" })]), [
      "invalid value for dcim.site.key.slug: expected slug, got Fra 1",
    ]);
  });

  it("needs required attrs; optional ones may be absent", () => {
    assert.deepEqual(messages(schema, [site({ slug: "fra1" }, {})]), [
      "missing attr field dcim.site.name",
    ]);
    assert.deepEqual(messages(schema, [site({ slug: "fra1" }, { name: "n", asn: 65000 })]), []);
  });

  it("refuses two objects with one canonical key, and two with one backend id", () => {
    assert.deepEqual(
      messages(schema, [
        site({ slug: "fra1" }, { name: "a" }, 1),
        site({ slug: "fra1" }, { name: "b" }, 2),
      ]),
      [
        `duplicate uid: ${objectUid("dcim.site", { slug: "fra1" })}`,
        'duplicate key: dcim.site::{"slug":"fra1"}',
      ],
    );
    const vlans = decodeSchema({ types: { "ipam.vlan": { key: { vid: field("float") } } } });
    assert.deepEqual(
      messages(vlans, [
        { type_name: "ipam.vlan", key: { vid: 100 }, attrs: {} },
        { type_name: "ipam.vlan", key: { vid: 100.000001 }, attrs: {} },
      ]).filter((m) => m.startsWith("duplicate key")),
      ['duplicate key: ipam.vlan::{"vid":100}'],
    );
    assert.deepEqual(
      validateRead(schema, [
        site({ slug: "fra1" }, { name: "a" }, 1),
        site({ slug: "ams1" }, { name: "b" }, 1),
      ]),
      [{
        kind: "duplicate_backend_id",
        message: "ObservedState already contains an object with backend id 1 for type dcim.site",
        index: 1,
        typeName: "dcim.site",
      }],
    );
  });

  it("holds format and pattern constraints, unanchored", () => {
    const constrained = withField(field("string", { format: "ip_address", pattern: "^10\\." }));
    assert.deepEqual(messages(constrained, [x("10.0.0.1")]), []);
    assert.deepEqual(messages(constrained, [x("10.0.0.1/24")]), [
      "invalid value for t.x.v: expected format(ip_address), got 10.0.0.1/24",
    ]);
    assert.deepEqual(messages(constrained, [x("192.168.0.1")]), [
      "invalid value for t.x.v: expected pattern(^10\\.), got 192.168.0.1",
    ]);
    assert.deepEqual(messages(constrained, [x(10)]), [
      "invalid value for t.x.v: expected string, got number",
      "invalid value for t.x.v: expected string, got number",
    ]);
    const unanchored = withField(field("string", { pattern: "eth[0-9]" }));
    assert.deepEqual(messages(unanchored, [x("xe-eth0-uplink")]), []);
    const caseless = withField(field("string", { pattern: "(?i)^fra" }));
    assert.deepEqual(messages(caseless, [x("FRA1")]), []);
  });

  it("reports schema problems too", () => {
    const bad = withField(field("int", { format: "slug" }));
    assert.deepEqual(messages(bad, []), [
      "format constraint on non-string field t.x.v (type int)",
    ]);
  });
});

describe("validateSchema", () => {
  const schemaWith = (types: Record<string, unknown>) => decodeSchema({ types });

  it("passes a well-formed schema", () => {
    assert.deepEqual(
      validateSchema(schemaWith({
        "dcim.site": {
          key: { slug: field("slug") },
          fields: {
            slug: field("slug"),
            prefix: field("prefix", { format: "cidr" }),
            owner: field("string", { pattern: "^[a-z]+$", format: "slug" }),
          },
        },
        "dcim.device": {
          key: { site: field({ type: "ref", target: "dcim.site" }), name: field("string") },
          fields: { peers: field({ type: "list_ref", target: "dcim.device" }) },
        },
      })),
      [],
    );
  });

  it("names every broken rule with alembic's text", () => {
    const problems = validateSchema(schemaWith({
      "t.a": {
        key: {
          tags: field({ type: "list", item: "string" }),
          maybe: field("string", { nullable: true }),
          name: field("string"),
        },
        fields: {
          name: field("string", { required: true }),
          site: field({ type: "map", value: { type: "ref", target: "dcim.site" } }),
          bad: field("string", { pattern: "(?=x)" }),
          again: field("text", { pattern: "(?=x)" }),
          count: field("int", { format: "slug", pattern: "^1" }),
          id: field("uuid", { format: "mac" }),
          day: field("date", { format: "slug" }),
          state: field({ type: "list", item: { type: "enum", values: [] } }),
        },
      },
    }));
    assert.deepEqual(problems.map((p) => [p.kind, p.field, p.message]), [
      ["unknown_ref_target", "site", "unknown ref target t.a.site -> dcim.site"],
      [
        "invalid_schema_pattern",
        "again",
        "invalid pattern for t.a.again: regex parse error: look-around, including look-ahead and look-behind, is not supported (pattern: (?=x))",
      ],
      [
        "constraint_on_non_string_field",
        "count",
        "format constraint on non-string field t.a.count (type int)",
      ],
      [
        "constraint_on_non_string_field",
        "count",
        "pattern constraint on non-string field t.a.count (type int)",
      ],
      [
        "conflicting_format",
        "day",
        "conflicting format on t.a.day: declared format(slug), but a date type already checks rfc 3339 (docs/ir.md)",
      ],
      [
        "conflicting_format",
        "id",
        "conflicting format on t.a.id: declared format(mac), but a uuid type already checks format(uuid) (docs/ir.md)",
      ],
      ["empty_enum", "state", "empty enum for t.a.state: an enum with no values is unsatisfiable"],
      [
        "non_scalar_key_field",
        "key.tags",
        "non-scalar key field t.a.key.tags: a list key has no scalar identity form (docs/ir.md)",
      ],
      [
        "nullable_key_field",
        "key.maybe",
        "nullable key field t.a.key.maybe: a null identity component has no stable identity (docs/ir.md)",
      ],
      [
        "key_field_disagreement",
        "name",
        "key field t.a.name is declared again in fields with a different schema; one name carries one schema (docs/ir.md)",
      ],
    ]);
  });

  it("refuses the Rust-unsupported backreference, and agrees cidr with prefix", () => {
    const problems = validateSchema(schemaWith({
      "t.a": {
        key: { name: field("string") },
        fields: {
          r: field("string", { pattern: "(a)\\1" }),
          p: field("cidr", { format: "prefix" }),
        },
      },
    }));
    assert.deepEqual(problems.map((p) => p.kind), ["invalid_schema_pattern"]);
  });
});

describe("address parsing, as Rust's std and ipnet read it", () => {
  it("IPv4: four octets up to 255, no leading zero", () => {
    for (const ok of ["0.0.0.0", "10.0.0.1", "255.255.255.255"]) assert.ok(isIpAddress(ok), ok);
    for (const bad of ["256.0.0.1", "01.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.4 ", "", "a.b.c.d"]) {
      assert.ok(!isIpAddress(bad), bad);
    }
  });

  it("IPv6: groups, one `::`, an embedded IPv4 tail, nothing else", () => {
    for (
      const ok of [
        "::",
        "::1",
        "1::",
        "2001:db8::8a2e:370:7334",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::ffff:192.168.0.1",
        "1:2:3:4:5:6:1.2.3.4",
      ]
    ) assert.ok(isIpAddress(ok), ok);
    for (
      const bad of [
        ":1",
        "1:",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        "1.2.3.4::",
        "1:2:3:4:5:6:7:1.2.3.4",
        "fe80::1%eth0",
        "[::1]",
      ]
    ) assert.ok(!isIpAddress(bad), bad);
  });

  it("networks: an address, `/`, a prefix length in range", () => {
    for (const ok of ["10.0.0.0/8", "10.0.0.1/24", "::/0", "2001:db8::/128"]) {
      assert.ok(isIpNetwork(ok), ok);
    }
    for (const bad of ["10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "x/8"]) {
      assert.ok(!isIpNetwork(bad), bad);
    }
  });
});
