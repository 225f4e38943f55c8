/**
 * Checking the request's `setup` block before any adapter method runs, with the validator the
 * adapter declared, and saying as JSON Schema what that validator accepts.
 *
 * @module
 */

import { errorMessage, keyPath } from "../wire/errors.ts";
import type { JsonObject, JsonValue } from "../wire/json.ts";
import type { StandardIssue, StandardSchemaV1 } from "./standard_schema.ts";

/**
 * How an adapter declares its setup: a Standard Schema validator (zod, valibot, arktype, …), or
 * a function that takes the raw block and returns it checked (throwing when it is not valid).
 * Either way the adapter's methods receive what it gives back.
 *
 * @typeParam Setup What the methods receive.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SetupCheck } from "@alembic-adapter/sdk";
 *
 * const port: SetupCheck<number> = (config) => {
 *   if (typeof config !== "number") throw new Error("expected a port number");
 *   return config;
 * };
 * assert.equal(typeof port, "function");
 * ```
 */
export type SetupCheck<Setup> =
  | StandardSchemaV1<unknown, Setup>
  | ((config: JsonValue) => Setup | Promise<Setup>);

/**
 * The setup block was refused: its message is the whole answer after `invalid setup: `.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SetupError } from "@alembic-adapter/sdk/codec";
 * assert.equal(new SetupError("host: Required").message, "host: Required");
 * ```
 */
export class SetupError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong with the setup block.
   */
  constructor(message: string) {
    super(message);
    this.name = "SetupError";
  }
}

/**
 * Checks `config` with `check` and returns what it gives back. Throws a {@link SetupError} whose
 * message lists each issue as `<path>: <message>`, joined by `; `, or what the check threw.
 *
 * @param check The adapter's validator or check function.
 * @param config The request's `setup` block (`null` when the backend config has none).
 * @returns The checked value.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSetup } from "./check.ts";
 *
 * const host = {
 *   "~standard": {
 *     version: 1 as const,
 *     vendor: "example",
 *     validate: (v: unknown) =>
 *       typeof (v as { host?: unknown })?.host === "string"
 *         ? { value: v as { host: string } }
 *         : { issues: [{ message: "Expected string", path: ["host"] }] },
 *   },
 * };
 * await assert.rejects(checkSetup(host, { host: 1 }), { message: "host: Expected string" });
 * ```
 */
export async function checkSetup<Setup>(
  check: SetupCheck<Setup>,
  config: JsonValue,
): Promise<Setup> {
  if (typeof check === "object" || isStandard(check)) {
    const standard = (check as StandardSchemaV1<unknown, Setup>)["~standard"];
    let result;
    try {
      result = await standard.validate(config);
    } catch (e) {
      throw new SetupError(errorMessage(e, `the ${standard.vendor} validator failed`));
    }
    if (result.issues !== undefined) throw new SetupError(issuesText(result.issues));
    return result.value;
  }
  try {
    return await check(config);
  } catch (e) {
    throw new SetupError(errorMessage(e, "setup failed without an error message"));
  }
}

/** Whether a function is also a Standard Schema (arktype's types are callable). */
function isStandard(value: unknown): value is StandardSchemaV1 {
  return (typeof value === "function" || typeof value === "object") && value !== null &&
    "~standard" in value;
}

/**
 * Issues as one line: `host: Expected string; ports[1]: Expected number`. An issue without a
 * path is its message alone.
 *
 * @param issues What the validator found.
 * @returns The text after `invalid setup: `.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { issuesText } from "./check.ts";
 * assert.equal(
 *   issuesText([{ message: "Required", path: ["host"] }, { message: "Too small", path: ["ports", { key: 1 }] }]),
 *   "host: Required; ports[1]: Too small",
 * );
 * ```
 */
export function issuesText(issues: ReadonlyArray<StandardIssue>): string {
  if (issues.length === 0) return "the validator found it invalid without saying why";
  return issues.map((issue) => {
    const path = pathText(issue.path ?? []);
    const message = issue.message === "" ? "invalid" : issue.message;
    return path === "" ? message : `${path}: ${message}`;
  }).join("; ");
}

function pathText(path: NonNullable<StandardIssue["path"]>): string {
  let out = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") out = `${out}[${key}]`;
    else if (typeof key === "symbol") out = `${out}[${String(key)}]`;
    else out = keyPath(out, key);
  }
  return out;
}

/**
 * What `--about` says of the setup an adapter accepts.
 *
 * @example
 * ```ts
 * import type { SetupDescription } from "@alembic-adapter/sdk";
 * const described: SetupDescription = { checked_by: "zod", json_schema: { type: "object" } };
 * ```
 */
export interface SetupDescription {
  /** The validator's vendor (`zod`, `valibot`, …), or `function` for a check function. */
  checked_by: string;
  /** The JSON Schema of the setup block it accepts, or `null` when it cannot say. */
  json_schema: JsonObject | null;
}

/**
 * The setup an adapter accepts, as JSON Schema where the validator can say: the explicit
 * `jsonSchema` first, then the Standard JSON Schema interface (`~standard.jsonSchema.input`,
 * as zod 4 implements it), then arktype's `toJsonSchema()`.
 *
 * @param check The adapter's validator or check function.
 * @param jsonSchema A JSON Schema the adapter gives by hand (for validators that cannot say).
 * @returns The description.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeSetup } from "./check.ts";
 * const check = (config: unknown) => String(config);
 * assert.deepEqual(describeSetup(check, { type: "string" }), {
 *   checked_by: "function",
 *   json_schema: { type: "string" },
 * });
 * ```
 */
export function describeSetup(
  check: SetupCheck<unknown>,
  jsonSchema?: JsonObject,
): SetupDescription {
  const standard = isStandard(check) ? check["~standard"] : undefined;
  const checked_by = standard?.vendor ?? "function";
  if (jsonSchema !== undefined) return { checked_by, json_schema: jsonSchema };
  const converted = convert(() => standard?.jsonSchema?.input({ target: "draft-2020-12" })) ??
    convert(() => (check as { toJsonSchema?: () => unknown }).toJsonSchema?.());
  return { checked_by, json_schema: converted ?? null };
}

/** A converter's answer when it is a JSON object; a throw (a construct with no form) is none. */
function convert(run: () => unknown): JsonObject | undefined {
  try {
    const schema = run();
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return undefined;
    // A converter may leave functions or undefined in its output: keep what JSON keeps.
    return JSON.parse(JSON.stringify(schema)) as JsonObject;
  } catch {
    return undefined;
  }
}
