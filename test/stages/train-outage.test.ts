import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalServer } from "../../src/server/app.js";
import { lockedStages, runInProcess } from "../providers/harness.js";
import { elleProject } from "../helpers/project.js";

/** A proxy whose route to the job (retrieve, events) is down for the first `outage` requests, answering 503. */
async function flakyProxy(target: string, outage: number) {
  const upstream = new URL(target);
  let failed = 0;
  const proxy = createServer((req, res) => {
    if (/^\/v1\/fine_tuning\/jobs\/ftjob-[^/]+(\/events)?(\?|$)/.test(req.url ?? "") && failed < outage) {
      failed += 1;
      req.resume();
      res.writeHead(503, { "content-type": "application/json", "retry-after-ms": "5" });
      res.end(
        JSON.stringify({ error: { message: "upstream unavailable", type: "server_error", param: null, code: null } }),
      );
      return;
    }
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
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`,
    failures: () => failed,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

describe("monitoring through an outage", () => {
  it("an outage longer than one call's retries is waited out; the run completes", async () => {
    const root = await elleProject();
    const { readFile, writeFile } = await import("node:fs/promises");
    const file = path.join(root, "pipelines/elle.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("  seed: 42\n", "  seed: 42\n  poll_seconds: 1\n"));
    const server = await startLocalServer({ port: 0, stateDir: path.join(root, "service") });
    // Two full rounds of retries (7 attempts each) fail before the route comes back.
    const proxy = await flakyProxy(server.url, 14);
    try {
      const env = { OPENAI_API_KEY: "service-key-0123456789", OPENAI_BASE_URL: proxy.url };
      const run = await runInProcess(root, { env });
      expect(run.result).toEqual({ kind: "completed" });
      expect(proxy.failures()).toBe(14);
      const warnings = run.events.filter((e) => e.type === "stage-log" && e.level === "warn");
      expect(warnings.map((e) => (e.type === "stage-log" ? e.message : ""))).toContainEqual(
        expect.stringMatching(
          /^lost contact with ftjob-\w+ \(gave up after retries: 503 upstream unavailable\); still trying$/,
        ),
      );
      expect((await lockedStages(root)).train?.status).toBe("succeeded");
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 60_000);
});
