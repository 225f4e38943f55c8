// Every doc example runs in the gate (`deno test --doc`), and an example that shows a value must
// assert it, or a wrong value would pass: this test finds examples that show one in a comment
// instead (`f(x); // "y"`, `// => 3`, `// ops: []`). Sources only: the npm package has none.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { filesUnder } from "./support/files.ts";

/** A comment that states a result: a literal, an arrow, or `name: value`. */
const SHOWN = /\/\/\s*(=>|→|["'`[{]|-?\d|true\b|false\b|null\b|undefined\b|[\w.]+: )/;

/** The lines of code blocks, JSDoc's and the README's, that show a value in a comment. */
function shownValues(path: string, text: string): string[] {
  const out: string[] = [];
  const blocks = path.endsWith(".md")
    ? [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)]
    : [...text.matchAll(/^\s*\* ```ts\n([\s\S]*?)^\s*\* ```/gm)];
  for (const block of blocks) {
    for (const line of block[1]!.split("\n")) {
      const code = line.replace(/^\s*\* ?/, "");
      if (SHOWN.test(code)) out.push(`${path}: ${code.trim()}`);
    }
  }
  return out;
}

function sources(): string[] {
  return [
    "README.md",
    ...readdirSync(".").filter((f) => f.endsWith(".ts")),
    ...filesUnder("src", ".ts"),
  ];
}

describe("doc examples", () => {
  it("assert the values they show instead of showing them in comments", {
    skip: !existsSync("src/run.ts") && "the sources are not in the npm package",
  }, () => {
    const files = sources();
    assert.ok(files.length > 50, `read ${files.length} files: the sources were not found`);
    const shown = files.flatMap((path) => shownValues(path, readFileSync(path, "utf8")));
    assert.deepEqual(shown, []);
  });

  it("finds each way a comment shows a value", () => {
    const example = [
      "/**",
      " * @example",
      " * ```ts",
      " * canonicalJson({ b: 1 }); // '{\"b\":1}'",
      " * // [1, 2]",
      " * // => 3",
      " * // ops: [], plan: 64 hex digits",
      " * // the site the device is in",
      " * ```",
      " */",
    ].join("\n");
    assert.deepEqual(shownValues("x.ts", example), [
      "x.ts: canonicalJson({ b: 1 }); // '{\"b\":1}'",
      "x.ts: // [1, 2]",
      "x.ts: // => 3",
      "x.ts: // ops: [], plan: 64 hex digits",
    ]);
    assert.deepEqual(shownValues("x.md", "```ts\nf(); // 3\n```\n```ts ignore\ng(); // 4\n```\n"), [
      "x.md: f(); // 3",
    ]);
  });
});
