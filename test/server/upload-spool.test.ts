import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./server-fixture.js";

// Uploads are streamed to disk (the store's spool/ directory) and moved into place, never held in memory. These
// tests check the bookkeeping that makes that safe: the bytes arrive intact, and a refused request leaves nothing.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const spooled = async (stateDir: string) => readdir(path.join(stateDir, "spool"));

/** Sends `bytes` through the Uploads API in `count` parts, in order, and returns the stored file's text. */
async function uploadInParts(s: TestServer, bytes: Buffer, filename: string, count: number): Promise<string> {
  const upload = await s.client.uploads.create({
    bytes: bytes.length,
    filename,
    mime_type: "application/jsonl",
    purpose: "fine-tune",
  });
  const size = Math.ceil(bytes.length / count);
  const parts = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    const chunk = bytes.subarray(offset, offset + size);
    parts.push(await s.client.uploads.parts.create(upload.id, { data: await toFile(chunk, "part") }));
  }
  expect(parts).toHaveLength(count);
  const done = await s.client.uploads.complete(upload.id, { part_ids: parts.map((p) => p.id) });
  return readFile(path.join(s.stateDir, "files", `${done.file?.id}.bin`), "utf8");
}

describe("streamed uploads", () => {
  it("stores the bytes of POST /files and of a multipart upload exactly, and leaves no spool file", async () => {
    server = await startTestServer();
    const text = `${'{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n'.repeat(500)}`;
    const file = await server.client.files.create({
      file: await toFile(Buffer.from(text), "a.jsonl"),
      purpose: "fine-tune",
    });
    expect(file.bytes).toBe(Buffer.byteLength(text));
    expect(await readFile(path.join(server.stateDir, "files", `${file.id}.bin`), "utf8")).toBe(text);

    expect(await uploadInParts(server, Buffer.from(text), "b.jsonl", 2)).toBe(text);
    expect(await spooled(server.stateDir)).toEqual([]);
  });

  it("joins more than ten parts in order without piling listeners on one stream (no MaxListeners warning)", async () => {
    server = await startTestServer();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const text = Array.from({ length: 12 }, (_, i) => `{"part":${i}}\n`.repeat(20)).join("");
      expect(await uploadInParts(server, Buffer.from(text), "many.jsonl", 12)).toBe(text);
      // Warnings are emitted on the next tick; a macrotask later they have all arrived.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("a refused request (no purpose) removes what it spooled", async () => {
    server = await startTestServer();
    const form = new FormData();
    form.append("file", new Blob(["{}\n".repeat(1000)]), "a.jsonl");
    const res = await fetch(`${server.url}/files`, {
      method: "POST",
      body: form,
      headers: { authorization: "Bearer test" },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("purpose");
    expect(await spooled(server.stateDir)).toEqual([]);
  });
});
