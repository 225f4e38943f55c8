/**
 * What an adapter says of itself when started with `--help`, `--version` or `--about` instead
 * of a request: its name and version with the SDK's, its role, the methods it implements and
 * the setup it accepts. Pure text from the adapter object; `run()` prints it.
 *
 * @module
 */

import {
  type AdapterLike,
  type AdapterMethods,
  implementedMethods,
  impliedRole,
  isDefinedAdapter,
  type WireMethod,
} from "../adapter.ts";
import type { SetupDescription } from "../setup/check.ts";
import { PROTOCOL_VERSION } from "../wire/request.ts";
import type { Role } from "../wire/results.ts";

/**
 * The SDK's version, as `--version` and `--about` print it beside the adapter's. A test holds it
 * equal to the package's version.
 *
 * @example
 * ```ts
 * import { SDK_VERSION } from "@alembic-adapter/sdk";
 * console.error(`built with alembic-adapter-sdk ${SDK_VERSION}`);
 * ```
 */
export const SDK_VERSION = "0.1.0";

/**
 * What `--about --format json` prints: one JSON document, for tools that list adapters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AboutDocument, describeAdapter } from "@alembic-adapter/sdk";
 * const about: AboutDocument = describeAdapter({ read: () => [] });
 * assert.equal(about.role, "observer");
 * assert.equal(about.name, null);
 * ```
 */
export interface AboutDocument {
  /** The adapter's name, or `null` when it was not given one (see `defineAdapter`). */
  name: string | null;
  /** Its version, or `null`. */
  version: string | null;
  /** Its one-line description, or `null`. */
  description: string | null;
  /** The SDK it was built with. */
  sdk: { name: "alembic-adapter-sdk"; version: string };
  /** The protocol version it speaks. */
  protocol_version: number;
  /** Its role, or `null` when its `capabilities()` decides at run time. */
  role: Role | null;
  /** The wire methods it implements itself; the SDK answers the others with the defaults. */
  implements: WireMethod[];
  /** The setup it accepts, or `null` when it takes any block unchecked. */
  setup: SetupDescription | null;
}

/**
 * Describes an adapter: what `--about` prints.
 *
 * @param adapter A plain object, an `Adapter`, or what `defineAdapter()` made.
 * @returns The description.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineAdapter, describeAdapter, SDK_VERSION } from "@alembic-adapter/sdk";
 *
 * const about = describeAdapter(defineAdapter({ name: "sites", version: "1.0.0", read: () => [] }));
 * assert.deepEqual(about, {
 *   name: "sites",
 *   version: "1.0.0",
 *   description: null,
 *   sdk: { name: "alembic-adapter-sdk", version: SDK_VERSION },
 *   protocol_version: 1,
 *   role: "observer",
 *   implements: ["read"],
 *   setup: null,
 * });
 * ```
 */
export function describeAdapter(adapter: AdapterLike): AboutDocument {
  const sdk = { name: "alembic-adapter-sdk" as const, version: SDK_VERSION };
  if (isDefinedAdapter(adapter)) {
    const parts = adapter["~alembic"];
    return {
      name: adapter.about.name,
      version: adapter.about.version,
      description: adapter.about.description ?? null,
      sdk,
      protocol_version: PROTOCOL_VERSION,
      role: parts.role ?? null,
      implements: [...parts.implements],
      setup: parts.describeSetup(),
    };
  }
  const methods = adapter as AdapterMethods<never>;
  const has = implementedMethods(methods);
  return {
    name: null,
    version: null,
    description: null,
    sdk,
    protocol_version: PROTOCOL_VERSION,
    role: has.includes("capabilities") ? null : impliedRole(methods),
    implements: has,
    setup: null,
  };
}

const ROLES: Record<Role, string> = {
  adapter: "adapter (alembic reads and writes through it)",
  observer: "observer (read-only: alembic refuses to apply through it)",
  emitter: "emitter (write-only: alembic never reads through it)",
};

/**
 * The first line of `--version` and `--help`: the adapter's name and version.
 *
 * @param about The description.
 * @returns One line, without a newline.
 */
function title(about: AboutDocument): string {
  if (about.name === null) return "an unnamed alembic adapter (name it with defineAdapter())";
  return about.version === null ? about.name : `${about.name} ${about.version}`;
}

const builtWith = (about: AboutDocument): string =>
  `${about.sdk.name} ${about.sdk.version} (protocol version ${about.protocol_version})`;

/**
 * What `--version` prints: the adapter's name and version, then the SDK's.
 *
 * @param about The adapter's description.
 * @returns Two lines.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { versionText } from "./describe.ts";
 * import { defineAdapter, describeAdapter, SDK_VERSION } from "@alembic-adapter/sdk";
 * assert.equal(
 *   versionText(describeAdapter(defineAdapter({ name: "sites", version: "1.0.0" }))),
 *   `sites 1.0.0\nalembic-adapter-sdk ${SDK_VERSION} (protocol version 1)\n`,
 * );
 * ```
 */
export function versionText(about: AboutDocument): string {
  return `${title(about)}\n${builtWith(about)}\n`;
}

