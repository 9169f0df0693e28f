import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../../src/server/app.js";
import { lockedStages, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

/** A loopback proxy in front of a local server that counts the requests going through it. */
async function countingProxy(target: string) {
  const seen: string[] = [];
  const upstream = new URL(target);
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`;
  return { url, seen, close: () => new Promise<void>((resolve) => proxy.close(() => resolve())) };
}

describe("requests made by a rerun", () => {
  it("a fully fresh pipeline costs one request: the upload's existence check", async () => {
    const root = await elleProject();
    const server = await startLocalServer({ port: 0, stateDir: path.join(root, "service") });
    const proxy = await countingProxy(server.url);
    try {
      const env = { OPENAI_API_KEY: "service-key-0123456789", OPENAI_BASE_URL: proxy.url };
      expect((await runInProcess(root, { env })).result).toEqual({ kind: "completed" });
      const firstRun = proxy.seen.splice(0);
      expect(firstRun.filter((r) => r === "POST /v1/fine_tuning/jobs")).toHaveLength(1);

      expect((await runInProcess(root, { env })).result).toEqual({ kind: "completed" });
      const fileId = (await lockedStages(root)).upload?.outputs?.train_file_id;
      expect(proxy.seen).toEqual([`GET /v1/files/${String(fileId)}`]);
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 60_000);

  it("training.fine_tuned_model: upload and train are disabled and nothing is requested", async () => {
    const root = await elleProject();
    const { readFile, writeFile } = await import("node:fs/promises");
    const file = path.join(root, "pipelines/elle.yaml");
    const yaml = (await readFile(file, "utf8")).replace(
      "  seed: 42\n",
      "  seed: 42\n  fine_tuned_model: ft:gpt-4o-mini-2024-07-18:personal:elle:abc12345\n",
    );
    await writeFile(file, yaml);
    const run = await runInProcess(root);
    expect(run.result).toEqual({ kind: "completed" });
    const skipped = run.events
      .filter((e) => e.type === "stage-skip")
      .map((e) => (e.type === "stage-skip" ? e.stage : ""));
    expect(skipped).toEqual(["prepare", "upload", "train", "evaluate", "deploy"]);
    expect(run.events.filter((e) => e.type === "stage-start")).toEqual([]);
  }, 60_000);
});
