/**
 * The value-space check of read cases (PROTOCOL.md §10.9).
 *
 * @module
 */

import { decodeSchema } from "../schema.ts";

/**
 * Decodes a read case's schema and checks the result against it.
 *
 * @param schema The case request's `schema`.
 * @param objects The read result.
 * @returns The problems' texts; empty when the result is in alembic's value space.
 * @throws {RequestError} when the schema does not decode.
 */
export function checkValueSpace(schema: unknown, objects: unknown[]): string[] {
  decodeSchema(schema);
  void objects; // TODO(validate): wire validateRead
  return [];
}
