/**
 * What value-space validation reports: one {@link ValueProblem} per broken rule, with
 * alembic's own message and where to look.
 *
 * @module
 */

import type { FieldType } from "../wire/schema.ts";

/**
 * The rule a problem breaks, named as alembic's `ValidationError` variants are serialized.
 * `duplicate_backend_id` is the host's own read rule; the others are alembic-core's
 * inventory validation, which the conformance runner applies to read cases.
 *
 * @example
 * ```ts
 * import type { ValueProblemKind } from "@alembic-adapter/sdk/checks";
 * const refRules: ValueProblemKind[] = ["missing_reference", "reference_type_mismatch"];
 * ```
 */
export type ValueProblemKind =
  | "missing_key"
  | "duplicate_uid"
  | "duplicate_key"
  | "duplicate_backend_id"
  | "missing_key_field"
  | "extra_key_field"
  | "missing_attr_field"
  | "extra_attr_field"
  | "invalid_value"
  | "missing_reference"
  | "reference_type_mismatch"
  | "unknown_ref_target"
  | "invalid_schema_pattern"
  | "constraint_on_non_string_field"
  | "conflicting_format"
  | "empty_enum"
  | "non_scalar_key_field"
  | "nullable_key_field"
  | "key_field_disagreement";

/**
 * One broken value-space rule.
 *
 * @example
 * ```ts
 * import type { ValueProblem } from "@alembic-adapter/sdk/checks";
 * const problem: ValueProblem = {
 *   kind: "invalid_value",
 *   message: "invalid value for dcim.site.opened: expected date, got 2026-02-30",
 *   index: 0,
 *   typeName: "dcim.site",
 *   field: "opened",
 * };
 * ```
 */
export interface ValueProblem {
  /** The rule. */
  kind: ValueProblemKind;
  /** alembic's text for it, as the host and the conformance runner print it. */
  message: string;
  /** The position of the offending object in the validated list; absent for schema rules. */
  index?: number;
  /** The type the problem belongs to. */
  typeName?: string;
  /** The field, as alembic labels it: `key.<name>` for key fields, `<name>` for attributes. */
  field?: string;
}

/** alembic's label for a field type in messages: `string`, `enum`, `ref(dcim.site)`, … */
export function fieldTypeLabel(type: FieldType): string {
  if (typeof type === "string") return type;
  if (type.type === "ref" || type.type === "list_ref") return `${type.type}(${type.target})`;
  return type.type;
}

/** alembic's label for a JSON value's type in messages. */
export function valueTypeLabel(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "number":
    case "bigint":
      return "number";
    case "string":
      return "string";
  }
  return Array.isArray(value) ? "array" : "object";
}
