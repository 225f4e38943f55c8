// The encoder's quick path against its full path (fast-check, fixed seed). `encodeResult`
// first tries `encodeQuickly` (QuickCheck, which keeps no path) on read answers and apply
// reports and falls back to `encodeFully`, which names the problem. On arbitrary results,
// valid and hostile, the two must agree:
//
// - whatever the quick path writes, the full encoder run alone writes too, to the character;
// - whatever the full encoder writes, the quick path writes too, but for two deferrals it makes
//   on purpose, each checked to be the only reason it stepped aside: output holding `\ud`
//   (a lone surrogate's escape, or an escaped backslash before "ud"), and a map inheriting an
//   enumerable non-JSON value from a polluted `Object.prototype` (its for-in sees it);
// - `encodeResult` answers as the full encoder does: the same text, or the same EncodeError.
//
// Hostile means NaN, ±Infinity, -0, bigints in and out of range, unsafe integers, lone
// surrogates in strings and keys, `undefined` in arrays and as values, holes, non-plain objects
// (Date, Map, boxed primitives, class instances, foreign prototypes), null-prototype objects,
// getters, non-enumerable and symbol-keyed properties, nesting on both sides of the depth limit,
// cycles and shared (acyclic) references, extra and misspelt keys in any order, `__proto__` own
// keys, blank type names, uids in every spelling and broken ones, and a polluted prototype.
//
// One seed; per method 1500 runs in the protocol's shape and 3000 hostile ones, then 800 more
// each with a polluted prototype. Each test also checks that its runs reached both verdicts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
// All from the modules themselves, not the entry points: the npm build bundles those, with a
// copy of EncodeError that the encoders' own would not be an instance of.
import { encodeFully, encodeQuickly, encodeResult } from "../src/wire/encode.ts";
import { EncodeError } from "../src/wire/errors.ts";
import { stringifyJson } from "../src/wire/json.ts";
import { PROVISION_CATEGORIES } from "../src/wire/results.ts";
import { QuickCheck } from "../src/wire/_quick_check.ts";

const SEED = 20260603;
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

type Method = "read" | "write";

// ---- the property -----------------------------------------------------------------------------

/** An encoder's answer: the text it wrote, or the EncodeError message it refused with. */
type Verdict = { text: string } | { refused: string };

function verdict(encode: () => string): Verdict {
  try {
    return { text: encode() };
  } catch (e) {
    // Anything but an EncodeError (a TypeError from JSON.stringify on an unflagged bigint, a
    // stack overflow) escapes and fails the property.
    if (e instanceof EncodeError) return { refused: e.message };
    throw e;
  }
}

/** QuickCheck's wire value as text, before encodeQuickly's `\ud` test; `undefined` if refused. */
function rawQuick(method: Method, result: unknown): string | undefined {
  const provision = (value: unknown) => {
    const v = verdict(() => encodeFully("ensure_schema", value));
    return "text" in v ? JSON.parse(v.text) : undefined;
  };
  const quick = new QuickCheck(provision);
  const wire = method === "read" ? quick.objects(result) : quick.applyReport(result);
  return wire === undefined ? undefined : stringifyJson(wire, quick.sawBigInt);
}

/** A property lent to every object or array for the length of one comparison. */
interface Pollution {
  target: "Object.prototype" | "Array.prototype";
  name: string;
  value: unknown;
}

