/**
 * Write external adapters for [alembic](https://github.com/cyberwitchery/alembic), the
 * network-inventory engine, in TypeScript, and run them under Deno, Node or Bun.
 *
 * alembic spawns an adapter once per request, writes one JSON request to its stdin and reads
 * one JSON response from its stdout. {@link run} does all of that: you implement the methods
 * your backend supports, on a plain object or a subclass of {@link Adapter}.
 *
 * | method | wire name | default |
 * |---|---|---|
 * | `read(schema, types, state, scope?)` | `read` | `[]` |
 * | `write(schema, ops, state)` | `write` | fails: `adapter does not implement write` |
 * | `ensureSchema(schema)` | `ensure_schema` | `{}` |
 * | `previewSchema(schema)` | `preview_schema` | `{}` (`null` = cannot preview) |
 * | `capabilities()` | `capabilities` | the role your methods imply |
 * | `setup(config)` | (before every method) | nothing |
 *
 * Requests are validated before your code runs; results are checked against the protocol's
 * closed shapes before they are written. The IR keeps the protocol's field names
 * (`type_name`, `backend_id`), so alembic's documentation reads straight onto the types.
 *
 * @example Deno (`deno run adapter.ts`)
 * ```ts
 * import { applied, run } from "@alembic-adapter/sdk";
 *
 * run({
 *   read(_schema, types) {
 *     if (!types.includes("dcim.site")) return [];
 *     return [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: { name: "FRA1" }, backend_id: 1 }];
 *   },
 *   write(_schema, ops) {
 *     return { applied: ops.map((op, i) => applied(op, i + 1)) };
 *   },
 * });
 * ```
 *
 * @example Node (`npm install alembic-adapter-sdk`)
 * ```ts ignore
 * const { run } = require("alembic-adapter-sdk");
 * run({ read: () => [] });
 * ```
 *
 * @module
 */

export { Adapter, type AdapterMethods, impliedRole, type MaybePromise } from "./src/adapter.ts";
export { encodeResult, errorLine, successLine } from "./src/encode.ts";
export { EncodeError, errorMessage, RequestError } from "./src/errors.ts";
export { ALEMBIC_UID_NAMESPACE, keyString, objectUid, uidV5 } from "./src/identity.ts";
export {
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
  parseJson,
  stringifyJson,
} from "./src/json.ts";
export {
  type AlembicObject,
  type Create,
  decodeOps,
  type Delete,
  type FieldChange,
  type Object,
  type Op,
  type Update,
} from "./src/ops.ts";
export {
  type CapabilitiesRequest,
  type DecodeOptions,
  decodeRequest,
  type EnsureSchemaRequest,
  type Method,
  type PreviewSchemaRequest,
  PROTOCOL_VERSION,
  type ReadRequest,
  type Request,
  type RequestBase,
  type WriteRequest,
} from "./src/request.ts";
export { respond } from "./src/respond.ts";
export {
  applied,
  type AppliedOp,
  type ApplyReport,
  type Capabilities,
  deleted,
  type ExternalObject,
  PROVISION_CATEGORIES,
  type ProvisionReport,
  type Role,
} from "./src/results.ts";
export { readText, run } from "./src/run.ts";
export { type RuntimeName, runtimeName } from "./src/runtime.ts";
export {
  decodeFieldSchema,
  decodeSchema,
  type EnumType,
  type FieldFormat,
  type FieldKind,
  fieldKind,
  type FieldSchema,
  type FieldSchemaInput,
  type FieldType,
  type ListRefType,
  type ListType,
  type MapType,
  type RefType,
  type Schema,
  type SimpleKind,
  type TypeSchema,
} from "./src/schema.ts";
export {
  backendRefs,
  type BackendRow,
  resolveRefKeyedIdentity,
  UidIndex,
  WriteIds,
} from "./src/refs.ts";
export {
  decodeScope,
  type FullScope,
  type NarrowedScope,
  type ReadScope,
  type ScopeCandidate,
  ScopeHint,
  type ScopeKey,
} from "./src/scope.ts";
export { decodeState, State, type StateMappings } from "./src/state.ts";
export { validateRead, type ValidateReadOptions } from "./src/value_space/read_rules.ts";
export { validateSchema } from "./src/value_space/schema_rules.ts";
export type { ValueProblem, ValueProblemKind } from "./src/value_space/problems.ts";
export {
  type Attrs,
  type BackendId,
  canonicalUuid,
  isBackendId,
  isUuid,
  type Key,
  type Uid,
} from "./src/values.ts";
