// Property tests (fast-check), with fixed seeds so every run checks the same inputs:
//
// - requests the host could send decode to exactly themselves, and results an adapter may
//   return encode to exactly themselves, on both JSON paths (the plain one and the exact,
//   bigint-keeping one), with `__proto__`, `constructor` and `prototype` among the keys;
// - garbage (random text, random bytes, broken requests, well-formed envelopes with members of
//   any type, results and thrown values of any kind) never produces anything but one
//   well-formed answer line; a few of them go through the real process too.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type AdapterMethods, type JsonValue, PROVISION_CATEGORIES } from "../mod.ts";
import {
  decodeRequest,
  encodeResult,
  errorLine,
  readText,
  respond,
  stringifyJson,
} from "../codec.ts";
import { adapterCommand, pipe } from "./support/spawn.ts";

const SEED = 20260601;
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

// ---- values ---------------------------------------------------------------------------------

const POISON = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];
const key = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...POISON) },
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
);

/** An object from entries: `Object.fromEntries` defines `__proto__` as an own key. */
const objectOf = <T>(value: fc.Arbitrary<T>, k: fc.Arbitrary<string> = key) =>
  fc.uniqueArray(fc.tuple(k, value), { selector: ([name]) => name, maxLength: 4 })
    .map((entries) => Object.fromEntries(entries) as Record<string, T>);

const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.maxSafeInteger(),
  // Floats that JSON writes back the same way (no -0, no integral floats beyond 2^53).
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 })
    .map((d) => (Object.is(d, -0) ? 0 : d)),
  // Integers a number cannot hold: they must come back as bigint, exactly.
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
  fc.string({ unit: "binary", maxLength: 12 }),
);

const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { maxDepth: 4, depthSize: "small" },
    scalar,
    fc.array(tie("json"), { maxLength: 4 }),
    objectOf(tie("json")),
  ),
}));
const jsonObject = objectOf(json);

const typeName = fc.oneof(
  fc.constantFrom("dcim.site", "dcim.device", ...POISON),
  fc.string({ unit: "binary", minLength: 1, maxLength: 10 }).filter((s) => s.trim() !== ""),
);
const uid = fc.uuid();
const backendId = fc.oneof(
  fc.nat(),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
  fc.string({ maxLength: 8 }),
);

// ---- requests, in the host's own form (nested field types, every default written) -----------

const simpleKind = fc.constantFrom(
  "string",
  "text",
  "int",
  "float",
  "bool",
  "uuid",
  "date",
  "datetime",
  "time",
  "json",
  "ip_address",
  "cidr",
  "prefix",
  "mac",
  "slug",
);
const { fieldType } = fc.letrec<{ fieldType: unknown }>((tie) => ({
  fieldType: fc.oneof(
    { maxDepth: 3, depthSize: "small" },
    simpleKind,
    fc.record({ type: fc.constant("enum"), values: fc.array(fc.string(), { maxLength: 3 }) }),
    fc.record({ type: fc.constant("list"), item: tie("fieldType") }),
    fc.record({ type: fc.constant("map"), value: tie("fieldType") }),
    fc.record({ type: fc.constantFrom("ref", "list_ref"), target: typeName }),
  ),
}));
const fieldSchema = fc.record(
  {
    type: fieldType,
    required: fc.boolean(),
    nullable: fc.boolean(),
    format: fc.constantFrom("slug", "ip_address", "cidr", "prefix", "mac", "uuid"),
    pattern: fc.string(),
    description: fc.string({ unit: "binary" }),
  },
  { requiredKeys: ["type", "required", "nullable"] },
);
const schema = fc.record({
  types: objectOf(
    fc.record({ key: objectOf(fieldSchema), fields: objectOf(fieldSchema) }),
    typeName,
  ),
});
const state = fc.record({ mappings: objectOf(objectOf(backendId, uid), typeName) });
const desired = fc.record({ uid, type: typeName, key: jsonObject, attrs: jsonObject });
const op = fc.oneof(
  fc.record({ op: fc.constant("create"), uid, type_name: typeName, desired }),
  fc.record(
    {
      op: fc.constant("update"),
      uid,
      type_name: typeName,
      desired,
      changes: fc.array(fc.record({ field: key, from: json, to: json }), { maxLength: 3 }),
      backend_id: backendId,
    },
    { requiredKeys: ["op", "uid", "type_name", "desired", "changes"] },
  ),
  fc.record(
    { op: fc.constant("delete"), uid, type_name: typeName, key: jsonObject, backend_id: backendId },
    { requiredKeys: ["op", "uid", "type_name", "key"] },
  ),
);
const scope = fc.oneof(
  fc.constant({ kind: "full" }),
  fc.record({
    kind: fc.constant("narrowed"),
    backend_ids: objectOf(fc.array(backendId, { maxLength: 3 }), typeName),
    keys: objectOf(
      fc.array(fc.record({ key: jsonObject, canonical: fc.string() }), { maxLength: 2 }),
      typeName,
    ),
    unnarrowed: fc.array(typeName, { maxLength: 2 }),
  }),
);
const envelope = (method: string) =>
  fc.record({ version: fc.constant(1), setup: json, method: fc.constant(method) });
