/**
 * The sample data of a generated project: one type (`dcim.site`), the setup its `backend.yaml`
 * sends, a sample request for every method and the conformance cases, all built with the SDK's
 * request builders, so the uids and the shapes are the host's own. The project's request
 * script builds the same requests from {@linkcode SAMPLES_SOURCE}; the scaffold check holds the
 * two to each other.
 *
 * @module
 */

import { objectUid } from "../identity/uids.ts";
import type { JsonObject } from "../wire/json.ts";
import { op, request, type RequestJson, schemaOf, stateFor } from "../testing/builders.ts";

/** What `backend.yaml` sends as `setup:`, and so what every sample request carries. */
const SETUP: JsonObject = { url: "http://localhost:8080" };

const SCHEMA = schemaOf({ "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } } });

/** The record the generated stand-in backend starts with. */
const SEEDED = { type_name: "dcim.site", key: { slug: "fra1" }, backend_id: 1 };

/**
 * The method names a generated project has a sample request for, in the protocol's order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SAMPLE_METHODS } from "./samples.ts";
 * assert.ok(SAMPLE_METHODS.includes("preview_schema"));
 * ```
 */
export const SAMPLE_METHODS: readonly string[] = [
  "capabilities",
  "read",
  "write",
  "ensure_schema",
  "preview_schema",
];

/**
 * One sample request per method, by wire name, as the project's request script builds them.
 *
 * @returns The requests.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleRequests } from "./samples.ts";
 * assert.equal(sampleRequests().read.method, "read");
 * ```
 */
export function sampleRequests(): Record<
  "capabilities" | "read" | "write" | "ensure_schema" | "preview_schema",
  RequestJson
> {
  return {
    capabilities: request.capabilities({ setup: SETUP }),
    read: request.read({ setup: SETUP, schema: SCHEMA }),
    write: request.write({
      setup: SETUP,
      schema: SCHEMA,
      ops: [op.create("dcim.site", { slug: "ams1" }, { name: "Amsterdam 1" })],
    }),
    ensure_schema: request.ensureSchema({ setup: SETUP, schema: SCHEMA }),
    preview_schema: request.previewSchema({ setup: SETUP, schema: SCHEMA }),
  };
}

/**
 * The source of the same requests, for the project's request script: `setup`, `schema` and
 * `samples` (wire name → builder call), written with the builders of
 * `@alembic-adapter/sdk/testing` (`op`, `request`, `schemaOf` in scope).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SAMPLES_SOURCE } from "./samples.ts";
 * assert.match(SAMPLES_SOURCE, /request\.previewSchema/);
 * ```
 */
export const SAMPLES_SOURCE = `const setup = { url: "http://localhost:8080" };
const schema = schemaOf({
  "dcim.site": { key: { slug: "slug" }, fields: { name: "string" } },
});
const samples = {
  capabilities: () => request.capabilities({ setup }),
  read: () => request.read({ setup, schema }),
  write: () =>
    request.write({
      setup,
      schema,
      ops: [op.create("dcim.site", { slug: "ams1" }, { name: "Amsterdam 1" })],
    }),
  ensure_schema: () => request.ensureSchema({ setup, schema }),
  preview_schema: () => request.previewSchema({ setup, schema }),
};`;

/**
 * A conformance case file's content: `{name, request, expect}`.
 *
 * @example
 * ```ts
 * import type { CaseFile } from "./samples.ts";
 * const empty: CaseFile = { name: "n", request: { version: 1, setup: {}, method: "capabilities" }, expect: { ok: true } };
 * ```
 */
export interface CaseFile {
  /** Reported as `case/<name>`. */
  name: string;
  /** The request, sent as written. */
  request: RequestJson;
  /** The answer, compared exactly. */
  expect: { ok: boolean; result?: unknown; error?: string };
}

/**
 * The conformance cases of a generated project, by file name; each holds the generated
 * adapter's answer, which the scaffold check runs through the conformance runner.
 *
 * @returns The cases.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleCases } from "./samples.ts";
 * assert.equal(sampleCases()["read-sites.json"]?.expect.ok, true);
 * ```
 */
export function sampleCases(): Record<string, CaseFile> {
  const ams1 = objectUid("dcim.site", { slug: "ams1" });
  const fra1 = objectUid("dcim.site", { slug: "fra1" });
  const site = (uid: string, id?: number) =>
    id === undefined
      ? { uid, type_name: "dcim.site" }
      : { uid, type_name: "dcim.site", backend_id: id };
  return {
    "capabilities.json": {
      name: "capabilities: reads and writes",
      request: request.capabilities({ setup: SETUP }),
      expect: { ok: true, result: { role: "adapter" } },
    },
    "read-sites.json": {
      name: "read: the sites the backend holds",
      request: request.read({ setup: SETUP, schema: SCHEMA, state: stateFor([SEEDED]) }),
      expect: {
        ok: true,
        result: [{
          type_name: "dcim.site",
          key: { slug: "fra1" },
          attrs: { name: "Frankfurt 1" },
          backend_id: 1,
        }],
      },
    },
    "read-other-type.json": {
      name: "read: a type the backend does not hold",
      request: request.read({
        setup: SETUP,
        schema: schemaOf({ "dcim.device": { key: { name: "string" } } }),
      }),
      expect: { ok: true, result: [] },
    },
    "write-create.json": {
      name: "write: a create is reported with its new backend id",
      request: sampleRequests().write,
      expect: { ok: true, result: { applied: [site(ams1, 2)], provision: {} } },
    },
    "write-in-order.json": {
      name: "write: ops in order, an update of a uid this write created, a delete",
      request: request.write({
        setup: SETUP,
        schema: SCHEMA,
        state: stateFor([SEEDED]),
        ops: [
          op.create("dcim.site", { slug: "ams1" }, { name: "Amsterdam 1" }),
          op.update("dcim.site", { slug: "ams1" }, { name: "Amsterdam" }),
          op.delete("dcim.site", { slug: "fra1" }, { backendId: 1 }),
        ],
      }),
      expect: {
        ok: true,
        result: { applied: [site(ams1, 2), site(ams1, 2), site(fra1)], provision: {} },
      },
    },
    "write-unknown-type.json": {
      name: "write: a type the adapter does not write is refused",
      request: request.write({
        setup: SETUP,
        schema: schemaOf({ "dcim.device": { key: { name: "string" } } }),
        ops: [op.create("dcim.device", { name: "leaf1" })],
      }),
      expect: { ok: false, error: "create of dcim.device: this adapter writes only dcim.site" },
    },
    "preview-schema.json": {
      name: "preview_schema: nothing to provision",
      request: sampleRequests().preview_schema,
      expect: { ok: true, result: {} },
    },
  };
}
