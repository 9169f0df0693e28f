import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { commonClientOptions } from "../../src/providers/kinds/common.js";
import { uploadSettings } from "../../src/providers/files.js";
import type { RemoteCall } from "../../src/providers/remote-call.js";
import { togetherFiles } from "../../src/providers/together/files.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Two attempts, as the retry owner makes after a timeout. */
const twice: RemoteCall = (_label, fn) =>
  fn(new AbortController().signal, 1).catch(() => fn(new AbortController().signal, 2));

describe("a Together upload whose PUT is never answered", () => {
  it("times out and is sent again, instead of holding the run forever", async () => {
    // Together's three steps over real HTTP: POST /files answers 302 to a signed URL, the bytes are PUT there (the
    // storage swallows the first PUT and never answers), then the file is read back.
    let puts = 0;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (req.method === "POST" && url.pathname === "/v1/files") {
        res.writeHead(302, { location: `http://127.0.0.1:${port()}/storage/file-1`, "x-together-file-id": "file-1" });
        return res.end();
      }
      if (req.method === "PUT" && url.pathname === "/storage/file-1") {
        puts++;
        if (puts === 1) return req.resume(); // read the body, never answer
        return req.on("end", () => res.writeHead(200).end()).resume();
      }
      if (req.method === "GET" && url.pathname === "/v1/files/file-1") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ id: "file-1", filename: "train.jsonl", bytes: 6 }));
      }
      res.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = () => (server.address() as AddressInfo).port;
    try {
      const file = path.join(await tempDir(), "train.jsonl");
      await writeFile(file, '{"a":1');
      const client = new OpenAI({
        ...commonClientOptions({ TUNEFILE_REQUEST_TIMEOUT_MS: "300" }),
        baseURL: `http://127.0.0.1:${port()}/v1`,
        apiKey: "k",
      });
      const remote = await togetherFiles(client, "k").upload(twice, file, "train.jsonl", uploadSettings(undefined), {
        onStarted: async () => {},
        onPart: async () => {},
      });
      expect(remote).toEqual({ id: "file-1", filename: "train.jsonl", bytes: 6 });
      expect(puts).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 10_000);
});