function polluted<T>(pollution: Pollution | null, run: () => T): T {
  if (pollution === null) return run();
  const target = pollution.target === "Object.prototype" ? Object.prototype : Array.prototype;
  Object.defineProperty(target, pollution.name, {
    value: pollution.value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  try {
    return run();
  } finally {
    delete (target as unknown as Record<string, unknown>)[pollution.name];
  }
}

/**
 * Whether QuickCheck's for-in over a read object's maps (the only for-in that does not skip
 * inherited keys) accepts the value they inherit, as it accepts any JSON value.
 */
function inheritedPasses(method: Method, pollution: Pollution | null): boolean {
  if (method !== "read" || pollution === null || pollution.target !== "Object.prototype") {
    return true;
  }
  const v = pollution.value;
  return v === undefined || v === null || typeof v === "string" || typeof v === "boolean" ||
    typeof v === "bigint" || (typeof v === "number" && Number.isFinite(v));
}

/** How often each outcome came up, so a test can tell that its runs reached both sides. */
interface Tally {
  accepted: number;
  refused: number;
  deferred: number;
}
const tally = (): Tally => ({ accepted: 0, refused: 0, deferred: 0 });

/** The property itself, for one result (and, maybe, one polluted prototype). */
function agree(method: Method, result: unknown, pollution: Pollution | null, seen: Tally): void {
  const [quick, raw, full, answer] = polluted(pollution, () => [
    encodeQuickly(method, result),
    rawQuick(method, result),
    verdict(() => encodeFully(method, result)),
    verdict(() => encodeResult(method, result)),
  ]);
  if (quick !== undefined) {
    assert.deepEqual(full, { text: quick }, "the quick path wrote what the full encoder does not");
    seen.accepted++;
  } else if ("text" in full) {
    // The quick path stepped aside on a result the full encoder writes: only for its two
    // deferrals, and then for nothing else.
    const escape = full.text.includes("\\ud") && raw === full.text;
    assert.ok(
      escape || !inheritedPasses(method, pollution),
      `the quick path refused what the full encoder writes as ${full.text}`,
    );
    seen.deferred++;
  } else seen.refused++;
  assert.deepEqual(answer, full, "encodeResult answered otherwise than the full encoder");
}

// ---- scalars and strings ----------------------------------------------------------------------

const LONE = ["\ud800", "\udbff", "\udc00", "\udfff"];
/** Strings that look like escapes, or sit at the edges of what JSON writes literally. */
const TRICKY = ["", " ", "\t\n", "\u0000", "\u001f", "\u2028", '"', "\\", "\\u", "ud800", "😀"];
/** Text holding `\ud` once written, with no lone surrogate: encodeQuickly defers it. */
const ESCAPE_LOOKALIKES = ["\\ud800", "\\\\udc00", "C:\\udev"];

const char16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Well-formed strings: any code points, and the tricky ones spliced in. */
const cleanString = fc.oneof(
  { weight: 150, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
  {
    weight: 50,
    arbitrary: fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 3 })), {
      maxLength: 3,
    }).map((parts) => parts.join("")),
  },
  // Rare, since one of them anywhere makes the quick path defer the whole result.
  { weight: 1, arbitrary: fc.constantFrom(...ESCAPE_LOOKALIKES) },
);

/** Strings that may hold lone surrogates (any UTF-16 code unit), besides the clean ones. */
const anyString = fc.oneof(
  { weight: 3, arbitrary: cleanString },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(fc.constantFrom(...LONE), char16, cleanString), {
      minLength: 1,
      maxLength: 4,
    }).map((parts) => parts.join("")),
  },
);

/** Numbers JSON writes as they are, -0 included (it writes `0`). */
const cleanNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, 2 ** 64, 1e300),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const bigints = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(0n, -1n, 2n ** 53n, 2n ** 64n - 1n, 2n ** 64n),
);

/** The scalars a key or attrs map may hold (the maps take any bigint). */
const cleanScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  cleanNumber,
  bigints,
  cleanString,
);

/** Class instances are not JSON objects, whatever they hold. */
class Row {}
/** Arrays all the same, to Array.isArray and JSON.stringify. */
class Rows extends Array {}

class Thing {
  type_name = "dcim.site";
  key = { site: "fra1" };
  attrs = {};
}

/** Values no map may hold, made afresh for every run. */
const foreign: fc.Arbitrary<unknown> = fc.constantFrom(
  () => new Date(0),
  () => new Map([["a", 1]]),
  () => new Set([1]),
  () => /x/,
  () => new Thing(),
  () => Object.create({ inherited: 1 }),
  () => new Number(1),
  () => new String("x"),
  () => new Uint8Array(2),
  () => new Error("x"),
  () => Symbol("x"),
  () => () => 1,
).map((make) => make());

const badScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, undefined),
  foreign,
  anyString.filter((s) => !s.isWellFormed()),
);

// ---- objects with any shape -------------------------------------------------------------------

/** How an own property is defined: as data, as a getter of a fixed value, or non-enumerable. */
type Kind = "data" | "getter" | "hidden";
type Entry = [name: string, value: unknown, kind: Kind];
/** What an object inherits from: plain or null prototypes (both JSON objects), or not. */
type Proto = "plain" | "null" | "class" | "foreign";

const kind = (hostile: boolean): fc.Arbitrary<Kind> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant<Kind>("data") },
    { weight: 1, arbitrary: fc.constant<Kind>("getter") },
    { weight: hostile ? 1 : 0, arbitrary: fc.constant<Kind>("hidden") },
  );

