/**
 * An adapter's answer as a test sees it, parsed.
 *
 * @module
 */

import type { JsonValue } from "../wire/json.ts";

/**
 * A parsed answer: a success with its result, or a failure with its error text. Integers
 * beyond 2^53−1 in the result are `bigint`s, as the SDK decodes them. `invoke` returns one, and
 * `spawnAdapter` reports one when the process's stdout held a well-formed envelope.
 *
 * @example
 * ```ts
 * import type { Reply } from "@alembic-adapter/sdk/testing";
 * function resultOf(reply: Reply): unknown {
 *   if (!reply.ok) throw new Error(reply.error);
 *   return reply.result;
 * }
 * ```
 */
export type Reply = { ok: true; result: JsonValue } | { ok: false; error: string };
