// An adapter that hands back what it was sent, so tests can see what a request looks like after
// the SDK decoded it, and whether anything survives the way back out:
//
// - read answers `setup.objects` verbatim (results built from request data), then one object
//   whose attrs hold the decoded `setup`, `schema`, `types`, `state.mappings` and `scope`;
// - write answers every op as applied, with the decoded op as JSON text in its backend id (the
//   apply report is closed, a backend id may be any string);
// - ensure_schema and preview_schema list the schema's type names, and the decoded schema as
//   JSON text in `created_fields`.
//
// Every method first checks that decoding changed no prototype: a polluted Object.prototype, or
// a container that is not a plain object or array, fails the call with `prototype changed: …`.
// `setup.report === "memory"` makes read answer the peak memory so far instead (Linux only).
import { readFileSync } from "node:fs";
import { type ExternalObject, type JsonValue, type ReadScope, run, type State } from "../../mod.ts";
import { stringifyJson } from "../../codec.ts";

const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort().join(",");
const ARRAY_PROTOTYPE = Object.getOwnPropertyNames(Array.prototype).sort().join(",");

let setup: JsonValue = null;

/** Throws when a prototype changed, or a decoded container is not plain. */
function pristine(request: Record<string, unknown>): void {
  if (Object.getOwnPropertyNames(Object.prototype).sort().join(",") !== OBJECT_PROTOTYPE) {
    throw new Error("prototype changed: Object.prototype gained or lost a property");
  }
  if (Object.getOwnPropertyNames(Array.prototype).sort().join(",") !== ARRAY_PROTOTYPE) {
    throw new Error("prototype changed: Array.prototype gained or lost a property");
  }
  // Iterative, and paths are built only on failure: a request may nest 100k levels deep.
  type Visit = { value: unknown; key: string; parent?: Visit };
  const where = (v: Visit): string => (v.parent ? `${where(v.parent)}.${v.key}` : v.key);
  const stack: Visit[] = [{ value: request, key: "request" }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const value = visit.value;
    if (value === null || typeof value !== "object") continue;
    const proto = Object.getPrototypeOf(value);
    const plain = Array.isArray(value)
      ? proto === Array.prototype
      // State is the SDK's own wrapper; everything else is decoded JSON.
      : proto === Object.prototype || proto === null || visit.key === "state";
    if (!plain) throw new Error(`prototype changed: ${where(visit)}`);
    for (const key of Object.keys(value)) {
      stack.push({ value: (value as Record<string, unknown>)[key], key, parent: visit });
    }
  }
}

function peakMemoryKb(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  return Number(/VmHWM:\s*(\d+)/.exec(status)?.[1]);
}

function setupObject(): Record<string, JsonValue> {
  return setup !== null && typeof setup === "object" && !Array.isArray(setup) ? setup : {};
}

run({
  setup(config) {
    setup = config;
    pristine({ setup: config });
  },
  read(schema, types, state: State, scope?: ReadScope): ExternalObject[] {
    pristine({ schema, types, state, mappings: state.mappings, scope });
    if (setupObject().report === "memory") {
      return [{ type_name: "echo.memory", key: {}, attrs: { peak_kb: peakMemoryKb() } }];
    }
    const objects = setupObject().objects;
    return [
      ...(Array.isArray(objects) ? objects as unknown as ExternalObject[] : []),
      {
        type_name: "echo.request",
        key: {},
        attrs: {
          setup,
          schema: schema as unknown as JsonValue,
          types,
          mappings: state.mappings as unknown as JsonValue,
          scope: (scope ?? null) as unknown as JsonValue,
        },
      },
    ];
  },
  write(schema, ops, state) {
    pristine({ schema, ops, state, mappings: state.mappings });
    return {
      applied: ops.map((op) => ({
        uid: op.uid,
        type_name: op.type_name,
        backend_id: stringifyJson(op, true),
      })),
    };
  },
  ensureSchema(schema) {
    pristine({ schema });
    return {
      created_object_types: Object.keys(schema.types),
      created_fields: [stringifyJson(schema, true)],
    };
  },
  previewSchema(schema) {
    pristine({ schema });
    return {
      created_object_types: Object.keys(schema.types),
      created_fields: [stringifyJson(schema, true)],
    };
  },
});
