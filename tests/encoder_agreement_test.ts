// The encoder's quick path against its full path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeResult } from "../codec.ts";
import { encodeFully, encodeQuickly } from "../src/wire/encode.ts";

describe("disagreements the agreement property found", () => {
  it("an own `attrs: undefined` is written as `attrs: {}` with every wire key in wire order", () => {
    // QuickCheck took such an object for its own wire form, and JSON.stringify dropped `attrs`.
    const row = { type_name: "dcim.site", key: { site: "fra1" }, attrs: undefined, backend_id: 7 };
    const text = '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":7}]';
    assert.equal(encodeFully("read", [row]), text);
    assert.equal(encodeQuickly("read", [row]), text);
    assert.equal(encodeResult("read", [row]), text);
  });

  it("a backend_id lent by a polluted Object.prototype is written, as the full encoder reads it", () => {
    // for-in visits an inherited enumerable `backend_id` after the own keys, so the object
    // counted as holding all four wire keys in order and was written without it.
    const text = '[{"type_name":"dcim.site","key":{"site":"fra1"},"attrs":{},"backend_id":7}]';
    Object.defineProperty(Object.prototype, "backend_id", {
      value: 7,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    let answers: Array<string | undefined>;
    try {
      const row = { type_name: "dcim.site", key: { site: "fra1" }, attrs: {} };
      answers = [
        encodeFully("read", [row]),
        encodeQuickly("read", [row]),
        encodeResult("read", [row]),
      ];
    } finally {
      delete (Object.prototype as Record<string, unknown>).backend_id;
    }
    assert.deepEqual(answers, [text, text, text]);
  });
});