const proto = (hostile: boolean): fc.Arbitrary<Proto> =>
  fc.oneof(
    { weight: 16, arbitrary: fc.constant<Proto>("plain") },
    { weight: 4, arbitrary: fc.constant<Proto>("null") },
    { weight: hostile ? 1 : 0, arbitrary: fc.constantFrom<Proto>("class", "foreign") },
  );

/** An object with exactly these own properties, in this order, defined as told. */
function build(entries: readonly Entry[], from: Proto, symbol = false): Record<string, unknown> {
  const o: Record<string, unknown> = from === "plain"
    ? {}
    : from === "null"
    ? Object.create(null)
    : from === "class"
    ? new Row()
    : Object.create({ lent: true });
  // defineProperty makes `__proto__` an own key, as JSON.parse and Object.fromEntries do.
  for (const [name, value, how] of entries) {
    Object.defineProperty(
      o,
      name,
      how === "getter"
        ? { get: () => value, enumerable: true, configurable: true }
        : { value, enumerable: how === "data", writable: true, configurable: true },
    );
  }
  // Symbol keys are invisible to for-in, Object.keys and JSON.stringify alike.
  if (symbol) Object.defineProperty(o, Symbol("s"), { value: NaN, enumerable: true });
  return o;
}

const POISON = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "toJSON"];

/** Map keys: poison names, integer-like keys (for-in visits them first), any string. */
const mapKey = (hostile: boolean) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...POISON, "0", "1", "4294967295", "-0", "1.5") },
    { weight: 8, arbitrary: cleanString },
    { weight: hostile ? 1 : 0, arbitrary: anyString },
  );

/** A nest of `levels` containers around `inner`, arrays or objects as `mask`'s bits say. */
function nest(levels: number, mask: number, inner: unknown): unknown {
  let v = inner;
  for (let i = 0; i < levels; i++) v = (mask >>> (i % 31)) & 1 ? [v] : { d: v };
  return v;
}

/** Links made with fresh containers around `v`: cycles of one and two steps, or mere sharing. */
type Link = "self-object" | "self-array" | "two-step" | "deep-self" | "shared" | "shared-deep";
function link(how: Link, v: unknown): unknown {
  switch (how) {
    case "self-object": {
      const o: Record<string, unknown> = { v };
      o.self = o;
      return o;
    }
    case "self-array": {
      const a: unknown[] = [v];
      a.push(a);
      return a;
    }
    case "two-step": {
      const o: Record<string, unknown> = { v };
      const a = [o];
      o.back = a;
      return a;
    }
    case "deep-self": {
      const o: Record<string, unknown> = {};
      o.x = { y: [v, { z: o }] };
      return o;
    }
    case "shared": {
      const s = { v };
      return [s, s, { again: s }];
    }
    case "shared-deep":
      return ((s) => ({ a: s, b: [s] }))(nest(60, 0x2aaaaaaa, v));
  }
}

/** Any value a map may hold: clean ones only, or hostile ones too (rarely, so some pass). */
function values(hostile: boolean): fc.Arbitrary<unknown> {
  const leaf = hostile
    ? fc.oneof({ weight: 12, arbitrary: cleanScalar }, { weight: 1, arbitrary: badScalar })
    : cleanScalar;
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthSize: "small", withCrossShrink: true },
      { weight: 30, arbitrary: leaf },
      { weight: 10, arbitrary: array(tie("value"), hostile) },
      { weight: 10, arbitrary: map(tie("value"), hostile) },
      // Nests whose innermost container sits on either side of the depth limit once placed.
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.integer({ min: 116, max: 126 }),
          fc.integer(),
          fc.oneof(leaf, fc.constant({}), fc.constant([])),
        ).map(([levels, mask, inner]) => nest(levels, mask, inner)),
      },
      {
        weight: hostile ? 1 : 0,
        arbitrary: fc.tuple(
          fc.constantFrom<Link>(
            "self-object",
            "self-array",
            "two-step",
            "deep-self",
            "shared",
            "shared-deep",
          ),
          tie("value"),
        ).map(([how, v]) => link(how, v)),
      },
      {
        weight: hostile ? 0 : 1,
        arbitrary: fc.tuple(fc.constantFrom<Link>("shared", "shared-deep"), tie("value"))
          .map(([how, v]) => link(how, v)),
      },
    ),
  }));
  return value;
}

