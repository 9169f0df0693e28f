import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { commonClientOptions } from "../../src/providers/kinds/common.js";
import { openaiFiles, uploadSettings } from "../../src/providers/files.js";
import type { RemoteCall } from "../../src/providers/remote-call.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/temp-dir.js";
import { startTestServer } from "../server/server-fixture.js";

/** Sends request bodies at `bytesPerSecond`, in 8 KiB chunks, to the real server: a slow uplink. */
function slowUplink(bytesPerSecond: number): typeof fetch {
  const chunk = 8 * 1024;
  return async (input, init) => {
    if (!init?.body) return fetch(input, init);
    const request = new Request(String(input), init);
    const bytes = new Uint8Array(await request.arrayBuffer());
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (offset >= bytes.length) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, (chunk / bytesPerSecond) * 1000));
        controller.enqueue(bytes.subarray(offset, offset + chunk));
        offset += chunk;
      },
    });
    // The request's own headers: a FormData body's content type (with its boundary) is set there.
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    return fetch(input, { ...init, headers, body, duplex: "half" } as RequestInit);
  };
}

/** Two attempts, as the retry owner makes after a timeout. */
const twice: RemoteCall = (_label, fn) =>
  fn(new AbortController().signal, 1).catch(() => fn(new AbortController().signal, 2));

const journal = { onStarted: async () => {}, onPart: async () => {} };

describe("an upload over a slow uplink", () => {
  it.each([
    ["in one request", { multipart_above_mb: 64 }],
    ["in parts", { multipart_above_mb: 0.05, part_size_mb: 0.1 }],
  ])(
    "%s: each request gets time for its body's size, not only the client's timeout",
    async (_what, upload) => {
      // 128 KiB of training data sent at 128 KiB/s: about a second, against a client timeout of 300 ms.
      const line = (await readFile(path.join(REPO_ROOT, "pipelines/data/elle/training-data.jsonl"), "utf8")).split(
        "\n",
      )[0]!;
      const file = path.join(await tempDir(), "big.jsonl");
      await writeFile(file, `${line}\n`.repeat(Math.ceil((128 * 1024) / (line.length + 1))));
      const server = await startTestServer();
      try {
        const client = new OpenAI({
          ...commonClientOptions({ TUNEFILE_REQUEST_TIMEOUT_MS: "300" }),
          baseURL: server.url,
          apiKey: "k",
          fetch: slowUplink(128 * 1024),
        });
        const remote = await openaiFiles(client).upload(twice, file, "big.jsonl", uploadSettings(upload), journal);
        const stored = await server.client.files.retrieve(remote.id);
        expect(stored.bytes).toBe((await readFile(file)).length);
      } finally {
        await server.close();
      }
    },
    30_000,
  );
});
