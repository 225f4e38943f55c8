// Prototype pollution, through the real process: `__proto__`, `constructor` and `prototype` as
// keys in key, attrs, setup, state.mappings and the schema maps arrive as plain own keys, come
// back unchanged when the adapter returns them, and change no prototype. The echo adapter
// (tests/adapters/echo_adapter.ts) fails the call if any prototype changed, and hands back what
// it received. Both JSON paths are run: the plain one, and the exact one a wide integer selects.
// Deno deletes the `__proto__` accessor, so `target[key] = value` cannot set a prototype there:
// it is the Node run of these tests that catches a decoder that copies keys by assignment.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adapterCommand, oneDocument, pipe } from "./support/spawn.ts";

const ECHO = adapterCommand("tests/adapters/echo_adapter");

// Written as JSON text: an object literal's `__proto__` would set the prototype instead.
const POISON = `{
  "__proto__": { "polluted": "via __proto__", "nested": { "__proto__": { "deep": true } } },
  "constructor": { "prototype": { "polluted": "via constructor.prototype" } },
  "prototype": { "polluted": "via prototype" },
  "toString": "not a function",
  "hasOwnProperty": 1,
  "plain": "value"
}`;
const UID = "11111111-1111-1111-1111-111111111111";
const FIELD = `{ "type": "string", "required": false, "nullable": false }`;

/** A schema whose type names and field names are the poison keys. */
const SCHEMA = `{ "types": {
  "__proto__": { "key": { "__proto__": ${FIELD} }, "fields": { "constructor": ${FIELD} } },
  "constructor": { "key": { "prototype": ${FIELD} }, "fields": { "__proto__": ${FIELD} } },
  "prototype": { "key": {}, "fields": {} }
} }`;

/** A state whose type names are the poison keys. */
const MAPPINGS = `{
  "__proto__": { "${UID}": 1 },
  "constructor": { "${UID}": "c-1" },
  "prototype": {}
}`;

/** Read objects built from the poison, for the adapter to return as its result. */
const OBJECTS = `[
  { "type_name": "__proto__", "key": ${POISON}, "attrs": ${POISON}, "backend_id": 1 },
  { "type_name": "constructor", "key": { "__proto__": "k" }, "attrs": { "constructor": ${POISON} } }
]`;

const OPS = `[
  { "op": "create", "uid": "${UID}", "type_name": "__proto__",
    "desired": { "uid": "${UID}", "type": "__proto__", "key": ${POISON}, "attrs": ${POISON} } },
  { "op": "update", "uid": "${UID}", "type_name": "constructor",
    "desired": { "uid": "${UID}", "type": "constructor", "key": { "prototype": 1 }, "attrs": ${POISON} },
    "changes": [ { "field": "__proto__", "from": ${POISON}, "to": { "__proto__": null } } ],
    "backend_id": "constructor" },
  { "op": "delete", "uid": "${UID}", "type_name": "prototype", "key": ${POISON}, "backend_id": 3 }
]`;

/** The same value, parsed as JSON: own keys, exactly as the adapter should see it. */
const parse = (text: string): unknown => JSON.parse(text);

const paths = [
  ["the plain JSON path", ""],
  // A 16+ digit integer anywhere sends the request down the exact, bigint-preserving path.
  ["the exact JSON path", `, "wide": 18446744073709551615`],
] as const;

let stdout = "";

async function ask(request: string): Promise<Record<string, unknown>> {
  const outcome = await pipe(ECHO, request);
  assert.equal(outcome.code, 0, outcome.stderr);
  stdout = outcome.stdout;
  const response = oneDocument(outcome.stdout);
  assert.equal(response.ok, true, JSON.stringify(response));
  return response;
}

describe("prototype keys in a request", () => {
  it("the poison is what it claims: own keys, no prototype set", () => {
    const poison = parse(POISON) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(poison), Object.prototype);
    assert.ok(Object.hasOwn(poison, "__proto__"));
    assert.ok(JSON.stringify(poison).includes('"__proto__":{"polluted"'));
  });

  for (const [path, wide] of paths) {
    it(`read, ${path}: setup, schema, mappings and results round-trip unchanged`, async () => {
      const setup = `{ "objects": ${OBJECTS}, "poison": ${POISON}${wide} }`;
      const response = await ask(
        `{ "version": 1, "setup": ${setup}, "method": "read", "schema": ${SCHEMA},
           "types": ["__proto__", "constructor", "prototype"],
           "state": { "mappings": ${MAPPINGS} } }`,
      );
      const result = response.result as Array<Record<string, unknown>>;
      assert.equal(result.length, 3);
      assert.deepEqual(result.slice(0, 2), parse(OBJECTS));
      const echo = result[2]!.attrs as Record<string, unknown>;
      assert.deepEqual(echo.setup, parse(setup));
      assert.deepEqual(echo.schema, parse(SCHEMA));
      assert.deepEqual(echo.mappings, parse(MAPPINGS));
      assert.deepEqual(echo.types, ["__proto__", "constructor", "prototype"]);
      if (wide !== "") assert.ok(stdout.includes('"wide":18446744073709551615}'));
    });

    it(`write, ${path}: ops arrive with their own keys, unchanged`, async () => {
      const response = await ask(
        `{ "version": 1, "setup": { "poison": ${POISON}${wide} }, "method": "write",
           "schema": ${SCHEMA}, "ops": ${OPS}, "state": { "mappings": ${MAPPINGS} } }`,
      );
      const applied = (response.result as { applied: Array<{ backend_id: string }> }).applied;
      // The echo adapter writes each decoded op, as JSON text, into its backend id.
      assert.deepEqual(applied.map((a) => JSON.parse(a.backend_id)), parse(OPS));
    });

    it(`ensure_schema, ${path}: type and field names arrive as own keys`, async () => {
      const response = await ask(
        `{ "version": 1, "setup": { "poison": ${POISON}${wide} }, "method": "ensure_schema",
           "schema": ${SCHEMA} }`,
      );
      const report = response.result as Record<string, string[]>;
      assert.deepEqual(report.created_object_types, ["__proto__", "constructor", "prototype"]);
      assert.deepEqual(JSON.parse(report.created_fields![0]!), parse(SCHEMA));
    });
  }
});
