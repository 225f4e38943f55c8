// Reading stdin: any chunking, strict UTF-8, and a byte order mark left visible for the decoder.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readText, respond } from "../codec.ts";

function stream(...chunks: number[][]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(new Uint8Array(c));
      controller.close();
    },
  });
}

describe("readText", () => {
  it("joins chunks that split a multi-byte character", async () => {
    const bytes = [...new TextEncoder().encode('{"name":"Zürich 😀"}')];
    const at = bytes.indexOf(0xc3) + 1; // inside "ü"
    const emoji = bytes.indexOf(0xf0) + 2; // inside the emoji
    const text = await readText(
      stream(bytes.slice(0, at), bytes.slice(at, emoji), bytes.slice(emoji)),
    );
    assert.equal(text, '{"name":"Zürich 😀"}');
  });

  it("reads an empty stream as empty text", async () => {
    assert.equal(await readText(stream()), "");
  });

  it("refuses invalid UTF-8", async () => {
    await assert.rejects(readText(stream([0x7b, 0xc3, 0x28, 0x7d])), {
      message: "stdin is not valid UTF-8",
    });
    await assert.rejects(readText(stream([0x22, 0xed, 0xa0, 0x80, 0x22])), {
      message: "stdin is not valid UTF-8",
    });
  });

  it("keeps a genuine U+FFFD, which only invalid input would also produce", async () => {
    const bytes = [...new TextEncoder().encode('{"name":"\uFFFD"}')];
    assert.equal(await readText(stream(bytes)), '{"name":"\uFFFD"}');
    await assert.rejects(readText(stream(bytes, [0xff])), { message: "stdin is not valid UTF-8" });
  });

  it("keeps a byte order mark, which the request decoder then refuses", async () => {
    const text = await readText(stream([0xef, 0xbb, 0xbf], [...new TextEncoder().encode("{}")]));
    assert.equal(text, "\uFEFF{}");
    assert.match(JSON.parse(await respond({}, text)).error, /byte order mark/);
  });
});
