// The SDK's own JSON syntax errors: the same text on every engine (V8 and JavaScriptCore word
// them differently, and JavaScriptCore names neither the place nor the kind), and a verdict that
// agrees with the engine's parser on every text (fast-check, fixed seed).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseJson } from "../src/wire/json.ts";
import { describeSyntaxError } from "../src/wire/_json_syntax.ts";

const SEED = 20261203;

/** Valid JSON text with one character inserted, removed or replaced, often breaking it. */
const damagedJson = fc.tuple(
  fc.json({ maxDepth: 3 }),
  fc.nat(),
  fc.constantFrom("insert", "remove", "replace", "keep"),
  fc.constantFrom(..."{}[]:,\"\\ \n\t0123456789-+.eEtruefalsn/'\u0000\u0001\ufeffx".split("")),
).map(([text, at, how, c]) => {
  const i = text.length === 0 ? 0 : at % text.length;
  if (how === "insert") return text.slice(0, i) + c + text.slice(i);
  if (how === "remove") return text.slice(0, i) + text.slice(i + 1);
  if (how === "replace") return text.slice(0, i) + c + text.slice(i + 1);
  return text;
});

function engineAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("JSON syntax errors in the SDK's own words", () => {
  it("find an error exactly where the engine's parser refuses the text", () => {
    let refused = 0;
    fc.assert(
      fc.property(damagedJson, (text) => {
        const problem = describeSyntaxError(text);
        assert.equal(problem === undefined, engineAccepts(text), JSON.stringify(text));
        if (problem !== undefined) refused++;
      }),
      { seed: SEED, numRuns: 4000 },
    );
    assert.ok(refused > 1000, `only ${refused} of 4000 texts were broken`);
  });

  it("are what parseJson throws, on the exact path for wide integers too", () => {
    for (const text of ['{"id":18446744073709551615,}', '{"id":1}2', "[1,"]) {
      assert.throws(() => parseJson(text), {
        name: "SyntaxError",
        message: describeSyntaxError(text),
      });
    }
  });

  const cases: Array<[string, string]> = [
    ['{"a":1}{"b":2}', "unexpected '{' after the JSON document at line 1, column 8"],
    ['{"a":1}\n{"b":2}\n', "unexpected '{' after the JSON document at line 2, column 1"],
    ['{"a":', "the JSON text ends early at line 1, column 6: expected a JSON value"],
    ["tru", "the JSON text ends early at line 1, column 4: expected a JSON value"],
    ['{"a":tru}', "unexpected 't' at line 1, column 6: expected a JSON value"],
    ["{'a':1}", `unexpected "'" at line 1, column 2: expected a string member name`],
    ['{"a":1,}', "unexpected '}' at line 1, column 8: expected a string member name"],
    ['{"a" 1}', "unexpected '1' at line 1, column 6: expected ':'"],
    ["[1 2]", "unexpected '2' at line 1, column 4: expected ',' or ']'"],
    ['{"a":01}', "unexpected '1' at line 1, column 7: a number has no digit after a leading 0"],
    ["[1.]", "unexpected ']' at line 1, column 4: expected a digit after '.'"],
    ['"\\u12G4"', "unexpected 'G' at line 1, column 6: expected four hexadecimal digits after \\u"],
    ['"a\u0000b"', "unexpected character U+0000 at line 1, column 3: a string holds control"],
    ["\ufeff{}", "unexpected character U+FEFF at line 1, column 1: expected a JSON value"],
  ];
  for (const [text, message] of cases) {
    it(`name the place and the kind: ${JSON.stringify(text)}`, () => {
      assert.ok(
        describeSyntaxError(text)?.startsWith(message),
        `${describeSyntaxError(text)} does not start with ${message}`,
      );
    });
  }

  it("survive nesting deeper than any engine's stack", () => {
    const text = "[".repeat(300_000) + "]".repeat(299_999);
    assert.equal(
      describeSyntaxError(text),
      "the JSON text ends early at line 1, column 600000: expected ',' or ']'",
    );
  });
});