/** An array of values; hostile ones may hold `undefined` or a hole (both refused). */
function array(item: fc.Arbitrary<unknown>, hostile: boolean): fc.Arbitrary<unknown> {
  return fc.tuple(
    fc.array(item, { maxLength: 4 }),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant("none") },
      { weight: hostile ? 1 : 0, arbitrary: fc.constantFrom("undefined", "hole", "subclass") },
    ),
  ).map(([items, twist]) => {
    const a = [...items];
    if (twist === "undefined") a.push(undefined);
    if (twist === "hole") a.length += 1;
    if (twist === "subclass") return Object.assign(new Rows(), a);
    return a;
  });
}

/** A plain (or null-prototype, or, hostile, not plain) object of values. */
function map(item: fc.Arbitrary<unknown>, hostile: boolean): fc.Arbitrary<unknown> {
  return fc.tuple(
    fc.uniqueArray(
      fc.tuple(
        mapKey(hostile),
        // An `undefined` member is no member, to both encoders and to JSON.stringify.
        fc.oneof({ weight: 8, arbitrary: item }, { weight: 1, arbitrary: fc.constant(undefined) }),
        kind(hostile),
      ),
      { selector: ([name]) => name, maxLength: 4 },
    ),
    proto(hostile),
    fc.boolean(),
  ).map(([entries, from, symbol]) => build(entries, from, symbol));
}

const cleanValue = values(false);
const hostileValue = values(true);

// ---- read answers -------------------------------------------------------------------------------

const typeName = (hostile: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("dcim.site", "dcim.device", ...POISON) },
    { weight: 4, arbitrary: cleanString.filter((s) => s.trim() !== "") },
    {
      weight: hostile ? 1 : 0,
      arbitrary: fc.oneof(
        fc.constantFrom("", " ", "\t\n\u2028", null, undefined, 7, ["dcim.site"]),
        anyString,
        foreign,
      ),
    },
  );

const backendId = (hostile: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.nat() },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
    { weight: 1, arbitrary: fc.constantFrom(0n, 2n ** 53n, 2n ** 64n - 1n) },
    { weight: 3, arbitrary: cleanString },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
    {
      weight: hostile ? 3 : 0,
      arbitrary: fc.oneof(
        fc.constantFrom(-1, 1.5, 2 ** 53, 2 ** 64, NaN, Infinity, -Infinity, true, {}, []),
        fc.constantFrom(-1n, 2n ** 64n, 2n ** 70n, -(2n ** 64n)),
        fc.integer({ max: -1 }),
        fc.double().filter((d) => !Number.isSafeInteger(d)),
        fc.bigInt().filter((b) => b < 0n || b >= 2n ** 64n),
        anyString,
        foreign,
      ),
    },
  );

/** A key or attrs map; hostile, sometimes something else (an array, null, a Date, a string). */
const openMap = (hostile: boolean) =>
  fc.oneof(
    { weight: 8, arbitrary: map(hostile ? hostileValue : cleanValue, hostile) },
    {
      weight: hostile ? 1 : 0,
      arbitrary: fc.oneof(
        fc.constantFrom(null, undefined, "key", 1, [], [["site", "fra1"]]),
        foreign,
      ),
    },
  );

/** Property definitions in wire order, or in any order, as `shuffle` and its ranks say. */
function ordered(entries: Entry[], shuffle: boolean, ranks: readonly number[]): Entry[] {
  if (!shuffle) return entries;
  return entries.map((e, i) => [e, ranks[i % ranks.length] ?? 0] as const)
    .sort((a, b) => a[1] - b[1]).map(([e]) => e);
}

/** Mostly none, sometimes one or two: a list of entries that breaks its owner when present. */
const rarely = <T>(entry: fc.Arbitrary<T>, { maxLength }: { maxLength: number }) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant<T[]>([]) },
    { weight: 1, arbitrary: fc.array(entry, { minLength: 1, maxLength }) },
  );

const ABSENT = Symbol("absent");
const present = <T>(arb: fc.Arbitrary<T>, freq: number) =>
  fc.oneof({ weight: freq, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(ABSENT) });

/** Keys a read object or an apply report must not hold, misspellings of its own among them. */
const extraKey = (misspelt: readonly string[]) =>
  fc.oneof(fc.constantFrom(...misspelt, ...POISON, "", "uid"), anyString);

