// The folder layout is the architecture (docs/architecture.md): each folder of src/ is one
// layer, and this test reads the module graph and fails when a module imports a layer it must
// not, reaches a folder's private (`_`-prefixed) module from outside, or touches the runtime's
// globals outside the runtime shim. Under Deno it reads the TypeScript sources (type imports
// included); under Node, the compiled CommonJS files of the package (what actually loads).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { filesUnder } from "./support/files.ts";

/** Which layers each layer may import; a layer always may import itself. */
const ALLOWED: Record<string, readonly string[]> = {
  runtime: [],
  wire: [],
  setup: ["wire"],
  identity: ["wire"],
  value_space: ["wire", "identity"],
  handler: ["wire", "identity", "setup"],
  about: ["handler", "setup", "wire"],
  run: ["runtime", "handler", "about", "wire"],
  testing: ["wire", "identity", "handler"],
  conformance: ["wire", "identity", "value_space", "testing"],
  apply: ["wire", "identity"],
  // The scaffold builds its sample requests with the testing builders; SDK_VERSION from about.
  init: ["testing", "wire", "identity", "about"],
  "entry mod": ["run", "runtime", "handler", "about", "setup", "wire", "identity"],
  "entry codec": ["handler", "setup", "wire"],
  "entry checks": ["value_space", "wire"],
  "entry testing": ["testing", "conformance"],
  "entry conformance": ["conformance", "runtime"],
  "entry apply": ["apply"],
  "entry init": ["init", "runtime"],
};

/** `table` with its keys and each list in order, so that two tables compare as sets. */
function sorted(table: Record<string, readonly string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(table).sort(([a], [b]) => a.localeCompare(b)).map((
      [k, v],
    ) => [k, [...v].sort()]),
  );
}

/**
 * The layers that may import Node's built-in modules (`node:fs` and the like, which Deno, Node
 * and Bun all provide): the ones whose work is files, hashes or child processes.
 */
const NODE_BUILTINS: readonly string[] = ["apply", "testing", "conformance", "init"];

/** The layer of a module, by its path relative to the package root (extension dropped). */
function layerOf(path: string): string | undefined {
  const root = /^(mod|codec|checks|testing|conformance|apply|init)$/.exec(path);
  if (root !== null) return `entry ${root[1]}`;
  if (path === "src/runtime") return "runtime";
  if (path === "src/run") return "run";
  if (path === "src/adapter" || path === "src/respond") return "handler";
  const folder = /^src\/([a-z_]+)\//.exec(path);
  return folder === null ? undefined : folder[1];
}

/** One import edge of the graph: `from` imports `to` (both relative to the package root). */
interface Edge {
  from: string;
  to: string;
}

/** Every rule an edge breaks, as a sentence naming it. */
function violations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  for (const { from, to } of edges) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === undefined || b === undefined) {
      out.push(`${from} imports ${to}, which is in no layer`);
      continue;
    }
    if (a !== b && !(ALLOWED[a] ?? []).includes(b)) {
      out.push(`${from} (${a}) imports ${to} (${b}), which ${a} must not reach`);
    }
    const privateFile = /^(.*)\/_[^/]+$/.exec(to);
    if (privateFile !== null && !from.startsWith(`${privateFile[1]}/`)) {
      out.push(`${from} imports ${to}, which is private to ${privateFile[1]}/`);
    }
  }
  return out;
}

/** Source text with comments removed, so doc examples' imports do not count as edges. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/**
 * A module's code as the rules read it: comments removed and, in the init layer, the text of
 * template literals blanked. Those are the generated project's files, whose imports and
 * `Deno.test` calls are data to the module, not its own edges; the code in their `${…}` stays.
 */
function scanned(path: string, text: string): string {
  const plain = code(text);
  return layerOf(path) === "init" ? withoutTemplateText(plain) : plain;
}

/**
 * Blanks the text of every template literal, keeping its substitutions' code and the line
 * breaks. A small lexer of quotes and backticks: it does not know regular expressions, which the
 * init layer keeps free of quotes and backticks.
 */
