// The adapter API through the whole request path: defaults, implied roles, sync and async
// methods, setup, and how failures of every kind are reported.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Adapter,
  type AdapterMethods,
  type ApplyReport,
  type ExternalObject,
  type JsonValue,
  type Op,
  type ReadScope,
  type Schema,
  type State,
} from "../mod.ts";
import { respond } from "../codec.ts";

const UID = "11111111-1111-1111-1111-111111111111";

const REQUESTS = {
  capabilities: { version: 1, setup: {}, method: "capabilities" },
  read: { version: 1, setup: {}, method: "read", schema: {}, types: ["t"], state: {} },
  write: { version: 1, setup: {}, method: "write", schema: {}, ops: [], state: {} },
  ensure_schema: { version: 1, setup: {}, method: "ensure_schema", schema: {} },
  preview_schema: { version: 1, setup: {}, method: "preview_schema", schema: {} },
};

async function answer(
  adapter: AdapterMethods,
  request: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const line = await respond(adapter, JSON.stringify(request), { warn: () => {} });
  assert.equal(line.indexOf("\n"), line.length - 1, "one line");
  return JSON.parse(line);
}

const role = async (adapter: AdapterMethods) =>
  (await answer(adapter, REQUESTS.capabilities)).result;

describe("defaults", () => {
  for (
    const [kind, adapter] of [["an empty object", {}], ["a bare Adapter", new Adapter()]] as const
  ) {
    it(`${kind} answers every method the protocol's way`, async () => {
      assert.deepEqual(await answer(adapter, REQUESTS.capabilities), {
        ok: true,
        result: { role: "adapter" },
      });
      assert.deepEqual(await answer(adapter, REQUESTS.read), { ok: true, result: [] });
      assert.deepEqual(await answer(adapter, REQUESTS.write), {
        ok: false,
        error: "adapter does not implement write",
      });
      assert.deepEqual(await answer(adapter, REQUESTS.ensure_schema), { ok: true, result: {} });
      assert.deepEqual(await answer(adapter, REQUESTS.preview_schema), { ok: true, result: {} });
    });
  }
});

describe("implied role", () => {
  it("follows which of read and write a plain object has", async () => {
    assert.deepEqual(await role({ read: () => [] }), { role: "observer" });
    assert.deepEqual(await role({ write: () => ({ applied: [] }) }), { role: "emitter" });
    assert.deepEqual(await role({ read: () => [], write: () => ({ applied: [] }) }), {
      role: "adapter",
    });
    assert.deepEqual(await role({ ensureSchema: () => ({}) }), { role: "adapter" });
  });

  it("follows which of read and write a subclass overrides", async () => {
    class Observer extends Adapter {
      override read(): ExternalObject[] {
        return [];
      }
    }
    class Emitter extends Adapter {
      override write(_s: Schema, ops: Op[]): ApplyReport {
        return { applied: ops.map((op) => ({ uid: op.uid, type_name: op.type_name })) };
      }
    }
    class Both extends Emitter {
      override read(): ExternalObject[] {
        return [];
      }
    }
    assert.deepEqual(await role(new Observer()), { role: "observer" });
    assert.deepEqual(await role(new Emitter()), { role: "emitter" });
    assert.deepEqual(await role(new Both()), { role: "adapter" });
  });

  it("gives way to an explicit answer", async () => {
    assert.deepEqual(await role({ read: () => [], capabilities: () => ({ role: "adapter" }) }), {
      role: "adapter",
    });
    class Declared extends Adapter {
      override capabilities() {
        return { role: "emitter" as const };
      }
    }
    assert.deepEqual(await role(new Declared()), { role: "emitter" });
  });
});

describe("methods", () => {
  it("may be sync or async", async () => {
    const site = { type_name: "t", key: { k: 1 } };
    assert.deepEqual((await answer({ read: () => [site] }, REQUESTS.read)).result, [{
      ...site,
      attrs: {},
    }]);
    assert.deepEqual(
      (await answer({ read: () => Promise.resolve([site]) }, REQUESTS.read)).result,
      [{ ...site, attrs: {} }],
    );
    assert.deepEqual(
      await answer({ previewSchema: () => Promise.resolve(null) }, REQUESTS.preview_schema),
      {
        ok: true,
        result: null,
      },
    );
  });

  it("receive the decoded request's members, and the scope only when sent", async () => {
    const calls: unknown[][] = [];
    const adapter = {
      read(schema: Schema, types: string[], state: State, ...rest: unknown[]) {
        calls.push([schema, types, state.mappings, rest.length, rest[0]]);
        return [];
      },
    };
    await answer(adapter, REQUESTS.read);
    await answer(adapter, { ...REQUESTS.read, scope: { kind: "full" } });
    assert.deepEqual(calls, [
      [{ types: {} }, ["t"], {}, 0, undefined],
      [{ types: {} }, ["t"], {}, 1, { kind: "full" } satisfies ReadScope],
    ]);
  });

  it("keep `this` for class methods", async () => {
    class Counter extends Adapter {
      base = 40;
      override setup(config: JsonValue): void {
        this.base += (config as { add: number }).add;
      }
      override ensureSchema() {
        return { created_tags: [String(this.base)] };
      }
    }
    assert.deepEqual(
      await answer(new Counter(), { ...REQUESTS.ensure_schema, setup: { add: 2 } }),
      {
        ok: true,
        result: { created_tags: ["42"] },
      },
    );
  });
});

