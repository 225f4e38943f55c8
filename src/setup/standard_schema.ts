/**
 * The Standard Schema v1 interface (standardschema.dev), declared here rather than imported:
 * the SDK takes no dependency on any validator, and a structural copy of the interface is what
 * the spec asks libraries that accept schemas to hold. zod, valibot, arktype and others carry it
 * under their schemas' `~standard` key, so any of them can declare an adapter's `setup`.
 *
 * Also the optional Standard JSON Schema extension (`~standard.jsonSchema`), through which a
 * validator says as JSON Schema what it accepts; `--about` prints that.
 *
 * @module
 */

/**
 * A validator in the Standard Schema v1 form: a zod, valibot or arktype schema, or any object
 * with a `~standard` member of this shape.
 *
 * @typeParam Input What the validator accepts.
 * @typeParam Output What it gives back when the value is valid (after defaults, transforms).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StandardSchemaV1 } from "@alembic-adapter/sdk";
 *
 * // A hand-written validator: a string, trimmed.
 * const trimmed: StandardSchemaV1<unknown, string> = {
 *   "~standard": {
 *     version: 1,
 *     vendor: "example",
 *     validate: (value) =>
 *       typeof value === "string" ? { value: value.trim() } : { issues: [{ message: "expected a string" }] },
 *   },
 * };
 * assert.deepEqual(trimmed["~standard"].validate(" a "), { value: "a" });
 * ```
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The validator's Standard Schema properties. */
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

/**
 * What a Standard Schema carries under `~standard`.
 *
 * @typeParam Input What the validator accepts.
 * @typeParam Output What it gives back.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StandardSchemaProps } from "@alembic-adapter/sdk";
 *
 * const anything: StandardSchemaProps<unknown, unknown> = {
 *   version: 1,
 *   vendor: "example",
 *   validate: (value) => ({ value }),
 * };
 * assert.equal(anything.vendor, "example");
 * ```
 */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the Standard Schema interface: 1. */
  readonly version: 1;
  /** The library that made the validator (`zod`, `valibot`, `arktype`, …). */
  readonly vendor: string;
  /** Checks a value; may answer synchronously or with a promise. */
  readonly validate: (
    value: unknown,
  ) => StandardResult<Output> | Promise<StandardResult<Output>>;
  /** The input and output types, for type inference only. */
  readonly types?: StandardTypes<Input, Output> | undefined;
  /** The Standard JSON Schema extension, when the validator implements it. */
  readonly jsonSchema?: StandardJsonSchemaConverter | undefined;
}

/**
 * The types a Standard Schema carries for inference (never present at run time).
 *
 * @typeParam Input What the validator accepts.
 * @typeParam Output What it gives back.
 * @example
 * ```ts
 * import type { StandardTypes } from "@alembic-adapter/sdk";
 * type Port = StandardTypes<string, number>["output"]; // number
 * const port: Port = 22;
 * ```
 */
export interface StandardTypes<Input = unknown, Output = Input> {
  /** The input type. */
  readonly input: Input;
  /** The output type. */
  readonly output: Output;
}

/**
 * What a validation answers: the (possibly transformed) value, or the issues found.
 *
 * @typeParam Output The valid value's type.
 * @example
 * ```ts
 * import type { StandardResult } from "@alembic-adapter/sdk";
 * const ok: StandardResult<number> = { value: 1 };
 * const bad: StandardResult<number> = { issues: [{ message: "expected a number", path: ["port"] }] };
 * ```
 */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/**
 * One problem a validator found, and where: the path's segments are keys, or `{ key }` objects.
 *
 * @example
 * ```ts
 * import type { StandardIssue } from "@alembic-adapter/sdk";
 * const issue: StandardIssue = { message: "Expected string", path: ["hosts", { key: 0 }] };
 * ```
 */
export interface StandardIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where: from the root of the validated value. Absent or empty for the value itself. */
  readonly path?: ReadonlyArray<PropertyKey | StandardPathSegment> | undefined;
}

/**
 * A path segment in its object form.
 *
 * @example
 * ```ts
 * import type { StandardPathSegment } from "@alembic-adapter/sdk";
 * const segment: StandardPathSegment = { key: "host" };
 * ```
 */
export interface StandardPathSegment {
  /** The key of this segment. */
  readonly key: PropertyKey;
}

/**
 * The Standard JSON Schema extension: converts the validator to JSON Schema, for its input side
 * (what it accepts) or its output side. May throw when a construct has no JSON Schema form.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { StandardJsonSchemaConverter } from "@alembic-adapter/sdk";
 *
 * const converter: StandardJsonSchemaConverter = {
 *   input: () => ({ type: "string" }),
 *   output: () => ({ type: "string" }),
 * };
 * assert.deepEqual(converter.input({ target: "draft-2020-12" }), { type: "string" });
 * ```
 */
export interface StandardJsonSchemaConverter {
  /** The JSON Schema of what the validator accepts. */
  readonly input: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
  /** The JSON Schema of what it gives back. */
  readonly output: (options: StandardJsonSchemaOptions) => Record<string, unknown>;
}

/**
 * Options of a {@link StandardJsonSchemaConverter}.
 *
 * @example
 * ```ts
 * import type { StandardJsonSchemaOptions } from "@alembic-adapter/sdk";
 * const options: StandardJsonSchemaOptions = { target: "draft-2020-12" };
 * ```
 */
export interface StandardJsonSchemaOptions {
  /** The JSON Schema dialect: `draft-2020-12`, `draft-07`, `openapi-3.0`, or another. */
  readonly target: string;
  /** Options for the vendor's own converter. */
  readonly libraryOptions?: Record<string, unknown> | undefined;
}

/**
 * The output type of a Standard Schema: what the validator gives back for a valid value.
 *
 * @typeParam S The validator.
 * @example
 * ```ts
 * import type { InferOutput, StandardSchemaV1 } from "@alembic-adapter/sdk";
 * type Port = StandardSchemaV1<string, number>;
 * const port: InferOutput<Port> = 22;
 * ```
 */
export type InferOutput<S extends StandardSchemaV1> = NonNullable<
  S["~standard"]["types"]
>["output"];
