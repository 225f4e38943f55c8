/**
 * The files of a generated Deno project: `deno.json` (the SDK from JSR, zod from npm, the
 * tasks), the adapter and its stand-in backend in TypeScript, the in-process test and the
 * request script. The files both kinds share are in `shared.ts`.
 *
 * @module
 */

import { SDK_VERSION } from "../about/describe.ts";
import { SAMPLES_SOURCE } from "./samples.ts";
import { binaryName, jsonText, type ProjectFile, WRITE_LOOP } from "./shared.ts";

/**
 * The command alembic and the tools run a Deno project's adapter with, in the project's folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DENO_ADAPTER_COMMAND } from "./deno_project.ts";
 * assert.equal(DENO_ADAPTER_COMMAND.at(-1), "adapter.ts");
 * ```
 */
export const DENO_ADAPTER_COMMAND: readonly string[] = ["deno", "run", "--quiet", "adapter.ts"];

/**
 * The Deno-only files of a project named `name`.
 *
 * @param name The project's name (already checked).
 * @returns The files.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoFiles } from "./deno_project.ts";
 * const deno = denoFiles("my-adapter").find((f) => f.path === "deno.json")!;
 * assert.ok(JSON.parse(deno.text).tasks.conformance.includes("--cases tests/cases"));
 * ```
 */
export function denoFiles(name: string): ProjectFile[] {
  return [
    { path: "deno.json", text: denoJson(name) },
    { path: "adapter.ts", text: adapterTs(name) },
    { path: "backend.ts", text: BACKEND_TS },
    { path: "tests/adapter_test.ts", text: TEST_TS },
    { path: "scripts/request.ts", text: REQUEST_TS },
  ];
}

function denoJson(name: string): string {
  return jsonText({
    tasks: {
      test: "deno test",
      conformance:
        `deno run -A @alembic-adapter/sdk/conformance --cases tests/cases --write-checks -- ${
          DENO_ADAPTER_COMMAND.join(" ")
        }`,
      request: "deno run --allow-run=deno --allow-env scripts/request.ts",
      compile: `deno compile --output dist/${binaryName(name)} adapter.ts`,
    },
    // The README's prose keeps its lines as written; tables are still aligned.
    fmt: { proseWrap: "preserve" },
    imports: {
      "@alembic-adapter/sdk": `jsr:@alembic-adapter/sdk@^${SDK_VERSION}`,
      zod: "npm:zod@^4",
    },
  });
}

