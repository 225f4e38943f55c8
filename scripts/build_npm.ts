/**
 * Builds the npm package in `npm/` from the Deno sources, doing what dnt does with the
 * TypeScript compiler API (dnt itself is not installable here):
 *
 * - `npm/esm/` (ES modules) and `npm/script/` (CommonJS), each with `.d.ts` files beside the JS
 *   and its own `package.json` stating the module type;
 * - both programs type-checked, any diagnostic failing the build (this is what catches
 *   `import.meta` or top-level await in library code, which CommonJS cannot hold);
 * - relative `.ts` specifiers rewritten to `.js`, in the JS and in the declarations;
 * - the ES-module entry points bundled (esbuild, code split so the three entry points share one
 *   copy of every class): Node's ES-module loader pays per module, and an adapter process loads
 *   the SDK on every request. The per-module JS stays beside it for the compiled tests, out of
 *   the tarball; the declarations stay per module;
 * - the tests and examples compiled too, so the same test files run under `node --test`
 *   against the built files (they are kept out of the published tarball), with the npm packages
 *   only the tests import (fast-check) copied from Deno's cache into `npm/node_modules/`, which
 *   the tarball never holds and the package's `dependencies` never name;
 * - in the CommonJS build of the tests and examples (never the library), `import.meta` written
 *   as what it means there (`{ url, main }` from `__filename` and `require.main`), so that an
 *   example can start itself with `run(adapter, { ifMain: import.meta })` in both builds;
 * - a root `package.json` with an `exports` map, README and LICENSE copied.
 *
 * Usage: `deno task build:npm [version]` (the version defaults to deno.json's).
 *
 * @module
 */

import ts from "typescript";
// Node's types for the tests and examples (node:test, node:fs, …), and the packages they
// import. Importing them here pins them in deno.lock and lets import.meta.resolve find them.
import "node-types/package.json" with { type: "json" };
import "undici-types/package.json" with { type: "json" };
import "fast-check/package.json" with { type: "json" };
import "zod/package.json" with { type: "json" };
// valibot exports no package.json: importing its module caches it as well.
import "valibot";
import denoJson from "../deno.json" with { type: "json" };

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const OUT = `${ROOT}/npm`;
const NAME = "alembic-adapter-sdk";

/** The package's entry points, as deno.json exports them: subpath → root file (without `.ts`). */
const ENTRY_POINTS: Record<string, string> = Object.fromEntries(
  Object.entries(denoJson.exports).map(([subpath, file]) => [subpath, rootFile(file)]),
);

/** Command-line programs: bin name → entry point file (without `.ts`). */
const BINS: Record<string, string> = {
  "alembic-adapter-conformance": "conformance",
  // `npx alembic-adapter-sdk init <dir>`: npx runs the bin named like the package.
  "alembic-adapter-sdk": "init",
};

/** An export's file as the build names it: `./mod.ts` → `mod`. Only root files are entries. */
function rootFile(path: string): string {
  const match = /^\.\/([a-z_]+)\.ts$/.exec(path);
  if (match === null) throw new Error(`deno.json export ${path} is not a .ts file at the root`);
  return match[1]!;
}

/** Folders compiled besides the library, then run or spawned by the Node test run. */
const SOURCE_DIRS = ["src", "tests", "examples"];

/** Data the compiled tests read at run time, relative to the package root (their cwd). */
const TEST_DATA = ["tests/fixtures", "tests/cases", "tests/hostile", "examples/requests"];

/** The bundler for the ES-module entry points, run through npx as the package checks run theirs. */
const ESBUILD = "esbuild@0.28.2";

/** npm packages the tests import (import-map names); the library itself imports none. */
const TEST_PACKAGES = ["fast-check", "zod", "valibot"];

function log(message: string): void {
  console.error(`[build_npm] ${message}`);
}

