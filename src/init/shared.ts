/**
 * What both kinds of generated project share: the file type, the sample requests and the
 * conformance cases as files, and the README, `backend.yaml`, CI workflow and `.gitignore`,
 * written for the project's runtime.
 *
 * @module
 */

import { sampleCases, sampleRequests } from "./samples.ts";

/**
 * One file of a generated project.
 *
 * @example
 * ```ts
 * import type { ProjectFile } from "./shared.ts";
 * const file: ProjectFile = { path: "requests/read.json", text: "{}\n" };
 * ```
 */
export interface ProjectFile {
  /** Relative to the project's folder, with `/` between folders. */
  path: string;
  /** The whole content. */
  text: string;
}

/**
 * The runtime a generated project runs on.
 *
 * @example
 * ```ts
 * import type { ProjectRuntime } from "./shared.ts";
 * const runtime: ProjectRuntime = "node";
 * ```
 */
export type ProjectRuntime = "deno" | "node";

/**
 * JSON as the generated files hold it: two-space indent and a final newline, which is what
 * `deno fmt` leaves as it is.
 *
 * @param value The value.
 * @returns The text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonText } from "./shared.ts";
 * assert.equal(jsonText({ a: 1 }), '{\n  "a": 1\n}\n');
 * ```
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The generated adapter's write loop, the same code in the Deno project's TypeScript and the Node
 * project's JavaScript: written once, so that the two projects cannot drift apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WRITE_LOOP } from "./shared.ts";
 * assert.ok(WRITE_LOOP.includes("report.applied.push(deleted(op));"));
 * ```
 */
export const WRITE_LOOP: string = `    for (const op of ops) {
      if (op.type_name !== "dcim.site") {
        throw new Error(
          \`\${op.op} of \${op.type_name}: this adapter writes only dcim.site\`,
        );
      }
      if (op.op === "create") {
        const fields = siteFields(op.desired.key, op.desired.attrs);
        report.applied.push(ids.applied(op, backend.createSite(fields)));
      } else if (op.op === "update") {
        const id = Number(op.backend_id ?? ids.require(op.type_name, op.uid));
        // An update writes the whole desired attrs, not only the changes.
        backend.updateSite(id, siteFields(op.desired.key, op.desired.attrs));
        report.applied.push(ids.applied(op, id));
      } else {
        const id = op.backend_id ?? ids.backendId(op.type_name, op.uid);
        if (id !== undefined) backend.deleteSite(Number(id));
        // Reported without a backend id: alembic drops the binding.
        report.applied.push(deleted(op));
      }
    }
    return report;
`;

/**
 * The executable's file name: the name without its npm scope.
 *
 * @param name The project's name.
 * @returns The file name.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryName } from "./shared.ts";
 * assert.equal(binaryName("@acme/netbox-adapter"), "netbox-adapter");
 * ```
 */
