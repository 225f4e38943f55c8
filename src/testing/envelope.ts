/**
 * The response envelope as a test sees it, parsed.
 *
 * @module
 */

import type { JsonValue } from "../json.ts";

/**
 * A parsed response: a success with its result, or a failure with its error text. Integers
 * beyond 2^53−1 in the result are `bigint`s, as the SDK decodes them.
 *
 * @example
 * ```ts
 * import type { Envelope } from "@alembic-adapter/sdk/testing";
 * function resultOf(envelope: Envelope): unknown {
 *   if (!envelope.ok) throw new Error(envelope.error);
 *   return envelope.result;
 * }
 * ```
 */
export type Envelope = { ok: true; result: JsonValue } | { ok: false; error: string };
