/**
 * The files of a generated Node project: `package.json` (the SDK and zod from npm, the scripts),
 * the adapter and its stand-in backend as ES modules with JSDoc types (checked by `tsc` through
 * `jsconfig.json`), the in-process test, the request script and the single-executable build.
 * Plain `.mjs` rather than `.ts`: it runs as written on every Node the SDK supports (Node 20
 * cannot strip types, Node 22 only from 22.18), so the tests, the conformance runner, the request
 * script and the SEA bundle all run the one file alembic runs, with no build step between.
 *
 * @module
 */

import { SDK_VERSION } from "../about/describe.ts";
import { SAMPLES_SOURCE } from "./samples.ts";
import { binaryName, jsonText, type ProjectFile, WRITE_LOOP } from "./shared.ts";

/** esbuild and postject as the SDK's own packaging check runs them. */
const ESBUILD = "esbuild@0.28.2";
const POSTJECT = "postject@1.0.0-alpha.6";

/**
 * The Node-only files of a project named `name`.
 *
 * @param name The project's name (already checked).
 * @returns The files.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeFiles } from "./node_project.ts";
 * const pkg = nodeFiles("my-adapter").find((f) => f.path === "package.json")!;
 * assert.equal(JSON.parse(pkg.text).type, "module");
 * ```
 */
export function nodeFiles(name: string): ProjectFile[] {
  return [
    { path: "package.json", text: packageJson(name) },
    { path: "jsconfig.json", text: JSCONFIG },
    { path: "adapter.mjs", text: adapterMjs(name) },
    { path: "backend.mjs", text: BACKEND_MJS },
    { path: "tests/adapter_test.mjs", text: TEST_MJS },
    { path: "scripts/request.mjs", text: REQUEST_MJS },
    { path: "scripts/sea_main.mjs", text: SEA_MAIN_MJS },
    { path: "scripts/build_sea.mjs", text: buildSeaMjs(name) },
  ];
}

function packageJson(name: string): string {
  return jsonText({
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    description: "An alembic external adapter.",
    engines: { node: ">=20" },
    scripts: {
      test: "node --test",
      typecheck: "tsc -p jsconfig.json",
      conformance:
        "alembic-adapter-conformance --cases tests/cases --write-checks -- node adapter.mjs",
      request: "node scripts/request.mjs",
      "build-sea": "node scripts/build_sea.mjs",
    },
    dependencies: {
      "alembic-adapter-sdk": `^${SDK_VERSION}`,
      zod: "^4.0.0",
    },
    devDependencies: {
      "@types/node": "^20.19.0",
      typescript: "^5.9.0",
    },
  });
}

const JSCONFIG = jsonText({
  compilerOptions: {
    checkJs: true,
    strict: true,
    noEmit: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    types: ["node"],
    skipLibCheck: true,
  },
  include: ["*.mjs", "tests", "scripts"],
});

function adapterMjs(name: string): string {
  return `// @ts-check
/**
 * ${name}: an alembic external adapter.
 *
 * alembic starts this program once per request, writes one JSON request to its
 * stdin and reads one JSON answer from its stdout; the SDK does all of that.
 * Replace the stand-in in backend.mjs with your backend's client, and the
 * dcim.site mapping below with your types. defineAdapter() types every
 * method's parameters, the checked setup included: \`npm run typecheck\`.
 *
 *     npm run request -- read       # a sample request, piped in
 *     node adapter.mjs --about      # what it accepts as setup
 *
 * @module
 */

import { z } from "zod";
import { defineAdapter, deleted, run, WriteIds } from "alembic-adapter-sdk";
import { connect } from "./backend.mjs";

/** The backend config's \`setup:\` block, checked before every request. */
const Setup = z.object({
  /** Where the backend is (the stand-in ignores it). */
  url: z.url().default("http://localhost:8080"),
});

/**
 * The adapter. Tests import it; run() below serves only when started.
 *
 * @type {import("alembic-adapter-sdk").DefinedAdapter}
 */
export const adapter = defineAdapter({
  name: "${name}",
  version: "0.1.0",
  description: "TODO: say what this adapter serves.",
  setup: Setup,

  read(_schema, types, _state, _scope, setup) {
    if (!types.includes("dcim.site")) return [];
    return connect(setup.url).listSites().map((site) => ({
      type_name: "dcim.site",
      key: { slug: site.slug },
      attrs: { name: site.name },
      backend_id: site.id,
    }));
  },

  write(_schema, ops, state, setup) {
    const backend = connect(setup.url);
    // Binds uids to the ids this write assigns: a later op may update a uid
    // that an earlier op created, and then it has no backend_id of its own.
    const ids = new WriteIds(state);
    /** @type {import("alembic-adapter-sdk").ApplyReport} */
    const report = { applied: [] };
${WRITE_LOOP}  },
  // Optional: ensureSchema(schema, setup) and previewSchema(schema, setup) to
  // provision types and fields (both answer "nothing to do" when left out),
  // capabilities(setup) to declare the role.
});

/**
 * @param {import("alembic-adapter-sdk").Key} key
 * @param {import("alembic-adapter-sdk").JsonObject} attrs
 * @returns {import("./backend.mjs").SiteFields}
 */
function siteFields(key, attrs) {
  const { slug } = key;
  const { name } = attrs;
  if (typeof slug !== "string" || typeof name !== "string") {
    throw new Error("a dcim.site needs a string slug (key) and name (attrs)");
  }
  return { slug, name };
}

run(adapter, { ifMain: import.meta });
`;
}

