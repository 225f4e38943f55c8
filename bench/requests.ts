/**
 * The benchmark's requests, generated deterministically: the same bytes on every machine.
 *
 * @module
 */

import { deviceAttrs, fakeUid, SITES } from "./adapters/backend.mjs";

/** How many objects the large rows move. */
export const OBJECTS = 100_000;

const FIELD = (type: unknown) => ({ type, required: false, nullable: false });

/** The schema, in the host's nested spelling, of the types the backend holds. */
export function schema(): unknown {
  return {
    types: {
      "dcim.site": { key: { slug: FIELD("slug") }, fields: { name: FIELD("string") } },
      "dcim.device": {
        key: { name: FIELD("string") },
        fields: {
          name: FIELD("string"),
          site: { type: { type: "ref", target: "dcim.site" }, required: true, nullable: false },
          tags: FIELD({ type: "list", item: "string" }),
          serial: FIELD("string"),
          asset_tag: FIELD("int"),
          comments: { type: "text", required: false, nullable: true },
        },
      },
    },
  };
}

function siteMappings(): Record<string, number> {
  const sites: Record<string, number> = {};
  for (let s = 1; s <= SITES; s++) sites[fakeUid("site", s)] = s;
  return sites;
}

/** The conformance runner's `protocol/read-empty` request, byte for byte. */
export function emptyReadRequest(): string {
  return '{"version":1,"setup":{},"method":"read","schema":{"types":{}},"types":[],"state":{}}';
}

/**
 * A `write` of `count` creates of `dcim.device`, each referencing a site that state binds.
 * About 35 MB at 100k ops.
 */
export function writeRequest(
  count: number = OBJECTS,
  setup: unknown = { endpoint: "https://backend.example", page_size: 200 },
): string {
  const ops = new Array(count);
  for (let i = 1; i <= count; i++) {
    const uid = fakeUid("device", i);
    const attrs = deviceAttrs(i, fakeUid("site", (i % SITES) + 1));
    ops[i - 1] = {
      op: "create",
      uid,
      type_name: "dcim.device",
      desired: { uid, type: "dcim.device", key: { name: attrs.name }, attrs },
    };
  }
  return JSON.stringify({
    version: 1,
    setup,
    method: "write",
    schema: schema(),
    ops,
    state: { mappings: { "dcim.site": siteMappings() } },
  });
}

/**
 * A `read` of both types; the backend answers with its `count` devices. State binds every site
 * and, with `bound`, every device too, as the host sends after an earlier apply; without, it is
 * a first import of the devices.
 */
export function readRequest(count: number = OBJECTS, bound = true): string {
  const devices: Record<string, number> = {};
  if (bound) { for (let i = 1; i <= count; i++) devices[fakeUid("device", i)] = i; }
  return JSON.stringify({
    version: 1,
    setup: { endpoint: "https://backend.example", page_size: 200, devices: count },
    method: "read",
    schema: schema(),
    types: ["dcim.device", "dcim.site"],
    state: { mappings: { "dcim.device": devices, "dcim.site": siteMappings() } },
  });
}