async function main(): Promise<void> {
  const version = Deno.args[0] ?? denoJson.version;
  log(`building ${NAME}@${version} with TypeScript ${ts.version}`);
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  await Deno.mkdir(OUT, { recursive: true });

  const entries = Object.values(ENTRY_POINTS).map((file) => `${ROOT}/${file}.ts`);
  const roots = [...entries, ...SOURCE_DIRS.flatMap((dir) => walkTs(`${ROOT}/${dir}`))];
  const library = new Set([...entries, ...walkTs(`${ROOT}/src`)]);
  installTestPackages();

  compile("esm", roots, library, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  compile("script", roots, library, {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
  });
  await bundleEsm(Object.values(ENTRY_POINTS));
  for (const file of Object.values(BINS)) {
    for (const flavour of ["esm", "script"]) {
      const path = `${OUT}/${flavour}/${file}.js`;
      await Deno.writeTextFile(path, `#!/usr/bin/env node\n${await Deno.readTextFile(path)}`);
      await Deno.chmod(path, 0o755);
    }
  }
  // node10 resolution ignores `exports`: a folder per subpath lets it find `pkg/testing` too.
  for (const [subpath, file] of Object.entries(ENTRY_POINTS)) {
    if (subpath === ".") continue;
    await Deno.mkdir(`${OUT}/${subpath}`);
    await writeJson(`${OUT}/${subpath}/package.json`, {
      main: `../script/${file}.js`,
      types: `../script/${file}.d.ts`,
    });
  }
  await writeJson(`${OUT}/esm/package.json`, { type: "module" });
  await writeJson(`${OUT}/script/package.json`, { type: "commonjs" });
  await writeJson(`${OUT}/package.json`, packageJson(version));
  for (const file of ["README.md", "LICENSE"]) {
    await Deno.copyFile(`${ROOT}/${file}`, `${OUT}/${file}`);
  }
  for (const dir of TEST_DATA) copyDir(`${ROOT}/${dir}`, `${OUT}/${dir}`);
  log(`wrote ${OUT}`);
}

/**
 * Replaces the ES-module entry points by bundles that import shared chunks from `esm/_chunks/`.
 * The per-module files under `esm/src/` are left for the tests; CommonJS stays per module,
 * since Node's CommonJS loader costs little per module.
 *
 * esbuild puts each module in the chunk of the set of entry points that reach it, and the
 * entry points reach `mod.js`'s graph in a dozen different subsets: `mod.js` loaded 16 chunks,
 * and Node's ES-module loader pays about 0.5 ms for each (the empty round trip was 1.27x of the
 * floor against 1.03x for one file). So every other entry point is bundled through a stub that
 * also imports `mod.js`: the whole root graph is then reached by every entry point and lands in
 * one chunk. Loading `testing.js` evaluates the root's modules too; it imported most of them.
 */
async function bundleEsm(files: string[]): Promise<void> {
  const stubs: string[] = [];
  for (const file of files) {
    if (file === "mod") continue;
    const stub = `${OUT}/esm/_entry_${file}.js`;
    await Deno.writeTextFile(stub, `import "./mod.js";\nexport * from "./${file}.js";\n`);
    stubs.push(stub);
  }
  const output = await new Deno.Command("npx", {
    args: [
      "-y",
      ESBUILD,
      ...files.map((file) =>
        file === "mod" ? `mod=${OUT}/esm/mod.js` : `${file}=${OUT}/esm/_entry_${file}.js`
      ),
      "--bundle",
      "--splitting",
      "--format=esm",
      "--platform=node",
      "--target=es2022",
      `--outdir=${OUT}/esm`,
      "--allow-overwrite",
      "--chunk-names=_chunks/[name]-[hash]",
      "--log-level=warning",
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  for (const stub of stubs) await Deno.remove(stub);
  if (!output.success) throw new Error(`${ESBUILD} could not bundle the ES-module entry points`);
  log(`esm: bundled ${files.join(", ")}`);
}

function compile(
  flavour: "esm" | "script",
  roots: string[],
  library: Set<string>,
  moduleOptions: ts.CompilerOptions,
): void {
  const options: ts.CompilerOptions = {
    ...moduleOptions,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts", "lib.es2024.string.d.ts"],
    types: [],
    strict: true,
    // As deno.json sets them for `deno check`, so both compilers hold the code to one rule.
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    declaration: true,
    isolatedModules: true,
    // A local stand-in for JSR's "no slow types" rule, applied to the library only (below).
    isolatedDeclarations: true,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    resolveJsonModule: false,
    rootDir: ROOT,
    outDir: `${OUT}/${flavour}`,
    newLine: ts.NewLineKind.LineFeed,
    // The checks before and after emit fail the build on any diagnostic kept; emitting anyway
    // lets the CommonJS tests' `import.meta` (an error there, rewritten on emit) through.
    noEmitOnError: flavour === "esm",
  };
  const nodeTypesDir = packageDir("node-types/package.json");
  const host = ts.createCompilerHost(options);
  // @types/node imports undici-types, which Deno's npm cache does not lay out as node_modules.
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts) =>
    literals.map((literal) => {
      const resolved = ts.resolveModuleName(
        literal.text,
        containingFile,
        opts,
        host,
        undefined,
        redirected,
      );
      if (resolved.resolvedModule) return resolved;
      if (TEST_PACKAGES.includes(literal.text)) {
        // Resolved as the compiled tests will resolve it under Node: from npm/node_modules.
        return ts.resolveModuleName(
          literal.text,
          `${OUT}/${flavour}/tests/importer.ts`,
          opts,
          host,
          undefined,
          redirected,
        );
      }
      if (literal.text !== "undici-types") return resolved;
      const dir = packageDir("undici-types/package.json");
      return {
        resolvedModule: {
          resolvedFileName: `${dir}/index.d.ts`,
          extension: ts.Extension.Dts,
          isExternalLibraryImport: true,
        },
      };
    });
  const program = ts.createProgram({
    rootNames: [...roots, `${nodeTypesDir}/index.d.ts`],
    options,
    host,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) =>
    keep(d, library) && !(flavour === "script" && importMetaInCommonJs(d, library))
  );
  if (diagnostics.length > 0) fail(flavour, diagnostics, host);
  const result = program.emit(undefined, undefined, undefined, undefined, {
    before: flavour === "script" ? [importMetaForCommonJs(library)] : [],
    afterDeclarations: [rewriteDeclarationSpecifiers],
  });
  const emitted = result.diagnostics.filter((d) =>
    keep(d, library) && !(flavour === "script" && importMetaInCommonJs(d, library))
  );

  if (emitted.length > 0 || result.emitSkipped) fail(flavour, emitted, host);
  log(`${flavour}: compiled ${roots.length} files`);
}

/** isolatedDeclarations diagnostics (TS9005–TS9039) count for library files only. */
function keep(diagnostic: ts.Diagnostic, library: Set<string>): boolean {
  const isolated = diagnostic.code >= 9005 && diagnostic.code <= 9039;
  return !isolated || (diagnostic.file !== undefined && library.has(diagnostic.file.fileName));
}

/**
 * TS1343/TS1470 ("import.meta is not allowed in CommonJS output") in a test or an example, which
 * {@link importMetaForCommonJs} rewrites; in the library they stay errors.
 */
function importMetaInCommonJs(diagnostic: ts.Diagnostic, library: Set<string>): boolean {
  return (diagnostic.code === 1343 || diagnostic.code === 1470) &&
    diagnostic.file !== undefined && !library.has(diagnostic.file.fileName);
}

/**
 * Rewrites `import.meta` outside the library, for CommonJS, as
 * `{ url: <this file's URL>, main: require.main === module }`: what it means in an ES module.
 */
function importMetaForCommonJs(
  library: Set<string>,
): (context: ts.TransformationContext) => (file: ts.SourceFile) => ts.SourceFile {
  return (context) => (file) => {
    if (library.has(file.fileName)) return file;
    const f = context.factory;
    const replacement = () =>
      f.createParenthesizedExpression(f.createObjectLiteralExpression([
        f.createPropertyAssignment(
          "url",
          f.createPropertyAccessExpression(
            f.createCallExpression(
              f.createPropertyAccessExpression(
                f.createCallExpression(f.createIdentifier("require"), undefined, [
                  f.createStringLiteral("node:url"),
                ]),
                "pathToFileURL",
              ),
              undefined,
              [f.createIdentifier("__filename")],
            ),
            "href",
          ),
        ),
        f.createPropertyAssignment(
          "main",
          f.createStrictEquality(
            f.createPropertyAccessExpression(f.createIdentifier("require"), "main"),
            f.createIdentifier("module"),
          ),
        ),
      ]));
    const visit = (node: ts.Node): ts.Node =>
      ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword
        ? replacement()
        : ts.visitEachChild(node, visit, context);
    return ts.visitEachChild(file, visit, context);
  };
}

function fail(
  flavour: string,
  diagnostics: readonly ts.Diagnostic[],
  host: ts.CompilerHost,
): never {
  console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  log(`${flavour}: ${diagnostics.length} diagnostic(s); nothing was built`);
  Deno.exit(1);
}

/**
 * Declarations keep `./x.ts` specifiers even with rewriteRelativeImportExtensions (TypeScript
 * treats that as intended), and consumers on older TypeScript reject them: rewrite to `.js`.
 */
function rewriteDeclarationSpecifiers(
  context: ts.TransformationContext,
): (node: ts.SourceFile | ts.Bundle) => ts.SourceFile | ts.Bundle {
  const f = context.factory;
  const js = (literal: ts.StringLiteral) =>
    f.createStringLiteral(literal.text.replace(/\.ts$/, ".js"));
  const relativeTs = (node: ts.Node | undefined): node is ts.StringLiteral =>
    node !== undefined && ts.isStringLiteral(node) && /^\.\.?\//.test(node.text) &&
    node.text.endsWith(".ts");
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isImportDeclaration(node) && relativeTs(node.moduleSpecifier)) {
      return f.updateImportDeclaration(
        node,
        node.modifiers,
        node.importClause,
        js(node.moduleSpecifier),
        node.attributes,
      );
    }
    if (ts.isExportDeclaration(node) && relativeTs(node.moduleSpecifier)) {
      return f.updateExportDeclaration(
        node,
        node.modifiers,
        node.isTypeOnly,
        node.exportClause,
        js(node.moduleSpecifier),
        node.attributes,
      );
    }
    if (
      ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) &&
      relativeTs(node.argument.literal)
    ) {
      return f.updateImportTypeNode(
        node,
        f.createLiteralTypeNode(js(node.argument.literal)),
        node.attributes,
        node.qualifier,
        node.typeArguments,
        node.isTypeOf,
      );
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (node) => ts.isSourceFile(node) ? ts.visitEachChild(node, visit, context) : node;
}

function packageJson(version: string): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  for (const [subpath, file] of Object.entries(ENTRY_POINTS)) {
    exports[subpath] = {
      import: { types: `./esm/${file}.d.ts`, default: `./esm/${file}.js` },
      require: { types: `./script/${file}.d.ts`, default: `./script/${file}.js` },
    };
  }
  return {
    name: NAME,
    version,
    description:
      "Write alembic external adapters in TypeScript: the typed protocol IR, a strict codec and run(), for Node, Deno and Bun.",
    keywords: ["alembic", "network-inventory", "adapter", "netbox", "nautobot"],
    license: denoJson.license,
    type: "module",
    main: "./script/mod.js",
    module: "./esm/mod.js",
    types: "./script/mod.d.ts",
    exports,
    bin: Object.fromEntries(
      Object.entries(BINS).map(([name, file]) => [name, `./esm/${file}.js`]),
    ),
    files: [
      "esm",
      "script",
      "!esm/tests",
      "!script/tests",
      "!esm/src/**/*.js",
      "!esm/examples",
      "!script/examples",
      ...Object.keys(ENTRY_POINTS).filter((p) => p !== ".").map((p) => p.slice(2)),
      "README.md",
      "LICENSE",
    ],
    // Importing a bin's module runs its command line; every other module only defines things.
    sideEffects: Object.values(BINS).flatMap((file) => [`./esm/${file}.js`, `./script/${file}.js`]),
    engines: { node: ">=20" },
    scripts: { test: "node --test esm/tests/ script/tests/" },
  };
}

/**
 * Copies each test package and its dependencies, at the versions deno.lock pins, from Deno's npm
 * cache into `npm/node_modules/`, where Node finds them from the compiled tests. Nothing is
 * fetched: `import "fast-check/package.json"` above made Deno cache the whole tree.
 */
function installTestPackages(): void {
  const lock = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.lock`)) as {
    npm: Record<string, { dependencies?: string[] }>;
  };
  const imports = denoJson.imports as Record<string, string>;
  const registry = new URL("../..", `file://${packageDir("fast-check/package.json")}/`)
    .pathname.replace(/\/$/, "");
  const pinned = (name: string): string => {
    const ids = Object.keys(lock.npm).filter((id) => id.slice(0, id.lastIndexOf("@")) === name);
    if (ids.length !== 1) throw new Error(`deno.lock pins ${ids.length} versions of ${name}`);
    return ids[0]!;
  };
  const queue = TEST_PACKAGES.map((name) => {
    const spec = imports[name];
    if (spec === undefined) throw new Error(`deno.json imports no ${name}`);
    return spec.replace(/^npm:/, "");
  });
  const copied = new Set<string>();
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (copied.has(id)) continue;
    copied.add(id);
    const at = id.lastIndexOf("@");
    const [name, version] = [id.slice(0, at), id.slice(at + 1)];
    copyDir(`${registry}/${name}/${version}`, `${OUT}/node_modules/${name}`);
    for (const dep of lock.npm[id]?.dependencies ?? []) {
      queue.push(dep.lastIndexOf("@") > 0 ? dep : pinned(dep));
    }
  }
  log(`test packages in npm/node_modules: ${[...copied].sort().join(", ")}`);
}

function walkTs(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...walkTs(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

function copyDir(from: string, to: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const entry of Deno.readDirSync(from)) {
    if (entry.isDirectory) copyDir(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else Deno.copyFileSync(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

function packageDir(specifier: string): string {
  return new URL(".", import.meta.resolve(specifier)).pathname.replace(/\/$/, "");
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

await main();
