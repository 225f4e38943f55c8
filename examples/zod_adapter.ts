/**
 * A complete typed adapter whose setup is declared with zod: the sites it reports are listed in
 * the backend config's `setup:` block. The README shows this file and what `--about` prints.
 *
 *     deno run examples/zod_adapter.ts --about
 *
 * @module
 */

import { z } from "zod";
import { defineAdapter, type DefinedAdapter, type ExternalObject, run } from "../mod.ts";

const Setup = z.object({
  region: z.string().min(1),
  sites: z.array(z.object({ slug: z.string().regex(/^[a-z0-9-]+$/), name: z.string() })),
  tenant: z.string().optional(),
});

export const adapter: DefinedAdapter = defineAdapter({
  name: "static-sites",
  version: "1.0.0",
  description: "Sites listed in the backend config.",
  setup: Setup,
  read(_schema, types, _state, _scope, setup): ExternalObject[] {
    if (!types.includes("dcim.site")) return [];
    return setup.sites.map((site, i) => ({
      type_name: "dcim.site",
      key: { slug: site.slug },
      attrs: { name: site.name, region: setup.region, tenant: setup.tenant ?? null },
      backend_id: i + 1,
    }));
  },
});

run(adapter, { ifMain: import.meta });