function withoutTemplateText(src: string): string {
  let out = "";
  // For each open `${`, the brace depth its code started at.
  const open: number[] = [];
  let depth = 0;
  let inTemplate = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inTemplate) {
      if (ch === "\\") i++;
      else if (ch === "`") {
        inTemplate = false;
        out += ch;
      } else if (ch === "$" && src[i + 1] === "{") {
        inTemplate = false;
        open.push(depth++);
        out += "${";
        i++;
      } else if (ch === "\n") out += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let end = i + 1;
      while (end < src.length && src[end] !== ch && src[end] !== "\n") {
        end += src[end] === "\\" ? 2 : 1;
      }
      out += src.slice(i, end + 1);
      i = end;
      continue;
    }
    if (ch === "`") inTemplate = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === open.at(-1)) {
      open.pop();
      inTemplate = true;
    }
    out += ch;
  }
  return out;
}

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|(?:import|require)\(\s*["']([^"']+)["']\s*\)/gm;

/**
 * The package's modules (the sources under Deno, the compiled CommonJS under Node), their import
 * edges within the package, and their imports of Node's built-in modules (`to` is `node:…`).
 */
function graph(): { modules: Map<string, string>; edges: Edge[]; builtins: Edge[] } {
  const compiled = !existsSync("src/runtime.ts");
  const base = compiled ? "script/" : "";
  const ext = compiled ? ".js" : ".ts";
  const modules = new Map<string, string>();
  for (const file of filesUnder(`${base}src`, ext)) {
    modules.set(file.slice(base.length, -ext.length), readFileSync(file, "utf8"));
  }
  for (const root of ["mod", "codec", "checks", "testing", "conformance", "apply", "init"]) {
    modules.set(root, readFileSync(`${base}${root}${ext}`, "utf8"));
  }
  const edges: Edge[] = [];
  const builtins: Edge[] = [];
  for (const [from, text] of modules) {
    for (const m of scanned(from, text).matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec?.startsWith("node:")) builtins.push({ from, to: spec });
      if (spec === undefined || !spec.startsWith(".")) continue;
      const parts = from.split("/").slice(0, -1);
      for (const part of spec.replace(/\.(ts|js)$/, "").split("/")) {
        if (part === "..") parts.pop();
        else if (part !== ".") parts.push(part);
      }
      edges.push({ from, to: parts.join("/") });
    }
  }
  return { modules, edges, builtins };
}