const BACKEND_MJS = `// @ts-check
/**
 * A stand-in for your backend's client: sites held in memory. alembic starts
 * the adapter once per request, so what a write does here is gone by the next
 * request. Replace it with calls to your backend (HTTP, a database, files),
 * keeping what alembic relies on: every record has a stable id.
 *
 * @module
 */

/** @typedef {{ slug: string, name: string }} SiteFields What the adapter writes of a site. */
/** @typedef {SiteFields & { id: number }} Site A site as the backend holds it. */

/** The backend's client. */
export class Backend {
  /** @type {Map<number, Site>} */
  #sites = new Map([[1, { id: 1, slug: "fra1", name: "Frankfurt 1" }]]);

  /** @param {string} url */
  constructor(url) {
    this.url = url;
  }

  /** @returns {Site[]} */
  listSites() {
    return [...this.#sites.values()];
  }

  /**
   * @param {SiteFields} fields
   * @returns {number} the new site's id
   */
  createSite(fields) {
    const id = Math.max(0, ...this.#sites.keys()) + 1;
    this.#sites.set(id, { id, ...fields });
    return id;
  }

  /**
   * @param {number} id
   * @param {SiteFields} fields
   */
  updateSite(id, fields) {
    if (!this.#sites.has(id)) throw new Error(\`no site has id \${id}\`);
    this.#sites.set(id, { id, ...fields });
  }

  /** @param {number} id */
  deleteSite(id) {
    // Deleting what is already gone succeeds: a retried write must not fail.
    this.#sites.delete(id);
  }
}

/**
 * A client for the backend at \`url\`.
 *
 * @param {string} url
 * @returns {Backend}
 */
export function connect(url) {
  return new Backend(url);
}
`;

const TEST_MJS = `// @ts-check
// The adapter, in-process: each request goes through the SDK's whole request
// path (decoding, the setup check, the report check), without a process.
import assert from "node:assert/strict";
import { test } from "node:test";
import { invoke, op, request, schemaOf } from "alembic-adapter-sdk/testing";
import { adapter } from "../adapter.mjs";

const setup = { url: "http://localhost:8080" };
const schema = schemaOf({
  "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } },
});

test("capabilities: the adapter reads and writes", async () => {
  assert.deepEqual(await invoke(adapter, request.capabilities({ setup })), {
    ok: true,
    result: { role: "adapter" },
  });
});

test("read: the backend's sites", async () => {
  assert.deepEqual(await invoke(adapter, request.read({ setup, schema })), {
    ok: true,
    result: [{
      type_name: "dcim.site",
      key: { slug: "fra1" },
      attrs: { name: "Frankfurt 1" },
      backend_id: 1,
    }],
  });
});

test("write: a create is reported with its backend id", async () => {
  const create = op.create("dcim.site", { slug: "ams1" }, { name: "AMS1" });
  const write = request.write({ setup, schema, ops: [create] });
  // strictWrites: a report that would mislead alembic fails the reply.
  assert.deepEqual(await invoke(adapter, write, { strictWrites: true }), {
    ok: true,
    result: {
      applied: [{ uid: create.uid, type_name: "dcim.site", backend_id: 2 }],
      provision: {},
    },
  });
});

test("setup: a url that is not one is refused", async () => {
  const reply = await invoke(
    adapter,
    request.capabilities({ setup: { url: "not a url" } }),
  );
  assert.equal(reply.ok, false);
  assert.match(reply.ok ? "" : reply.error, /^invalid setup: url: /);
});
`;