const request = fc.oneof(
  envelope("capabilities"),
  fc.tuple(
    envelope("read"),
    schema,
    fc.array(typeName, { maxLength: 3 }),
    state,
    fc.option(scope, { nil: undefined }),
  )
    .map(([e, s, types, st, sc]) => ({
      ...e,
      schema: s,
      types,
      state: st,
      ...(sc === undefined ? {} : { scope: sc }),
    })),
  fc.tuple(envelope("write"), schema, fc.array(op, { maxLength: 4 }), state)
    .map(([e, s, ops, st]) => ({ ...e, schema: s, ops, state: st })),
  fc.tuple(envelope("ensure_schema"), schema).map(([e, s]) => ({ ...e, schema: s })),
  fc.tuple(envelope("preview_schema"), schema).map(([e, s]) => ({ ...e, schema: s })),
);

// ---- results, in the order and form the encoder writes them --------------------------------

const externalObject = fc.record(
  { type_name: typeName, key: jsonObject, attrs: jsonObject, backend_id: backendId },
  { requiredKeys: ["type_name", "key", "attrs"] },
);
const appliedOp = fc.record(
  { uid, type_name: typeName, backend_id: backendId },
  { requiredKeys: ["uid", "type_name"] },
);
const provision = fc.record(
  Object.fromEntries(
    PROVISION_CATEGORIES.map((c) => [c, fc.array(fc.string({ unit: "binary" }), { maxLength: 3 })]),
  ),
  { requiredKeys: [] },
);
const applyReport = fc.record(
  {
    applied: fc.array(appliedOp, { maxLength: 3 }),
    resumed: fc.array(appliedOp, { minLength: 1, maxLength: 2 }),
    previously_applied_count: fc.nat(),
    provision,
  },
  { requiredKeys: ["applied", "provision"] },
);

// ---- what every answer must be ----------------------------------------------------------------

/** Asserts `line` is one compact JSON line holding a valid envelope. */
function wellFormed(line: string): void {
  assert.ok(line.endsWith("\n"), JSON.stringify(line.slice(-50)));
  assert.equal(line.indexOf("\n"), line.length - 1, "more than one line");
  const response = JSON.parse(line);
  if (response.ok === true) {
    assert.deepEqual(Object.keys(response), ["ok", "result"]);
  } else {
    assert.deepEqual(Object.keys(response), ["ok", "error"]);
    assert.equal(response.ok, false);
    assert.equal(typeof response.error, "string");
    assert.notEqual(response.error.trim(), "");
  }
}

/** An adapter that answers every method with something valid built from what it received. */
const echoing: AdapterMethods = {
  read: (_schema, types) => types.map((t) => ({ type_name: t, key: {}, attrs: {} })),
  write: (_schema, ops) => ({ applied: ops.map((o) => ({ uid: o.uid, type_name: o.type_name })) }),
};

/** What run() does with the bytes on stdin, in process. */
async function answerBytes(adapter: AdapterMethods, bytes: Uint8Array): Promise<string> {
  let text: string;
  try {
    text = await readText((async function* () {
      yield bytes;
    })());
  } catch (e) {
    return errorLine(`invalid request: ${(e as Error).message}`);
  }
  return respond(adapter, text, { warn: () => {} });
}

const quiet = { warn: () => {} };