/**
 * What `--about` prints: name, version and description, role, methods, the setup it accepts
 * (as JSON Schema where the validator can say), and the SDK.
 *
 * @param about The adapter's description.
 * @returns Lines of text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aboutText } from "./describe.ts";
 * import { describeAdapter } from "@alembic-adapter/sdk";
 * assert.match(aboutText(describeAdapter({ read: () => [] })), /^methods: {3}read \(/m);
 * ```
 */
export function aboutText(about: AboutDocument): string {
  const lines = [
    about.description === null ? title(about) : `${title(about)}: ${about.description}`,
  ];
  lines.push(
    `role:      ${
      about.role === null ? "decided by capabilities() at run time" : ROLES[about.role]
    }`,
  );
  const others = about.implements.length === 5
    ? ""
    : ` (the SDK answers ${
      about.implements.length === 0 ? "all" : "the others"
    } with the protocol's defaults)`;
  lines.push(
    `methods:   ${about.implements.length === 0 ? "none" : about.implements.join(", ")}${others}`,
  );
  const setup = about.setup;
  if (setup === null) {
    lines.push(
      "setup:     not checked: the methods receive the block as it comes (null when absent)",
    );
  } else if (setup.json_schema === null) {
    lines.push(
      `setup:     checked by ${setup.checked_by} before every request (it cannot say as JSON Schema what it accepts)`,
    );
  } else {
    lines.push(
      `setup:     checked by ${setup.checked_by} before every request; it accepts, as JSON Schema:`,
    );
    lines.push(pretty(setup.json_schema, ""));
  }
  lines.push(`sdk:       ${builtWith(about)}`);
  return `${lines.join("\n")}\n`;
}

/** Widest line {@link pretty} writes a value on whole. */
const WIDTH = 80;

/**
 * JSON for reading: an object or array on one line where it fits, otherwise one member a line.
 * A JSON Schema's leaves (`{ "type": "string" }`, `["host", "port"]`) stay one line each.
 */
function pretty(value: unknown, indent: string): string {
  const flat = inline(value);
  if (indent.length + flat.length <= WIDTH || value === null || typeof value !== "object") {
    return flat;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(",\n")}\n${indent}]`;
  }
  const members = Object.entries(value).map(([k, v]) =>
    `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`
  );
  return `{\n${members.join(",\n")}\n${indent}}`;
}

function inline(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
  return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
}

/**
 * What `--help` prints: what the program is, and how to run it.
 *
 * @param about The adapter's description.
 * @returns Lines of text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helpText } from "./describe.ts";
 * import { describeAdapter } from "@alembic-adapter/sdk";
 * assert.match(helpText(describeAdapter({})), /--about --format json/);
 * ```
 */
export function helpText(about: AboutDocument): string {
  const first = about.description === null ? title(about) : `${title(about)}: ${about.description}`;
  return `${first}

An alembic external adapter: alembic starts it once per request, writes one JSON
request to its stdin and reads one JSON answer from its stdout.

usage:
  ADAPTER < request.json          answer one request, as alembic does
  ADAPTER --help                  print this text
  ADAPTER --version               print its version and the SDK's
  ADAPTER --about                 print its role, its methods and the setup it accepts
  ADAPTER --about --format json   the same, as one JSON document

ADAPTER stands for the command that starts it (the backend config's command and
args). Any other argument is the adapter's own. Try:
  echo '{"version":1,"setup":{},"method":"capabilities"}' | ADAPTER
`;
}

/**
 * Which self-description the command line asks for. Only these exact argument lists are the
 * SDK's: `--help`, `--version`, `--about`, `--about --format json`. Any other is left to the
 * adapter, and the request is read from stdin as usual.
 *
 * @param args The command-line arguments after the program.
 * @returns The self-description asked for, or `undefined` to serve a request.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selfCommand } from "./describe.ts";
 * assert.equal(selfCommand(["--about", "--format", "json"]), "about-json");
 * assert.equal(selfCommand(["--verbose"]), undefined);
 * assert.equal(selfCommand(["--help", "--verbose"]), undefined);
 * ```
 */
export function selfCommand(
  args: readonly string[],
): "help" | "version" | "about" | "about-json" | undefined {
  const line = args.join("\u0000");
  switch (line) {
    case "--help":
      return "help";
    case "--version":
      return "version";
    case "--about":
      return "about";
    case "--about\u0000--format\u0000json":
      return "about-json";
  }
  return undefined;
}

/**
 * The text printed for a self-description.
 *
 * @param adapter The adapter.
 * @param command What was asked.
 * @returns The whole output, ending in a newline.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selfText } from "./describe.ts";
 * assert.equal(JSON.parse(selfText({}, "about-json")).role, "adapter");
 * ```
 */
export function selfText(
  adapter: AdapterLike,
  command: "help" | "version" | "about" | "about-json",
): string {
  const about = describeAdapter(adapter);
  switch (command) {
    case "help":
      return helpText(about);
    case "version":
      return versionText(about);
    case "about":
      return aboutText(about);
    case "about-json":
      return `${JSON.stringify(about)}\n`;
  }
}
