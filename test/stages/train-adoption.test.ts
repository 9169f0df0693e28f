import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../../src/server/app.js";
import { parseFaultSpec } from "../../src/server/faults.js";
import { lockedStages, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

/**
 * A service that neither keeps job metadata nor filters by it: a proxy in front of a local server that drops the
 * `metadata[...]` query and blanks `metadata` in every job it returns.
 */
async function metadataDroppingProxy(target: string) {
  const upstream = new URL(target);
  const proxy = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    for (const key of [...url.searchParams.keys()]) if (key.startsWith("metadata")) url.searchParams.delete(key);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: url.pathname + url.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("end", () => {
          let body = Buffer.concat(chunks).toString("utf8");
          if (url.pathname.startsWith("/v1/fine_tuning/jobs") && body.startsWith("{")) {
            const json = JSON.parse(body) as { object?: string; data?: Record<string, unknown>[] } & Record<
              string,
              unknown
            >;
            if (json.object === "fine_tuning.job") json.metadata = null;
            if (json.object === "list" && Array.isArray(json.data)) {
              for (const job of json.data) if (job.object === "fine_tuning.job") job.metadata = null;
            }
            body = JSON.stringify(json);
          }
          const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(body)) };
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    // The server dropped the connection (lost-create): drop ours too.
    forward.on("error", () => res.socket?.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

describe("adoption on a service that drops job metadata", () => {
  it("a lost create is recognised by its files and time, and adopted: one job", async () => {
    const root = await elleProject();
    const faults = parseFaultSpec("rate=1,kinds=lost-create,paths=/fine_tuning/jobs");
    if (!faults.ok) throw new Error(faults.message);
    const server = await startLocalServer({ port: 0, stateDir: path.join(root, "service"), faults: faults.spec });
    const proxy = await metadataDroppingProxy(server.url);
    try {
      const env = { OPENAI_API_KEY: "service-key-0123456789", OPENAI_BASE_URL: proxy.url };
      const run = await runInProcess(root, { env });
      expect(run.result).toEqual({ kind: "completed" });
      const train = (await lockedStages(root)).train;
      expect(train?.checkpoint?.adopted).toBe(true);
      const direct = await fetch(`${server.url}/fine_tuning/jobs?limit=100`, {
        headers: { authorization: "Bearer service-key-0123456789" },
      });
      const jobs = ((await direct.json()) as { data: { id: string }[] }).data;
      expect(jobs.map((j) => j.id)).toEqual([train?.outputs?.job_id]);
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 60_000);
});
