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
 * import { type AdapterMethods, applied, run } from "@alembic-adapter/sdk";
 *
 * const adapter: AdapterMethods = {
 *   read(_schema, types) {
 *     if (!types.includes("dcim.site")) return [];
 *     return [{ type_name: "dcim.site", key: { site: "fra1" }, attrs: { name: "FRA1" }, backend_id: 1 }];
 *   },
 *   write(_schema, ops) {
 *     return { applied: ops.map((op, i) => applied(op, i + 1)) };
 *   },
 * };
 * // Serve when Deno runs this file, not when the adapter's own tests import it.
 * if (import.meta.main) run(adapter);
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

export {
  Adapter,
  type AdapterAbout,
  type AdapterDefinition,
  type AdapterInfo,
  type AdapterLike,
  type AdapterMethods,
  defineAdapter,
  type DefinedAdapter,
  type DefinedAdapterParts,
  type MaybePromise,
  type WireMethod,
} from "./src/adapter.ts";
export { run, type RunOptions } from "./src/run.ts";
export { type ImportMetaLike, type RuntimeName, runtimeName } from "./src/runtime.ts";
export { type AboutDocument, describeAdapter, SDK_VERSION } from "./src/about/describe.ts";
export type { SetupCheck, SetupDescription } from "./src/setup/check.ts";
export type {
  InferOutput,
  StandardIssue,
  StandardJsonSchemaConverter,
  StandardJsonSchemaOptions,
  StandardPathSegment,
  StandardResult,
  StandardSchemaProps,
  StandardSchemaV1,
  StandardTypes,
} from "./src/setup/standard_schema.ts";
export type { JsonObject, JsonPrimitive, JsonValue } from "./src/wire/json.ts";
export type { AlembicObject, Create, Delete, FieldChange, Op, Update } from "./src/wire/ops.ts";
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
} from "./src/wire/results.ts";
export {
  type EnumType,
  type FieldFormat,
  type FieldKind,
  fieldKind,
  type FieldSchema,
  type FieldType,
  type ListRefType,
  type ListType,
  type MapType,
  type RefType,
  type Schema,
  type SimpleKind,
  type TypeSchema,
} from "./src/wire/schema.ts";
export type { FullScope, NarrowedScope, ReadScope, ScopeKey } from "./src/wire/scope.ts";
export { State, type StateMappings } from "./src/wire/state.ts";
export {
  type Attrs,
  type BackendId,
  canonicalUuid,
  isBackendId,
  isUuid,
  type Key,
  type Uid,
} from "./src/wire/values.ts";
export { ALEMBIC_UID_NAMESPACE, keyString, objectUid, uidV5 } from "./src/identity/uids.ts";
export {
  backendRefs,
  type BackendRow,
  resolveRefKeyedIdentity,
  UidIndex,
  WriteIds,
} from "./src/identity/refs.ts";
export { type ScopeCandidate, ScopeHint } from "./src/identity/scope_hint.ts";