function readObject(hostile: boolean): fc.Arbitrary<unknown> {
  return fc.record({
    type_name: hostile ? present(typeName(true), 12) : typeName(false),
    key: hostile ? present(openMap(true), 12) : openMap(false),
    attrs: present(fc.oneof(openMap(hostile), fc.constant(undefined)), 2),
    backend_id: present(backendId(hostile), 3),
    extras: hostile
      ? rarely(
        fc.tuple(
          extraKey(["atrs", "typeName", "backendId", "Key", "type_name ", "backend_id\u0000"]),
          hostileValue,
          kind(true),
        ),
        { maxLength: 2 },
      )
      : fc.constant([]),
    kinds: fc.array(kind(hostile), { minLength: 4, maxLength: 4 }),
    shuffle: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
    ranks: fc.array(fc.integer(), { minLength: 6, maxLength: 6 }),
    from: proto(hostile),
  }).map(({ extras, kinds, shuffle, ranks, from, ...fields }) => {
    const entries: Entry[] = [];
    (["type_name", "key", "attrs", "backend_id"] as const).forEach((name, i) => {
      if (fields[name] !== ABSENT) entries.push([name, fields[name], kinds[i]!]);
    });
    return build(ordered([...entries, ...extras], shuffle, ranks), from);
  });
}

/** A read answer; hostile ones may not be an array, or hold a hole, or refer to themselves. */
function readAnswer(hostile: boolean): fc.Arbitrary<unknown> {
  const rows = fc.array(readObject(hostile), { maxLength: 5 });
  if (!hostile) return rows;
  return fc.oneof(
    { weight: 10, arbitrary: rows },
    {
      weight: 2,
      arbitrary: fc.tuple(
        rows,
        fc.constantFrom("hole", "undefined", "subclass", "self-in-attrs", "answer-in-key", "null"),
      ).map(([objects, twist]) => {
        const a: unknown[] = [...objects];
        switch (twist) {
          case "hole":
            a.length += 1;
            return a;
          case "undefined":
            return [...a, undefined];
          case "subclass":
            return Object.assign(new Rows(), a);
          case "self-in-attrs": {
            const o = { type_name: "dcim.site", key: {}, attrs: {} as Record<string, unknown> };
            o.attrs.me = o;
            return [...a, o];
          }
          case "answer-in-key":
            a.push({ type_name: "dcim.site", key: { all: a } });
            return a;
          case "null":
            return [...a, null];
        }
      }),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, undefined, {}, "[]"), foreign) },
  );
}

// ---- apply reports ------------------------------------------------------------------------------

/** A uid in one of the spellings the host accepts, or (hostile) a string or value it does not. */
const uid = (hostile: boolean) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(
        fc.oneof(fc.uuid(), fc.constant("00000000-0000-0000-0000-000000000000")),
        fc.constantFrom("hyphenated", "upper", "braced", "urn", "simple", "mixed"),
      ).map(([u, spelling]) => {
        switch (spelling) {
          case "hyphenated":
            return u;
          case "upper":
            return u.toUpperCase();
          case "braced":
            return `{${u}}`;
          case "urn":
            return `urn:uuid:${u}`;
          case "simple":
            return u.replaceAll("-", "");
          case "mixed":
            return [...u].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join("");
        }
      }),
    },
    {
      weight: hostile ? 1 : 0,
      arbitrary: fc.oneof(
        fc.tuple(
          fc.uuid(),
          fc.constantFrom(
            (u: string) => u.slice(1),
            (u: string) => `${u}0`,
            (u: string) => `g${u.slice(1)}`,
            (u: string) => `${u.slice(0, 35)}\ud800`,
            (u: string) => `{${u}`,
            (u: string) => `URN:UUID:${u}`,
            (u: string) => `urn:uuid:{${u}}`,
            (u: string) => u.replaceAll("-", "_"),
            (u: string) => ` ${u.slice(1)}`,
            (u: string) => `${u.slice(0, 35)}\uff10`,
          ),
        ).map(([u, spoil]) => spoil(u)),
        fc.constantFrom("", "7", null, undefined, 7, 7n),
        anyString,
        foreign,
      ),
    },
  );