export function binaryName(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** How each kind of project runs what the README, the workflow and backend.yaml name. */
interface Commands {
  install?: string;
  test: string;
  conformance: string;
  request: string;
  binary: string;
  binaryNote: string;
  command: string;
  args: string[];
}

function commands(name: string, runtime: ProjectRuntime): Commands {
  const binary = binaryName(name);
  return runtime === "deno"
    ? {
      test: "deno task test",
      conformance: "deno task conformance",
      request: "deno task request",
      binary: "deno task compile",
      binaryNote:
        `\`deno compile\` writes \`dist/${binary}\`; the first run downloads the Deno runtime binary it embeds from Deno's servers. The adapter needs no permission flags; add exactly the ones your backend calls need (\`--allow-net=backend.example\`, \`--allow-env=TOKEN\`) to the \`compile\` task.`,
      command: "deno",
      args: ["run", "--quiet", "adapter.ts"],
    }
    : {
      install: "npm install",
      test: "npm test",
      conformance: "npm run conformance",
      request: "npm run request --",
      binary: "npm run build-sea",
      binaryNote:
        `\`scripts/build_sea.mjs\` follows Node's single executable applications recipe: esbuild bundles the adapter and the SDK into one CommonJS file, Node makes it a blob, postject injects it into a copy of \`node\`: \`dist/${binary}\` (esbuild and postject come through \`npx\`; on macOS the binary is re-signed ad hoc).`,
      command: "node",
      args: ["adapter.mjs"],
    };
}

/**
 * The files both kinds of project have, written for one: `requests/`, `tests/cases/`,
 * `backend.yaml`, `README.md`, the CI workflow and `.gitignore`.
 *
 * @param name The project's name (already checked).
 * @param runtime The project's runtime.
 * @returns The files.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharedFiles } from "./shared.ts";
 * const paths = sharedFiles("my-adapter", "deno").map((f) => f.path);
 * assert.ok(paths.includes("requests/write.json"));
 * ```
 */
export function sharedFiles(name: string, runtime: ProjectRuntime): ProjectFile[] {
  const c = commands(name, runtime);
  return [
    ...Object.entries(sampleRequests()).map(([method, request]) => ({
      path: `requests/${method}.json`,
      text: jsonText(request),
    })),
    ...Object.entries(sampleCases()).map(([file, content]) => ({
      path: `tests/cases/${file}`,
      text: jsonText(content),
    })),
    { path: "backend.yaml", text: backendYaml(name, runtime, c) },
    { path: "README.md", text: readme(name, runtime, c) },
    { path: ".github/workflows/ci.yml", text: workflow(runtime) },
    { path: ".gitignore", text: runtime === "deno" ? "dist/\n" : "node_modules/\ndist/\n" },
  ];
}

function backendYaml(name: string, runtime: ProjectRuntime, c: Commands): string {
  const binary = binaryName(name);
  const lookup = runtime === "deno" ? "deno.json" : "node_modules";
  return `# Runs ${name} as an alembic external backend:
#
#   alembic plan  --backend external --backend-config backend.yaml -f inventory.yaml -o plan.json
#   alembic apply --backend external --backend-config backend.yaml -p plan.json
backend: external

# Paths are relative to working_dir, which defaults to alembic's own working
# directory: set it to this project's folder when you run alembic elsewhere,
# so that ${lookup} is found. Built into one binary (${c.binary}), the
# command is dist/${binary} and there are no args.
command: ${c.command}
args: [${c.args.map((a) => JSON.stringify(a)).join(", ")}]
# working_dir: /path/to/${binary}
# env:
#   BACKEND_TOKEN: "..."   # secrets belong in the environment, not in setup

# Sent with every request, and checked by the adapter's Setup before any method.
setup:
  url: http://localhost:8080

# The identity alembic keeps its state under. Without it, any edit of this file
# moves the backend onto a new, empty state.
instance: ${binary}
`;
}

function readme(name: string, runtime: ProjectRuntime, c: Commands): string {
  const ext = runtime === "deno" ? "ts" : "mjs";
  const sdk = runtime === "deno" ? "`@alembic-adapter/sdk` (JSR)" : "`alembic-adapter-sdk` (npm)";
  const files = runtime === "deno"
    ? [
      ["`adapter.ts`", "the adapter: typed setup (zod), `read`, `write`; importable"],
      ["`backend.ts`", "a stand-in for your backend's client: replace it"],
      ["`tests/adapter_test.ts`", "in-process tests with `invoke` and the request builders"],
      ["`scripts/request.ts`", "builds a sample request and pipes it into the adapter"],
      ["`deno.json`", "the imports (the SDK, zod) and the tasks"],
    ]
    : [
      ["`adapter.mjs`", "the adapter: typed setup (zod), `read`, `write`; importable"],
      ["`backend.mjs`", "a stand-in for your backend's client: replace it"],
      ["`tests/adapter_test.mjs`", "in-process tests with `invoke` and the request builders"],
      ["`scripts/request.mjs`", "builds a sample request and pipes it into the adapter"],
      ["`scripts/build_sea.mjs`", "builds the single executable"],
      ["`package.json`", "the dependencies (the SDK, zod) and the scripts"],
      ["`jsconfig.json`", "type-checks the JavaScript with its JSDoc types"],
    ];
  files.push(
    ["`tests/cases/`", "conformance cases: `{name, request, expect}`, compared exactly"],
    ["`requests/`", "one sample request per method, to pipe in by hand"],
    ["`backend.yaml`", "the backend config that wires the adapter into alembic"],
    ["`.github/workflows/ci.yml`", "runs the tests and the conformance checks"],
  );
  const table = markdownTable([["file", "what it is"], ...files]);
  const nodeNote = runtime === "node"
    ? `
The adapter is plain JavaScript (\`.mjs\`) with JSDoc types, so it runs as
written on Node 20 and later, with no build step; \`defineAdapter()\` types each
method's parameters, the checked setup included, and \`npm run typecheck\` holds
the code to them.
`
    : "";
  return `# ${name}

An [alembic](https://github.com/cyberwitchery/alembic) external adapter, built
on ${sdk}. alembic starts it once per request, writes one JSON request to its
stdin and reads one JSON answer from its stdout.

## Commands

\`\`\`sh
${commandLines(runtime, c, ext, binaryName(name))}
\`\`\`

\`${c.request} <method>\` takes \`capabilities\`, \`read\`, \`write\`,
\`ensure_schema\` or \`preview_schema\`; add \`--print\` for the request only. A
request can also be piped in by hand: \`${[c.command, ...c.args].join(" ")} < requests/read.json\`.
${nodeNote}
## What is here

${table}

The stand-in backend holds one site in memory, and each request is a new
process: a write's effect is gone by the next request. Replace it, then change
the tests, the cases and the samples to what your backend holds.

## Conformance

\`${c.conformance}\` runs the checks of alembic's \`alembic-adapter-test\` against
the adapter as alembic runs it, one process per request: the protocol checks,
the writing checks (\`--write-checks\`), and every case in \`tests/cases/\`. A
read case's result is also checked against the case's schema; a write case's
report against its ops.

## Into alembic

\`backend.yaml\` selects the adapter:

\`\`\`sh
alembic plan  --backend external --backend-config backend.yaml -f inventory.yaml -o plan.json
alembic apply --backend external --backend-config backend.yaml -p plan.json
\`\`\`

## One executable

${c.binaryNote} Then point \`command:\` in \`backend.yaml\` at the binary and
drop \`args\`.
`;
}

/** A table as `deno fmt` aligns it: each column padded to its widest cell. */
function markdownTable(rows: string[][]): string {
  const [header, ...body] = rows;
  if (header === undefined) return "";
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)]
    .join("\n");
}