function adapterTs(name: string): string {
  return `/**
 * ${name}: an alembic external adapter.
 *
 * alembic starts this program once per request, writes one JSON request to its
 * stdin and reads one JSON answer from its stdout; the SDK does all of that.
 * Replace the stand-in in backend.ts with your backend's client, and the
 * dcim.site mapping below with your types.
 *
 *     deno task request read          # a sample request, piped in
 *     deno run adapter.ts --about     # what it accepts as setup
 *
 * @module
 */

import { z } from "zod";
import {
  type ApplyReport,
  defineAdapter,
  type DefinedAdapter,
  deleted,
  type ExternalObject,
  type JsonObject,
  type Key,
  run,
  WriteIds,
} from "@alembic-adapter/sdk";
import { connect, type SiteFields } from "./backend.ts";

/** The backend config's \`setup:\` block, checked before every request. */
const Setup = z.object({
  /** Where the backend is (the stand-in ignores it). */
  url: z.url().default("http://localhost:8080"),
});

/** The adapter. Tests import it; run() below serves only when started. */
export const adapter: DefinedAdapter = defineAdapter({
  name: "${name}",
  version: "0.1.0",
  description: "TODO: say what this adapter serves.",
  setup: Setup,

  read(_schema, types, _state, _scope, setup): ExternalObject[] {
    if (!types.includes("dcim.site")) return [];
    return connect(setup.url).listSites().map((site) => ({
      type_name: "dcim.site",
      key: { slug: site.slug },
      attrs: { name: site.name },
      backend_id: site.id,
    }));
  },

  write(_schema, ops, state, setup): ApplyReport {
    const backend = connect(setup.url);
    // Binds uids to the ids this write assigns: a later op may update a uid
    // that an earlier op created, and then it has no backend_id of its own.
    const ids = new WriteIds(state);
    const report: ApplyReport = { applied: [] };
${WRITE_LOOP}  },
  // Optional: ensureSchema(schema, setup) and previewSchema(schema, setup) to
  // provision types and fields (both answer "nothing to do" when left out),
  // capabilities(setup) to declare the role.
});

function siteFields(key: Key, attrs: JsonObject): SiteFields {
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

const BACKEND_TS = `/**
 * A stand-in for your backend's client: sites held in memory. alembic starts
 * the adapter once per request, so what a write does here is gone by the next
 * request. Replace it with calls to your backend (HTTP, a database, files),
 * keeping what alembic relies on: every record has a stable id.
 *
 * @module
 */

/** What the adapter writes of a site. */
export interface SiteFields {
  slug: string;
  name: string;
}

/** A site as the backend holds it, with its id. */
export interface Site extends SiteFields {
  id: number;
}

/** The backend's client. */
export class Backend {
  readonly url: string;
  #sites = new Map<number, Site>([
    [1, { id: 1, slug: "fra1", name: "Frankfurt 1" }],
  ]);

  constructor(url: string) {
    this.url = url;
  }

  listSites(): Site[] {
    return [...this.#sites.values()];
  }

  createSite(fields: SiteFields): number {
    const id = Math.max(0, ...this.#sites.keys()) + 1;
    this.#sites.set(id, { id, ...fields });
    return id;
  }

  updateSite(id: number, fields: SiteFields): void {
    if (!this.#sites.has(id)) throw new Error(\`no site has id \${id}\`);
    this.#sites.set(id, { id, ...fields });
  }

  deleteSite(id: number): void {
    // Deleting what is already gone succeeds: a retried write must not fail.
    this.#sites.delete(id);
  }
}

/** A client for the backend at \`url\`. */
export function connect(url: string): Backend {
  return new Backend(url);
}
`;

const TEST_TS = `// The adapter, in-process: each request goes through the SDK's whole request
// path (decoding, the setup check, the report check), without a process.
import assert from "node:assert/strict";
import { invoke, op, request, schemaOf } from "@alembic-adapter/sdk/testing";
import { adapter } from "../adapter.ts";

const setup = { url: "http://localhost:8080" };
const schema = schemaOf({
  "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } },
});

Deno.test("capabilities: the adapter reads and writes", async () => {
  assert.deepEqual(await invoke(adapter, request.capabilities({ setup })), {
    ok: true,
    result: { role: "adapter" },
  });
});

Deno.test("read: the backend's sites", async () => {
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

Deno.test("write: a create is reported with its backend id", async () => {
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

Deno.test("setup: a url that is not one is refused", async () => {
  const reply = await invoke(
    adapter,
    request.capabilities({ setup: { url: "not a url" } }),
  );
  assert.equal(reply.ok, false);
  assert.match(reply.ok ? "" : reply.error, /^invalid setup: url: /);
});
`;

const REQUEST_TS = `/**
 * Builds a sample request with the SDK's builders, as alembic would send it
 * with backend.yaml's setup, and pipes it into the adapter:
 *
 *     deno task request read
 *     deno task request write --print > requests/write.json   # only build it
 *
 * @module
 */

import {
  op,
  request,
  type RequestJson,
  schemaOf,
  spawnAdapter,
} from "@alembic-adapter/sdk/testing";

${
  SAMPLES_SOURCE.replace(
    "const samples = {",
    "const samples: Record<string, () => RequestJson> = {",
  )
}

const [method = "", ...flags] = Deno.args;
if (!Object.hasOwn(samples, method) || flags.some((f) => f !== "--print")) {
  const methods = Object.keys(samples).join("|");
  console.error(\`usage: deno task request <\${methods}> [--print]\`);
  Deno.exit(2);
}
const body = samples[method]();
if (flags.includes("--print")) {
  console.log(JSON.stringify(body, null, 2));
} else {
  const answer = await spawnAdapter(
    [${DENO_ADAPTER_COMMAND.map((a) => JSON.stringify(a)).join(", ")}],
    body,
  );
  if (answer.stderr !== "") console.error(answer.stderr.trimEnd());
  console.log(answer.stdout.trimEnd());
  if (answer.problem !== undefined) {
    console.error(\`not a well-formed answer: \${answer.problem}\`);
    Deno.exitCode = 1;
  }
}
`;