function appliedOp(hostile: boolean): fc.Arbitrary<unknown> {
  return fc.record({
    uid: hostile ? present(uid(true), 12) : uid(false),
    type_name: hostile ? present(typeName(true), 12) : typeName(false),
    backend_id: present(backendId(hostile), 3),
    extras: hostile
      ? rarely(
        fc.tuple(
          extraKey(["UID", "typeName", "backendId", "key", "attrs"]),
          hostileValue,
          kind(true),
        ),
        { maxLength: 2 },
      )
      : fc.constant([]),
    kinds: fc.array(kind(hostile), { minLength: 3, maxLength: 3 }),
    shuffle: fc.boolean(),
    ranks: fc.array(fc.integer(), { minLength: 5, maxLength: 5 }),
    from: proto(hostile),
  }).map(({ extras, kinds, shuffle, ranks, from, ...fields }) => {
    const entries: Entry[] = [];
    (["uid", "type_name", "backend_id"] as const).forEach((name, i) => {
      if (fields[name] !== ABSENT) entries.push([name, fields[name], kinds[i]!]);
    });
    return build(ordered([...entries, ...extras], shuffle, ranks), from);
  });
}

function appliedList(hostile: boolean): fc.Arbitrary<unknown> {
  const list = fc.array(appliedOp(hostile), { maxLength: 4 });
  if (!hostile) return list;
  return fc.oneof(
    { weight: 8, arbitrary: list },
    {
      weight: 1,
      arbitrary: fc.tuple(list, fc.constantFrom("hole", "undefined", "subclass")).map(
        ([ops, twist]) => {
          const a: unknown[] = [...ops];
          if (twist === "hole") a.length += 1;
          if (twist === "undefined") a.push(undefined);
          return twist === "subclass" ? Object.assign(new Rows(), a) : a;
        },
      ),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, {}, "[]", 0), foreign) },
  );
}

const count = (hostile: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.nat() },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, null, undefined) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 80n }) },
    {
      weight: hostile ? 3 : 0,
      arbitrary: fc.oneof(
        fc.constantFrom(-1, 1.5, 2 ** 53, NaN, Infinity, "3", true, -1n, [], {}),
        fc.integer({ max: -1 }),
        fc.bigInt({ max: -1n }),
        foreign,
      ),
    },
  );

/** Provision lists, any category; hostile, with what a list of strings must not hold. */
function provision(hostile: boolean): fc.Arbitrary<unknown> {
  const item = hostile
    ? fc.oneof({ weight: 8, arbitrary: cleanString }, { weight: 1, arbitrary: anyString }, {
      weight: 1,
      arbitrary: fc.oneof(fc.constantFrom(null, undefined, 1, 1n, ["x"]), foreign),
    })
    : cleanString;
  const list = hostile
    ? fc.oneof(
      { weight: 8, arbitrary: array(item, false) },
      { weight: 1, arbitrary: array(item, true) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, "x", {}, 1), foreign) },
    )
    : fc.array(item, { maxLength: 3 });
  const report = fc.tuple(
    fc.uniqueArray(
      fc.tuple(
        fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...PROVISION_CATEGORIES) },
          {
            weight: hostile ? 1 : 0,
            arbitrary: extraKey(["created_field", "createdFields", "role"]),
          },
        ),
        fc.oneof({ weight: 6, arbitrary: list }, { weight: 1, arbitrary: fc.constant(undefined) }),
        kind(hostile),
      ),
      { selector: ([name]) => name, maxLength: 4 },
    ),
    proto(hostile),
  ).map(([entries, from]) => build(entries, from));
  if (!hostile) return report;
  return fc.oneof(
    { weight: 8, arbitrary: report },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, [], "x"), foreign) },
  );
}

function applyReport(hostile: boolean): fc.Arbitrary<unknown> {
  const rep = fc.record({
    applied: present(appliedList(hostile), 6),
    resumed: present(fc.oneof(appliedList(hostile), fc.constant(undefined)), 2),
    previously_applied_count: present(count(hostile), 2),
    provision: present(fc.oneof(provision(hostile), fc.constant(undefined)), 3),
    extras: hostile
      ? rarely(
        fc.tuple(
          extraKey(["apply", "resume", "previously_applied", "provisions", "role", "ok"]),
          hostileValue,
          kind(true),
        ),
        { maxLength: 2 },
      )
      : fc.constant([]),
    kinds: fc.array(kind(hostile), { minLength: 4, maxLength: 4 }),
    shuffle: fc.boolean(),
    ranks: fc.array(fc.integer(), { minLength: 6, maxLength: 6 }),
    from: proto(hostile),
  }).map(({ extras, kinds, shuffle, ranks, from, ...fields }) => {
    const entries: Entry[] = [];
    (["applied", "resumed", "previously_applied_count", "provision"] as const).forEach(
      (name, i) => {
        if (fields[name] !== ABSENT) entries.push([name, fields[name], kinds[i]!]);
      },
    );
    return build(ordered([...entries, ...extras], shuffle, ranks), from);
  });
  if (!hostile) return rep;
  return fc.oneof(
    { weight: 12, arbitrary: rep },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(null, undefined, [], "{}"), foreign) },
  );
}

