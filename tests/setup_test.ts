// Typed, validated setup: a Standard Schema validator (zod and valibot here, and hand-written
// ones for the edges) checks `setup` before any method, capabilities included; a refusal answers
// `invalid setup: <path>: <message>; …`, and the methods receive the validator's output.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import { z } from "zod";
import {
  Adapter,
  defineAdapter,
  type ExternalObject,
  type ReadScope,
  type Schema,
  type StandardIssue,
  type StandardSchemaV1,
  type State,
} from "../mod.ts";
import { invoke, request, schemaOf, scope } from "../testing.ts";

const schema = schemaOf({ t: { key: { k: "string" } } });
// Written out rather than built: the builders stand in `{}` for a null setup.
const readWith = (setup: unknown) => ({ ...request.read({ schema, types: ["t"] }), setup });
const capabilitiesWith = (setup: unknown) => ({ version: 1, setup, method: "capabilities" });

/** A validator that reports `issues` for anything. */
const refusing = (issues: StandardIssue[]): StandardSchemaV1<unknown, never> => ({
  "~standard": { version: 1, vendor: "test", validate: () => ({ issues }) },
});

describe("setup validated with zod", () => {
  const Setup = z.object({
    host: z.string(),
    port: z.number().int().default(443),
    since: z.string().transform((s) => new Date(s)),
  });
  const seen: unknown[] = [];
  const adapter = defineAdapter({
    name: "zod-test",
    version: "1.0.0",
    setup: Setup,
    read(_schema, _types, _state, _scope, setup): ExternalObject[] {
      // Typed from the validator's output: a Date, a number with its default filled in.
      const year: number = setup.since.getUTCFullYear();
      const port: number = setup.port;
      seen.push([setup.host, port, year]);
      return [];
    },
  });

  it("answers each issue as `<path>: <message>`, joined by `; `", async () => {
    assert.deepEqual(await invoke(adapter, readWith({ host: 1, since: "2020-01-01" })), {
      ok: false,
      error: "invalid setup: host: Invalid input: expected string, received number",
    });
    assert.deepEqual(await invoke(adapter, readWith({ port: 1.5 })), {
      ok: false,
      error: "invalid setup: host: Invalid input: expected string, received undefined; " +
        "port: Invalid input: expected int, received number; " +
        "since: Invalid input: expected string, received undefined",
    });
  });

  it("checks before capabilities too, and a missing block (null) like any other", async () => {
    assert.deepEqual(await invoke(adapter, capabilitiesWith({})), {
      ok: false,
      error: "invalid setup: host: Invalid input: expected string, received undefined; " +
        "since: Invalid input: expected string, received undefined",
    });
    assert.deepEqual(await invoke(adapter, capabilitiesWith(null)), {
      ok: false,
      error: "invalid setup: Invalid input: expected object, received null",
    });
  });

  it("gives the methods the validator's output", async () => {
    seen.length = 0;
    const reply = await invoke(adapter, readWith({ host: "h", since: "2021-06-01" }));
    assert.deepEqual(reply, { ok: true, result: [] });
    assert.deepEqual(seen, [["h", 443, 2021]]);
  });

  it("names nested paths as the request errors do", async () => {
    const Nested = z.object({ sites: z.array(z.object({ "slug name": z.string() })) });
    const nested = defineAdapter({ name: "n", version: "1", setup: Nested });
    assert.deepEqual(
      await invoke(nested, capabilitiesWith({ sites: [{ "slug name": "a" }, {}] })),
      {
        ok: false,
        error:
          'invalid setup: sites[1]["slug name"]: Invalid input: expected string, received undefined',
      },
    );
  });
});

describe("setup validated with valibot", () => {
  const Setup = v.object({ host: v.string(), page_size: v.optional(v.number(), 100) });
  const adapter = defineAdapter({
    name: "valibot-test",
    version: "1.0.0",
    setup: Setup,
    ensureSchema(_schema, setup) {
      const size: number = setup.page_size;
      return { created_tags: [`${setup.host}:${size}`] };
    },
  });

  it("answers valibot's issues, with its path objects", async () => {
    assert.deepEqual(await invoke(adapter, request.ensureSchema({ schema, setup: { host: 1 } })), {
      ok: false,
      error: "invalid setup: host: Invalid type: Expected string but received 1",
    });
  });

  it("gives the methods the output, defaults filled in", async () => {
    assert.deepEqual(
      await invoke(adapter, request.ensureSchema({ schema, setup: { host: "h" } })),
      {
        ok: true,
        result: { created_tags: ["h:100"] },
      },
    );
  });
});