describe("round trips", () => {
  it("a request the host could send decodes to exactly itself", () => {
    fc.assert(
      fc.property(request, fc.boolean(), (req, exactPath) => {
        // A wide integer anywhere in the text selects the exact path for the whole request.
        const sent = exactPath ? { ...req, wide: 2n ** 64n - 1n } : req;
        const text = stringifyJson(sent, true);
        assert.equal(stringifyJson(decodeRequest(text, quiet), true), text);
      }),
      runs(300),
    );
  });

  it("a read result encodes to exactly itself", () => {
    fc.assert(
      fc.property(fc.array(externalObject, { maxLength: 4 }), (objects) => {
        assert.equal(encodeResult("read", objects), stringifyJson(objects, true));
      }),
      runs(300),
    );
  });

  it("a read result without attrs encodes with attrs: {}", () => {
    fc.assert(
      fc.property(fc.array(externalObject, { maxLength: 3 }), (objects) => {
        const bare = objects.map(({ attrs: _attrs, ...rest }) => rest);
        const expected = objects.map(({ type_name, key, backend_id }) =>
          backend_id === undefined
            ? { type_name, key, attrs: {} }
            : { type_name, key, attrs: {}, backend_id }
        );
        assert.equal(encodeResult("read", bare), stringifyJson(expected, true));
      }),
      runs(100),
    );
  });

  it("an apply report and a provision report encode to exactly themselves", () => {
    fc.assert(
      fc.property(applyReport, provision, (report, prov) => {
        assert.equal(encodeResult("write", report), stringifyJson(report, true));
        assert.equal(encodeResult("ensure_schema", prov), stringifyJson(prov, true));
        assert.equal(encodeResult("preview_schema", prov), stringifyJson(prov, true));
      }),
      runs(200),
    );
  });

  it("request data an adapter hands back as its result comes back unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(externalObject, { maxLength: 3 }), async (objects) => {
        let received: JsonValue = null;
        const adapter: AdapterMethods = {
          setup: (config) => void (received = config),
          read: () => received as never,
        };
        const text = stringifyJson({
          version: 1,
          setup: objects as unknown as JsonValue,
          method: "read",
          schema: {},
          types: [],
          state: {},
        }, true);
        assert.equal(
          await respond(adapter, text, quiet),
          `{"ok":true,"result":${stringifyJson(objects, true)}}\n`,
        );
      }),
      runs(200),
    );
  });
});

describe("garbage", () => {
  it("random text answers one well-formed line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 200 }), async (text) => {
        wellFormed(await respond(echoing, text, quiet));
      }),
      runs(300),
    );
  });

  it("random bytes answer one well-formed line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        wellFormed(await answerBytes(echoing, bytes));
      }),
      runs(300),
    );
  });

  it("a valid request, cut and spliced at random, answers one well-formed line", async () => {
    const edit = fc.record({
      at: fc.nat(),
      cut: fc.nat({ max: 20 }),
      insert: fc.string({ unit: "binary", maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        async (req, edits) => {
          let text = stringifyJson(req, true);
          for (const { at, cut, insert } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + cut);
          }
          wellFormed(await respond(echoing, text, quiet));
        },
      ),
      runs(300),
    );
  });

  it("an envelope whose members have any type answers one well-formed line", async () => {
    const member = (valid: fc.Arbitrary<unknown>) => fc.oneof(valid, json, fc.constant(undefined));
    const garbled = fc.record({
      version: member(fc.constant(1)),
      setup: json,
      method: member(
        fc.constantFrom("capabilities", "read", "write", "ensure_schema", "preview_schema"),
      ),
      schema: member(schema),
      types: member(fc.array(typeName)),
      state: member(state),
      ops: member(fc.array(fc.oneof(op, jsonObject), { maxLength: 3 })),
      scope: member(scope),
    });
    await fc.assert(
      fc.asyncProperty(garbled, async (envelope) => {
        wellFormed(await respond(echoing, stringifyJson(envelope, true), quiet));
      }),
      runs(300),
    );
  });

  const anything = fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
    values: [fc.constant(NaN), fc.constant(-Infinity), fc.constant(undefined), fc.constant(-0)],
  });

  it("an adapter returning anything at all answers one well-formed line", async () => {
    const methods = ["read", "write", "ensure_schema", "preview_schema", "capabilities"] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), anything, async (method, result) => {
        const adapter: AdapterMethods = {
          read: () => result as never,
          write: () => result as never,
          ensureSchema: () => result as never,
          previewSchema: () => result as never,
          capabilities: () => result as never,
        };
        const req = { version: 1, setup: {}, method, schema: {}, types: [], state: {}, ops: [] };
        wellFormed(await respond(adapter, JSON.stringify(req), quiet));
      }),
      runs(300),
    );
  });

  it("an adapter throwing anything at all answers one well-formed error", async () => {
    await fc.assert(
      fc.asyncProperty(anything, fc.boolean(), async (thrown, inSetup) => {
        const fail = () => {
          throw thrown;
        };
        const adapter: AdapterMethods = inSetup ? { setup: fail } : { read: fail };
        const line = await respond(
          adapter,
          '{"version":1,"setup":{},"method":"read","schema":{},"types":[],"state":{}}',
          quiet,
        );
        wellFormed(line);
        assert.equal(JSON.parse(line).ok, false);
      }),
      runs(300),
    );
  });

  it("random bytes through the real process answer one well-formed line, exit 0", async () => {
    const echo = adapterCommand("tests/adapters/echo_adapter");
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 100 }),
      request.map((r) => stringifyJson(r, true)),
      fc.string({ unit: "binary", maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        const outcome = await pipe(echo, bytes);
        assert.equal(outcome.code, 0, outcome.stderr);
        wellFormed(outcome.stdout);
      }),
      runs(15),
    );
  });
});