describe("setup", () => {
  it("runs before every method, capabilities included, with the request's setup", async () => {
    const seen: unknown[] = [];
    const adapter: AdapterMethods = { setup: (config) => void seen.push(config), read: () => [] };
    for (const request of Object.values(REQUESTS)) {
      await answer(adapter, { ...request, setup: { n: seen.length } });
    }
    assert.deepEqual(seen, [{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  });

  it("receives null when the request has no setup", async () => {
    let received: unknown = "unset";
    await answer({ setup: (c) => void (received = c) }, { version: 1, method: "capabilities" });
    assert.equal(received, null);
  });

  it("failing answers `invalid setup: …` and skips the method", async () => {
    let ran = false;
    const adapter: AdapterMethods = {
      setup: () => Promise.reject(new Error("endpoint is required")),
      read: () => ((ran = true), []),
    };
    assert.deepEqual(await answer(adapter, REQUESTS.read), {
      ok: false,
      error: "invalid setup: endpoint is required",
    });
    assert.equal(ran, false);
  });

  it("never runs for a request that does not decode", async () => {
    let ran = false;
    await answer({ setup: () => void (ran = true) }, { ...REQUESTS.write, ops: [{ op: "nope" }] });
    assert.equal(ran, false);
  });
});

describe("failures", () => {
  const failing = (thrown: () => unknown): AdapterMethods => ({
    write: () => {
      throw thrown();
    },
  });
  const errorOf = async (adapter: AdapterMethods) => {
    const response = await answer(adapter, REQUESTS.write);
    assert.equal(response.ok, false);
    assert.deepEqual(Object.keys(response), ["ok", "error"]);
    return response.error;
  };

  it("report an error's message with its cause chain", async () => {
    const root = new Error("403 forbidden");
    assert.equal(
      await errorOf(failing(() => new Error("backend refused the write", { cause: root }))),
      "backend refused the write: 403 forbidden",
    );
    assert.equal(
      await errorOf(failing(() => new Error("create failed: 403 forbidden", { cause: root }))),
      "create failed: 403 forbidden",
      "a cause the message already quotes is not repeated",
    );
  });

  it("report rejections like throws", async () => {
    assert.equal(await errorOf({ write: () => Promise.reject(new TypeError("bad")) }), "bad");
  });

  it("are never empty, whatever was thrown", async () => {
    const cases: Array<[() => unknown, string]> = [
      [() => "plain string", "plain string"],
      [() => undefined, "write failed without an error message"],
      [() => null, "write failed without an error message"],
      [() => new Error(""), "write failed without an error message"],
      [() => "", "write failed without an error message"],
      [() => 42, "42"],
      [() => ({ code: 7 }), 'threw a non-Error value: {"code":7}'],
      [() => ({ message: "shaped like an error" }), "shaped like an error"],
    ];
    for (const [thrown, expected] of cases) {
      assert.equal(await errorOf(failing(thrown)), expected);
    }
  });

  // Regression: errorMessage() read the thrown value unguarded, so respond() rejected.
  it("never escape respond(), even when the thrown value throws on inspection", async () => {
    const trap = () => {
      throw new Error("trap");
    };
    const hostile = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap });
    const getter = new Error("x");
    Object.defineProperty(getter, "message", { get: trap });
    for (const thrown of [hostile, getter]) {
      assert.equal(
        await errorOf(failing(() => thrown)),
        "write failed without an error message (the thrown value could not be inspected)",
      );
    }
  });

  it("report a result that cannot be encoded, naming the method and the place", async () => {
    const response = await answer(
      { read: () => [{ type_name: "t", key: {}, attrs: { n: NaN } }] },
      REQUESTS.read,
    );
    assert.deepEqual(response, {
      ok: false,
      error:
        "adapter produced an invalid read result: [0].attrs.n: expected a finite number, got NaN",
    });
  });

  it("report a write that forgot to return", async () => {
    const response = await answer(
      { write: () => undefined as unknown as ApplyReport },
      REQUESTS.write,
    );
    assert.match(
      String(response.error),
      /^adapter produced an invalid write result: expected an apply report/,
    );
  });
});

describe("write ops", () => {
  it("arrive typed and in order", async () => {
    const seen: string[] = [];
    const ops = [
      { op: "create", uid: UID, type_name: "t", desired: { uid: UID, type: "t", key: { k: 1 } } },
      {
        op: "update",
        uid: UID,
        type_name: "t",
        desired: { uid: UID, type: "t", key: { k: 1 } },
        changes: [],
      },
      { op: "delete", uid: UID, type_name: "t", key: { k: 1 }, backend_id: 9 },
    ];
    await answer({
      write: (_s, decoded) => {
        for (const op of decoded) seen.push(op.op === "delete" ? `delete ${op.backend_id}` : op.op);
        return { applied: [] };
      },
    }, { ...REQUESTS.write, ops });
    assert.deepEqual(seen, ["create", "update", "delete 9"]);
  });
});