describe("the Standard Schema interface at its edges", () => {
  const answer = async (
    check: StandardSchemaV1<unknown, unknown>,
  ): Promise<
    unknown
  > => (await invoke(
    defineAdapter({ name: "e", version: "1", setup: check }),
    capabilitiesWith({}),
  ));

  it("takes path segments as keys or { key } objects, numbers and symbols included", async () => {
    assert.deepEqual(
      await answer(refusing([
        { message: "a", path: [{ key: "hosts" }, { key: 0 }, "name"] },
        { message: "b", path: [Symbol("s")] },
        { message: "c", path: [] },
        { message: "d" },
      ])),
      { ok: false, error: "invalid setup: hosts[0].name: a; [Symbol(s)]: b; c; d" },
    );
  });

  it("never answers an empty error", async () => {
    assert.deepEqual(await answer(refusing([])), {
      ok: false,
      error: "invalid setup: the validator found it invalid without saying why",
    });
    assert.deepEqual(await answer(refusing([{ message: "", path: ["host"] }])), {
      ok: false,
      error: "invalid setup: host: invalid",
    });
  });

  it("awaits an asynchronous validation", async () => {
    const later: StandardSchemaV1<unknown, unknown> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => Promise.resolve({ issues: [{ message: "checked later", path: ["x"] }] }),
      },
    };
    assert.deepEqual(await answer(later), { ok: false, error: "invalid setup: x: checked later" });
  });

  it("answers what a validator throws", async () => {
    const broken: StandardSchemaV1<unknown, unknown> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: () => {
          throw new Error("validator blew up");
        },
      },
    };
    assert.deepEqual(await answer(broken), {
      ok: false,
      error: "invalid setup: validator blew up",
    });
  });
});

describe("setup checked by a function", () => {
  const adapter = defineAdapter({
    name: "f",
    version: "1",
    setup: (config) => {
      if (typeof config !== "number") throw new Error("expected a number");
      return { n: config };
    },
    capabilities: (setup) => ({ role: setup.n > 0 ? "observer" : "emitter" }),
  });

  it("answers what it throws, and gives its return value to the methods", async () => {
    assert.deepEqual(await invoke(adapter, capabilitiesWith("x")), {
      ok: false,
      error: "invalid setup: expected a number",
    });
    assert.deepEqual(await invoke(adapter, capabilitiesWith(1)), {
      ok: true,
      result: { role: "observer" },
    });
  });
});

describe("without a validator", () => {
  it("the methods receive the block as it came, and the scope in its own place", async () => {
    const calls: unknown[] = [];
    const adapter = defineAdapter({
      name: "raw",
      version: "1",
      read(_schema, _types, _state, hint: ReadScope | undefined, setup) {
        calls.push([hint, setup]);
        return [];
      },
    });
    await invoke(adapter, readWith(null));
    await invoke(
      adapter,
      request.read({ schema, types: ["t"], setup: { a: 1 }, scope: scope.full() }),
    );
    assert.deepEqual(calls, [[undefined, null], [{ kind: "full" }, { a: 1 }]]);
  });
});

describe("each request gets its own setup", () => {
  // The setup is bound per request, not stored on the adapter: requests served side by side
  // (as tests do) must not see each other's.
  it("concurrent invokes keep theirs", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => release = resolve);
    const adapter = defineAdapter({
      name: "c",
      version: "1",
      setup: z.object({ id: z.string() }),
      async read(_schema, _types, _state, _scope, setup): Promise<ExternalObject[]> {
        const id = setup.id;
        await gate;
        return [{ type_name: "t", key: { k: id } }];
      },
    });
    const first = invoke(adapter, readWith({ id: "first" }));
    const second = invoke(adapter, readWith({ id: "second" }));
    release();
    const keys = (await Promise.all([first, second])).map((r) =>
      r.ok ? (r.result as unknown as ExternalObject[])[0]!.key.k : r.error
    );
    assert.deepEqual(keys, ["first", "second"]);
  });
});

describe("a class, through defineAdapter(info, instance)", () => {
  const Setup = z.object({ site: z.string() });
  type Setup = z.output<typeof Setup>;
  class OneSite extends Adapter<Setup> {
    site = "";
    override setup(config: Setup): void {
      if (config.site === "forbidden") throw new Error("that site is not ours");
      this.site = config.site;
    }
    override read(_schema: Schema, _types: string[], _state: State): ExternalObject[] {
      return [{ type_name: "t", key: { k: this.site } }];
    }
  }
  const adapter = defineAdapter(
    { name: "one-site", version: "1.0.0", setup: Setup },
    new OneSite(),
  );

  it("validates first, then gives the hook the output", async () => {
    assert.deepEqual(await invoke(adapter, readWith({ site: 1 })), {
      ok: false,
      error: "invalid setup: site: Invalid input: expected string, received number",
    });
    assert.deepEqual(await invoke(adapter, readWith({ site: "fra1" })), {
      ok: true,
      result: [{ type_name: "t", key: { k: "fra1" }, attrs: {} }],
    });
  });

  it("answers what the hook throws as invalid setup, as before", async () => {
    assert.deepEqual(await invoke(adapter, readWith({ site: "forbidden" })), {
      ok: false,
      error: "invalid setup: that site is not ours",
    });
  });

  it("keeps the role its overrides imply", async () => {
    assert.deepEqual(await invoke(adapter, capabilitiesWith({ site: "x" })), {
      ok: true,
      result: { role: "observer" },
    });
  });
});
