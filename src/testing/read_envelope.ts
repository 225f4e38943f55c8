/**
 * The structural judgement of an adapter process's answer, as alembic's conformance runner
 * (`alembic-adapter-test` 0.10) makes it: the process ended well, stdout is one JSON document,
 * and that document is a closed, consistent envelope. The first failing step gives the message.
 * `spawnAdapter` reports it; the conformance judge builds its expectations on it.
 *
 * @module
 */

import { type ExactJson, ExactJsonError, parseExact } from "./exact_json.ts";
import { type ProcessOutcome, statusText } from "./process.ts";

/** A response envelope that passed the structural steps. */
export interface ExactEnvelope {
  /** The `ok` flag. */
  ok: boolean;
  /** The result, when present and not `null`. */
  result?: ExactJson;
  /** The error text, when present and not `null`. */
  error?: string;
}

/** A judged response: the failure message, if any, and the envelope when one was read. */
export interface Verdict {
  /** Why the response fails, or `undefined` when it passes. */
  failure?: string | undefined;
  /** The envelope, when the response got that far. */
  envelope?: ExactEnvelope;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Reads the envelope out of a finished process (the runner's first seven steps).
 *
 * @param outcome The process outcome.
 * @param method The request's method (only `preview_schema` may answer a `null` result).
 * @returns The envelope, or the failure.
 */
export function readEnvelope(outcome: ProcessOutcome, method: string): Verdict {
  const status = outcome.status;
  if (status.kind === "timed out") return { failure: "did not terminate within the timeout" };
  if (status.kind === "did not start") return { failure: "adapter did not start" };
  if (status.kind === "signal" || status.code !== 0) {
    return { failure: `adapter exited unsuccessfully (${statusText(status)})` };
  }
  let document: ExactJson;
  try {
    document = parseExact(decoder.decode(outcome.stdout));
  } catch (e) {
    if (e instanceof ExactJsonError && e.trailing) {
      return { failure: "stdout has trailing output after the json document" };
    }
    const detail = e instanceof ExactJsonError ? e.message : "stream did not contain valid UTF-8";
    return { failure: `stdout is not one json document: ${detail}` };
  }
  if (!(document instanceof Map)) {
    return {
      failure: `not a response envelope: invalid type: ${
        serdeWords(document)
      }, expected struct ExternalResponse`,
    };
  }
  for (const key of document.keys()) {
    if (key !== "ok" && key !== "result" && key !== "error") {
      return { failure: `bad response envelope: unknown key ${key}` };
    }
  }
  const ok = document.get("ok");
  if (ok === undefined) return { failure: "not a response envelope: missing field `ok`" };
  if (typeof ok !== "boolean") {
    return {
      failure: `not a response envelope: invalid type: ${serdeWords(ok)}, expected a boolean`,
    };
  }
  const error = document.get("error") ?? undefined;
  if (error !== undefined && error !== null && typeof error !== "string") {
    return {
      failure: `not a response envelope: invalid type: ${serdeWords(error)}, expected a string`,
    };
  }
  const result = document.get("result") ?? undefined;
  const envelope: ExactEnvelope = { ok };
  if (result !== undefined && result !== null) envelope.result = result;
  if (typeof error === "string") envelope.error = error;
  const hasResult = envelope.result !== undefined;
  const hasError = envelope.error !== undefined;
  const consistent = ok
    ? !hasError && (hasResult || method === "preview_schema")
    : !hasResult && hasError && envelope.error !== "";
  if (!consistent) {
    if (!ok && !hasResult && envelope.error === "") {
      return { failure: "inconsistent envelope: error message is empty" };
    }
    return {
      failure: `inconsistent envelope: ok=${ok}, has_result=${hasResult}, has_error=${hasError}`,
    };
  }
  return { envelope };
}

/** serde's words for an unexpected value. */
function serdeWords(value: ExactJson): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "sequence";
  if (value instanceof Map) return "map";
  return value.kind === "int" ? `integer \`${value.value}\`` : `floating point \`${value.value}\``;
}
