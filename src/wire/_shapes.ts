/**
 * The closed shapes of the results the encoders check: which keys a read object and an apply
 * report may hold, in wire order, and how deep the host reads. Shared by the full encoder
 * (`encode.ts`) and its quick path (`_quick_check.ts`), which must agree on them.
 *
 * @module
 */

/**
 * The deepest nesting the host's JSON reader accepts (serde_json's recursion limit), counted
 * over the whole response document including the envelope.
 */
export const MAX_DEPTH = 127;

/** Depth of the result value itself: the envelope object is level 1. */
export const RESULT_DEPTH = 2;

/** The keys of a read object on the wire, in the order the encoder writes them. */
export const WIRE_ORDER: readonly string[] = ["type_name", "key", "attrs", "backend_id"];
/** The keys a read object may hold. */
export const OBJECT_KEYS: ReadonlySet<string> = new Set(WIRE_ORDER);
/** The keys an apply report may hold. */
export const REPORT_KEYS: ReadonlySet<string> = new Set([
  "applied",
  "resumed",
  "previously_applied_count",
  "provision",
]);
