// Adapters with the mistakes authors make, each selected by the first argument, for the
// conformance runner to catch. Some bypass run() to break the process contract on purpose.
import { writeSync } from "node:fs";
import process from "node:process";
import { applied, type ExternalObject, objectUid, run, ScopeHint } from "../../mod.ts";

const mode = process.argv[2];
const SITE = {
  type_name: "dcim.site",
  key: { slug: "fra1" },
  attrs: { name: "FRA1" },
  backend_id: 1,
};
const DRIFTED = {
  type_name: "dcim.site",
  key: { slug: "ams1" },
  attrs: { name: "AMS1" },
  backend_id: 2,
};

async function request(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

switch (mode) {
  case "stdout-log":
    // A log line written straight to fd 1, around the SDK's back.
    writeSync(1, "connecting to backend...\n");
    run({ read: () => [] });
    break;
  case "exit-1-on-error":
    request().then((text) => {
      try {
        JSON.parse(text);
        writeSync(1, '{"ok":true,"result":[]}\n');
      } catch {
        writeSync(1, '{"ok":false,"error":"bad json"}\n');
        process.exitCode = 1;
      }
    });
    break;
  case "unknown-envelope-key":
    request().then(() => writeSync(1, '{"ok":true,"result":[],"warnings":[]}\n'));
    break;
  case "ref-as-backend-id":
    run({
      read: (_schema, types): ExternalObject[] =>
        types.includes("dcim.device")
          ? [SITE, {
            type_name: "dcim.device",
            key: { name: "sw1" },
            attrs: { site: 1 },
            backend_id: 5,
          }]
          : [],
    });
    break;
  case "int-as-float":
    // What a Python adapter writes for an int it computed as a float: `1500.0`.
    request().then(() =>
      writeSync(
        1,
        `{"ok":true,"result":[${
          JSON.stringify(SITE)
        },{"type_name":"dcim.device","key":{"name":"sw1"},"attrs":{"site":"${
          objectUid("dcim.site", SITE.key)
        }","mtu":1500.0},"backend_id":5}]}\n`,
      )
    );
    break;
  case "keys-only-narrowing":
    // Honours only the key half of the scope: an object named by its backend id alone is lost.
    run({
      read: (_schema, types, _state, scope): ExternalObject[] => {
        const all = [SITE, DRIFTED].filter((o) => types.includes(o.type_name));
        if (scope?.kind !== "narrowed") return all;
        const keys = new Set((scope.keys["dcim.site"] ?? []).map((k) => k.canonical));
        return all.filter((o) => keys.has(JSON.stringify(o.key)));
      },
      write: (_schema, ops) => ({ applied: ops.map((op, i) => applied(op, i + 1)) }),
    });
    break;
  case "ids-only-narrowing":
    // Honours only the backend-id half: an object state never bound, named by its key, is lost.
    run({
      read: (_schema, types, _state, scope): ExternalObject[] => {
        const all = [SITE, DRIFTED].filter((o) => types.includes(o.type_name));
        if (scope?.kind !== "narrowed") return all;
        const ids = new Set(scope.backend_ids["dcim.site"] ?? []);
        return all.filter((o) => ids.has(o.backend_id));
      },
    });
    break;
  case "union-narrowing":
    run({
      read: (_schema, types, _state, scope) =>
        new ScopeHint(scope).filter([SITE, DRIFTED].filter((o) => types.includes(o.type_name))),
    });
    break;
  case "create-without-id":
    // Reports every op as applied and never says under which id the backend holds it.
    run({
      write: (_schema, ops) => ({
        applied: ops.map((op) => ({ uid: op.uid, type_name: op.type_name })),
      }),
    });
    break;
  case "phantom-entry":
    // Around the SDK's back, which would refuse it: an emitter whose every write reports an
    // object no op asked for.
    request().then((text) => {
      let method: unknown;
      try {
        const parsed = JSON.parse(text);
        method = parsed.version === 1 ? parsed.method : undefined;
      } catch {
        method = undefined;
      }
      const result = method === "capabilities" ? { role: "emitter" } : method === "write"
        ? {
          applied: [{
            uid: "065690e9-7b8d-5a15-acc8-a6db4c42efb5",
            type_name: "dcim.site",
            backend_id: 1,
          }],
          provision: {},
        }
        : method === "preview_schema" || method === "ensure_schema"
        ? {}
        : undefined;
      writeSync(
        1,
        `${
          JSON.stringify(
            result === undefined ? { ok: false, error: "refused" } : { ok: true, result },
          )
        }\n`,
      );
    });
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
