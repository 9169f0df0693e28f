import path from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { openaiFiles, uploadSettings } from "../../src/providers/files.js";
import type { RemoteCall } from "../../src/providers/remote-call.js";
import { changedAnswers } from "../helpers/changed-answers.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { startTestServer } from "../server/server-fixture.js";

const FILE = path.join(REPO_ROOT, "pipelines/data/elle/training-data.jsonl");

/** Two attempts, as the retry owner makes after a lost connection. */
const twice: RemoteCall = (_label, fn) =>
  fn(new AbortController().signal, 1).catch(() => fn(new AbortController().signal, 2));

const journal = { onStarted: async () => {}, onPart: async () => {} };

/**
 * A client whose first request to `lose` reaches the real local server, which acts on it, and whose answer is then
 * lost: the request throws as a dropped connection would.
 */
function losingFirst(base: string, lose: RegExp): OpenAI {
  let lost = false;
  return new OpenAI({
    baseURL: base,
    apiKey: "k",
    maxRetries: 0,
    fetch: changedAnswers(
      (url, init) => !lost && init?.method === "POST" && lose.test(url.pathname),
      async (response) => {
        lost = true;
        await response.arrayBuffer();
        throw new TypeError("fetch failed: the answer was lost");
      },
    ),
  });
}

describe("an upload whose answer is lost", () => {
  it.each([
    ["in one request (POST /files)", { multipart_above_mb: 64 }, /\/files$/],
    ["in parts (POST /uploads/{id}/complete)", { multipart_above_mb: 0.001, part_size_mb: 0.002 }, /\/complete$/],
  ])(
    "%s: the retry finds the stored file instead of storing it twice",
    async (_what, upload, lose) => {
      const server = await startTestServer();
      try {
        const files = openaiFiles(losingFirst(server.url, lose));
        const remote = await files.upload(twice, FILE, "elle-train.jsonl", uploadSettings(upload), journal);
        const stored = (await server.client.files.list()).data.filter((f) => f.filename === "elle-train.jsonl");
        expect(stored.map((f) => f.id)).toEqual([remote.id]);
      } finally {
        await server.close();
      }
    },
    60_000,
  );
});