const REQUEST_MJS = `// @ts-check
/**
 * Builds a sample request with the SDK's builders, as alembic would send it
 * with backend.yaml's setup, and pipes it into the adapter:
 *
 *     npm run request -- read
 *     npm run --silent request -- write --print > requests/write.json
 *
 * @module
 */

import process from "node:process";
import {
  op,
  request,
  schemaOf,
  spawnAdapter,
} from "alembic-adapter-sdk/testing";

${
  SAMPLES_SOURCE.replace(
    "const samples = {",
    '/** @type {Record<string, () => import("alembic-adapter-sdk/testing").RequestJson>} */\nconst samples = {',
  )
}

const [method = "", ...flags] = process.argv.slice(2);
if (!Object.hasOwn(samples, method) || flags.some((f) => f !== "--print")) {
  const methods = Object.keys(samples).join("|");
  console.error(\`usage: npm run request -- <\${methods}> [--print]\`);
  process.exit(2);
}
const body = samples[method]();
if (flags.includes("--print")) {
  console.log(JSON.stringify(body, null, 2));
} else {
  const answer = await spawnAdapter([process.execPath, "adapter.mjs"], body);
  if (answer.stderr !== "") console.error(answer.stderr.trimEnd());
  console.log(answer.stdout.trimEnd());
  if (answer.problem !== undefined) {
    console.error(\`not a well-formed answer: \${answer.problem}\`);
    process.exitCode = 1;
  }
}
`;

const SEA_MAIN_MJS = `// @ts-check
// The single executable's entry point. A bundle has no module URL to compare
// with the program's path, so the adapter's own run(adapter, { ifMain }) stays
// quiet there, and this serves it.
import { run } from "alembic-adapter-sdk";
import { adapter } from "../adapter.mjs";

run(adapter);
`;

function buildSeaMjs(name: string): string {
  const binary = binaryName(name);
  return `// @ts-check
/**
 * Builds dist/${binary}: one executable holding Node, the SDK and the adapter,
 * with Node's single executable applications
 * (https://nodejs.org/api/single-executable-applications.html):
 * esbuild bundles scripts/sea_main.mjs into one CommonJS file, Node turns it
 * into a blob, postject injects the blob into a copy of this node binary.
 *
 *     npm run build-sea
 *     echo '{"version":1,"setup":{},"method":"capabilities"}' | dist/${binary}
 *
 * @module
 */

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";

const binary = "dist/${binary}";
const macos = process.platform === "darwin";

/**
 * @param {string} command
 * @param {string[]} args
 */
function exec(command, args) {
  console.error(\`> \${command} \${args.join(" ")}\`);
  execFileSync(command, args, { stdio: "inherit" });
}

mkdirSync("dist", { recursive: true });
exec("npx", [
  "-y",
  "${ESBUILD}",
  "scripts/sea_main.mjs",
  "--bundle",
  "--platform=node",
  "--format=cjs",
  "--target=node20",
  "--outfile=dist/adapter.cjs",
  // import.meta is empty in CommonJS, which is what keeps adapter.mjs's own
  // run() quiet: sea_main.mjs serves instead.
  "--log-override:empty-import-meta=silent",
]);
writeFileSync(
  "dist/sea-config.json",
  JSON.stringify({
    main: "dist/adapter.cjs",
    output: "dist/adapter.blob",
    disableExperimentalSEAWarning: true,
  }),
);
exec(process.execPath, ["--experimental-sea-config", "dist/sea-config.json"]);
copyFileSync(process.execPath, binary);
if (macos) exec("codesign", ["--remove-signature", binary]);
exec("npx", [
  "-y",
  "${POSTJECT}",
  binary,
  "NODE_SEA_BLOB",
  "dist/adapter.blob",
  "--sentinel-fuse",
  "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ...(macos ? ["--macho-segment-name", "NODE_SEA"] : []),
]);
if (macos) exec("codesign", ["--sign", "-", binary]);
console.error(\`built \${binary}\`);
`;
}