describe("the module graph keeps its layers", () => {
  const { modules, edges, builtins } = graph();

  it("every module is in a layer, and imports only the layers its layer may reach", () => {
    assert.ok(edges.length > 50, `read ${edges.length} imports: the graph was not found`);
    assert.deepEqual(violations(edges), []);
  });

  it("only the layers that work with files, hashes or processes import Node's built-in modules", () => {
    assert.ok(builtins.length > 3, `read ${builtins.length} imports of Node's built-in modules`);
    const outside = builtins.filter((e) => !NODE_BUILTINS.includes(layerOf(e.from) ?? ""));
    assert.deepEqual(outside.map((e) => `${e.from} imports ${e.to}`), []);
  });

  it("only the runtime shim touches Deno, process or Bun", () => {
    const touching = [...modules].filter(([path, text]) =>
      path !== "src/runtime" &&
      /\bDeno\.|globalThis\.(Deno|process|Bun)\b|(?<![.\w])process\.(argv|exit|exitCode|stdout|stdin|stderr|env|on)\b|["']node:process["']|\bBun\./
        .test(scanned(path, text))
    ).map(([path]) => path);
    assert.deepEqual(touching, []);
  });

  it("the root entry does not load the checks, the testing tools, the conformance runner or the journaled apply", () => {
    const reached = new Set<string>();
    const visit = (path: string): void => {
      if (reached.has(path)) return;
      reached.add(path);
      for (const e of edges) if (e.from === path) visit(e.to);
    };
    visit("mod");
    const layers = new Set([...reached].map(layerOf));
    // apply loads node:fs, which an adapter that does not journal has no use for at start-up.
    for (const layer of ["value_space", "testing", "conformance", "apply", "init"]) {
      assert.ok(!layers.has(layer), `mod reaches ${layer}`);
    }
  });

  it("reads the init layer's templates as data, and the code around and inside them as code", () => {
    const source = [
      'const t = `import { adapter } from "../adapter.ts";',
      'Deno.test(${name("}")}) ${`nested ${Deno.args}`}`;',
      "process.exit(1);",
    ].join("\n");
    const read = scanned("src/init/x", source);
    assert.ok(!read.includes("../adapter.ts") && !read.includes("Deno.test"), read);
    assert.ok(read.includes("Deno.args") && read.includes("process.exit(1)"), read);
    assert.equal(read.split("\n").length, 3);
    assert.equal(scanned("src/wire/x", source), source, "other layers are read whole");
    assert.ok(
      edges.some((e) => e.from.startsWith("src/init/")),
      "the init layer's edges were read",
    );
  });

  // The table and the picture in docs/architecture.md are how a contributor learns the rules,
  // so they must say what ALLOWED says. The docs are not in the npm package: sources only.
  it("docs/architecture.md's layer table and picture allow what ALLOWED allows", {
    skip: !existsSync("docs/architecture.md") && "the docs are read from the sources only",
  }, () => {
    const table: Record<string, string[]> = {};
    const doc = readFileSync("docs/architecture.md", "utf8");
    const start = doc.indexOf("\n| layer ", doc.indexOf("## Layers"));
    const section = doc.slice(start, doc.indexOf("\n\n", start));
    for (const row of section.split("\n").filter((l) => l.startsWith("| "))) {
      const cells = row.split("|").slice(1, -1).map((c) => c.trim());
      const layer = cells[0]!.replace(" ", "_");
      if (layer === "layer" || layer === "root_entries" || cells[0]!.startsWith("-")) continue;
      const may = cells.at(-1)!;
      table[layer] = may.startsWith("nothing")
        ? []
        : may.split(", ").map((l) => l.replace(" ", "_"));
    }
    const inner = Object.fromEntries(
      Object.entries(ALLOWED).filter(([layer]) => !layer.startsWith("entry ")),
    );
    assert.deepEqual(sorted(table), sorted(inner));

    const picture: Record<string, string[]> = {};
    const dot = readFileSync("docs/architecture.dot", "utf8");
    for (const [, from, to] of dot.matchAll(/^\s*(\w+) -> \{ ([\w ]+) \};$/gm)) {
      // Both groups are not optional: a match has them.
      picture[from!.replace(/^e_/, "entry ")] = to!.split(" ");
    }
    // A layer that may import nothing has no arrow to draw.
    const drawn = Object.fromEntries(Object.entries(ALLOWED).filter(([, may]) => may.length > 0));
    assert.deepEqual(sorted(picture), sorted(drawn));
  });

  it("names each kind of forbidden edge", () => {
    assert.deepEqual(
      violations([
        { from: "src/wire/json", to: "src/runtime" },
        { from: "src/respond", to: "src/runtime" },
        { from: "src/testing/spawn", to: "src/conformance/judge" },
        { from: "src/identity/refs", to: "src/wire/_shapes" },
        { from: "src/wire/encode", to: "src/wire/_shapes" },
        { from: "src/stray", to: "src/wire/json" },
      ]),
      [
        "src/wire/json (wire) imports src/runtime (runtime), which wire must not reach",
        "src/respond (handler) imports src/runtime (runtime), which handler must not reach",
        "src/testing/spawn (testing) imports src/conformance/judge (conformance), which testing must not reach",
        "src/identity/refs imports src/wire/_shapes, which is private to src/wire/",
        "src/stray imports src/wire/json, which is in no layer",
      ],
    );
  });
});