/** The README's command block, each comment aligned. */
function commandLines(runtime: ProjectRuntime, c: Commands, ext: string, binary: string): string {
  const lines: Array<[string, string]> = [];
  if (c.install !== undefined) lines.push([c.install, "the SDK, zod, TypeScript for the check"]);
  lines.push([c.test, `in-process tests (tests/adapter_test.${ext})`]);
  if (runtime === "node") lines.push(["npm run typecheck", "tsc on the JSDoc types"]);
  lines.push([c.conformance, "alembic's conformance checks, real process"]);
  lines.push([`${c.request} read`, "a sample request, piped in, answer printed"]);
  lines.push([c.binary, `one executable: dist/${binary}`]);
  const width = Math.max(...lines.map(([command]) => command.length));
  return lines.map(([command, what]) => `${command.padEnd(width)}  # ${what}`).join("\n");
}

function workflow(runtime: ProjectRuntime): string {
  if (runtime === "deno") {
    return `name: ci

on:
  push:
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: denoland/setup-deno@v2
        with:
          deno-version: v2.x
      - run: deno fmt --check
      - run: deno lint
      - run: deno task test
      - run: deno task conformance
`;
  }
  return `name: ci

on:
  push:
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22, 24]
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5
        with:
          node-version: \${{ matrix.node }}
      # npm ci, once package-lock.json is committed
      - run: npm install
      - run: npm run typecheck
      - run: npm test
      - run: npm run conformance
`;
}