// ---- a polluted prototype -----------------------------------------------------------------------

const pollution: fc.Arbitrary<Pollution> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      target: fc.constant("Object.prototype" as const),
      name: fc.constantFrom(
        "type_name",
        "key",
        "attrs",
        "backend_id",
        "uid",
        "applied",
        "resumed",
        "previously_applied_count",
        "provision",
        "created_tags",
        "lent",
      ),
      value: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(7, 0, "dev-1", null, true, 2n ** 60n, undefined) },
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 2, arbitrary: fc.constantFrom(NaN, Infinity, -1, 1.5, 2 ** 53, 2n ** 64n) },
        { weight: 1, arbitrary: foreign },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      target: fc.constant("Array.prototype" as const),
      name: fc.constantFrom("0", "1", "2", "3", "4"),
      value: fc.oneof(cleanScalar, badScalar),
    }),
  },
);

// ---- the tests ----------------------------------------------------------------------------------

/** Checks the property over `numRuns` results and that the runs reached both verdicts. */
function check(
  method: Method,
  results: fc.Arbitrary<unknown>,
  numRuns: number,
  withPollution = false,
): Tally {
  const seen = tally();
  const polluting = withPollution ? pollution : fc.constant(null);
  fc.assert(
    fc.property(results, polluting, (result, p) => agree(method, result, p, seen)),
    runs(numRuns),
  );
  return seen;
}

describe("the encoder's quick path agrees with the full encoder", () => {
  it("on read answers in the protocol's shape, nested on both sides of the depth limit", () => {
    const seen = check("read", readAnswer(false), 1500);
    assert.ok(seen.accepted > 1000, `only ${seen.accepted} accepted`);
  });

  it("on hostile read answers", () => {
    const seen = check("read", readAnswer(true), 3000);
    assert.ok(seen.accepted > 300, `only ${seen.accepted} accepted`);
    assert.ok(seen.refused > 1000, `only ${seen.refused} refused`);
  });

  it("on apply reports in the protocol's shape", () => {
    const seen = check("write", applyReport(false), 1500);
    assert.ok(seen.accepted > 1000, `only ${seen.accepted} accepted`);
  });

  it("on hostile apply reports", () => {
    const seen = check("write", applyReport(true), 3000);
    assert.ok(seen.accepted > 300, `only ${seen.accepted} accepted`);
    assert.ok(seen.refused > 1000, `only ${seen.refused} refused`);
  });

  it("with a polluted Object.prototype or Array.prototype", () => {
    const answers = fc.oneof(readAnswer(false), readAnswer(true));
    const reports = fc.oneof(applyReport(false), applyReport(true));
    const read = check("read", answers, 800, true);
    const write = check("write", reports, 800, true);
    assert.ok(read.accepted > 100 && write.accepted > 100, "too few accepted");
  });
});

describe("disagreements the agreement property found", () => {
  it("an own `attrs: undefined` is written as `attrs: {}` with every wire key in wire order", () => {
    // QuickCheck took such an object for its own wire form, and JSON.stringify dropped `attrs`.
    const row = { type_name: "dcim.site", key: { site: "fra1" }, attrs: undefined, backend_id: 7 };
    const text = '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":7}]';
    assert.equal(encodeFully("read", [row]), text);
    assert.equal(encodeQuickly("read", [row]), text);
    assert.equal(encodeResult("read", [row]), text);
  });

  it("a backend_id lent by a polluted Object.prototype is written, as the full encoder reads it", () => {
    // for-in visits an inherited enumerable `backend_id` after the own keys, so the object
    // counted as holding all four wire keys in order and was written without it.
    const text = '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":7}]';
    const rows = [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: {} }];
    const lent: Pollution = { target: "Object.prototype", name: "backend_id", value: 7 };
    const answers = polluted(lent, () => [
      encodeFully("read", rows),
      encodeQuickly("read", rows),
      encodeResult("read", rows),
    ]);
    assert.deepEqual(answers, [text, text, text]);
  });
});
