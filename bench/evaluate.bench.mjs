// (d) Evaluation throughput: 1,000 prompts x 2 candidates at concurrency 16 against the local provider
// (`tunefile serve` in its own process). Each run pairs a bare-SDK pass (bench/eval-sdk-child.mjs: the same
// requests with the openai SDK and p-limit, nothing else) with a pass of the real evaluate stage
// (`tunefile run --json` on a fresh copy, so its response cache is empty). The stage's time is taken from its
// own NDJSON events (stage-start → stage-end of evaluate), so CLI start-up and prepare are not counted in it.
//
//   overhead per request = (evaluate stage wall − bare SDK wall) / requests, per pair of passes
//
// The server's time per request is what the bare SDK pass sees; the stage's extra is everything the runner does
// around each request: cache lookups and writes, the retry wrapper, grading, results and reports.

import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertExit, failureSummary, offlineEnv, processCpuMs, repeat, runNode } from "./lib/measure.mjs";
import { profileIfMissed } from "./lib/profile-miss.mjs";
import { NotAvailable, row } from "./lib/result.mjs";

export const name = "evaluate";
export const description = "1,000 prompts x 2 candidates at concurrency 16 against tunefile serve: req/s and overhead";

const ELEMENTS = ["Strontium", "Neon", "Zinc", "Oxygen", "Carbon", "Iron", "Gold", "Silver", "Copper", "Sodium"];
const SYSTEM = "Elle is a factual chatbot that answers questions about elements with a limerick";
const MODELS = ["gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06"];
const CONCURRENCY = 16;
const MAX_TOKENS = 120;

function pipelineYaml(baseUrl, questions) {
  const ns = Array.from({ length: questions }, (_, i) => i + 1);
  return [
    "version: 1",
    "name: evalbench",
    `provider: { kind: openai-compatible, base_url: ${JSON.stringify(baseUrl)}, api_key_env: BENCH_API_KEY }`,
    `model: ${MODELS[0]}`,
    "dataset:",
    "  train: training-data.jsonl",
    "evaluation:",
    `  candidates: [base, { model: ${MODELS[1]}, label: other }]`,
    `  params: { temperature: 0, max_tokens: ${MAX_TOKENS} }`,
    `  concurrency: ${CONCURRENCY}`,
    `  system: ${JSON.stringify(SYSTEM)}`,
    "  prompts:",
    '    - user: "Tell me about {{element}} (question {{n}})"',
    `      vars: { element: [${ELEMENTS.join(", ")}], n: [${ns.join(", ")}] }`,
    "      assert:",
    '        - icontains: "{{element}}"',
    "",
  ].join("\n");
}

/** Starts `tunefile serve --port 0` and resolves with its URL (its first stdout line) and a stop function. */
function startServer(ctx, stateDir, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ctx.bin, "serve", "--port", "0", "--state", stateDir], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    const stop = () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      });
    child.stdout.on("data", (d) => {
      out += d;
      const first = out.split("\n")[0];
      if (out.includes("\n") && /^https?:\/\//.test(first.trim())) resolve({ url: first.trim(), stop });
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("exit", (code) =>
      reject(new Error(`tunefile serve exited ${code} before printing its URL: ${err || out}`)),
    );
    child.on("error", reject);
  });
}

export async function run(ctx) {
  const runs = ctx.quick ? 3 : 5;
  const questions = ctx.quick ? 20 : 100;
  const prompts = [];
  for (const element of ELEMENTS)
    for (let n = 1; n <= questions; n++) prompts.push(`Tell me about ${element} (question ${n})`);
  const requests = prompts.length * MODELS.length;
  const env = offlineEnv({ BENCH_API_KEY: "bench" });

  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-eval-"));
  let server;
  try {
    server = await startServer(ctx, join(dir, "server-state"), env).catch((err) => {
      throw new NotAvailable(`tunefile serve did not start: ${err.message.split("\n")[0]}`);
    });
    const work = join(dir, "work");
    const spec = JSON.stringify({
      models: MODELS,
      system: SYSTEM,
      prompts,
      concurrency: CONCURRENCY,
      params: { temperature: 0, max_completion_tokens: MAX_TOKENS },
    });
    const sdkScript = join(ctx.benchDir, "eval-sdk-child.mjs");
    const sdkPass = async (passSpec = spec) => {
      const r = await runNode([sdkScript, server.url, passSpec], { env, timeoutMs: 150_000 });
      if (r.timedOut) throw new Error("the bare SDK pass took more than 150 s");
      assertExit(r, [0], "bare SDK pass");
      const result = JSON.parse(r.stdout.trim().split("\n").pop());
      if (result.errors > 0)
        throw new Error(`bare SDK pass: ${result.errors} requests failed, e.g. ${result.firstError}`);
      return { ...r, result };
    };
    // A fresh directory per pass: no lockfile, no response cache, so every request really goes to the server.
    const freshWork = () => {
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      copyFileSync(
        join(ctx.root, "pipelines", "data", "elle", "training-data.jsonl"),
        join(work, "training-data.jsonl"),
      );
      writeFileSync(join(work, "evalbench.yaml"), pipelineYaml(server.url, questions));
    };
    const stagePass = async () => {
      freshWork();
      let t0;
      let t1;
      let cpu0;
      let cpu1;
      let end;
      let nodePid = () => undefined;
      const r = await runNode([ctx.bin, "run", "evalbench.yaml", "--json"], {
        env,
        timeoutMs: 150_000,
        cwd: work,
        onSpawn: (pid) => {
          nodePid = pid;
        },
        onStdoutLine: (line, now) => {
          if (!line.startsWith("{")) return;
          const e = JSON.parse(line);
          if (e.stage !== "evaluate") return;
          if (e.type === "stage-start") {
            t0 = now;
            cpu0 = processCpuMs(nodePid());
          }
          if (e.type === "stage-end") {
            t1 = now;
            cpu1 = processCpuMs(nodePid());
            end = e;
          }
        },
      });
      if (/not built yet/.test(r.stderr)) throw new NotAvailable("`tunefile run` is a stub");
      if (t0 === undefined || end === undefined) {
        if (r.timedOut) throw new Error("the evaluate stage did not finish within 150 s");
        throw new NotAvailable(`the evaluate stage did not run (exit ${r.code}): ${failureSummary(r)}`);
      }
      if (end.status !== "succeeded") throw new Error(`evaluate ended ${end.status}: ${JSON.stringify(end.error)}`);
      assertExit(r, [0], "tunefile run (evaluate)");
      return { ...r, stageMs: t1 - t0, stageCpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
    };

    ctx.log(`${requests} requests per pass; a short warm-up pass first (untimed)`);
    await sdkPass(JSON.stringify({ ...JSON.parse(spec), prompts: prompts.slice(0, 100) }));
    const pairs = await repeat(runs, async () => ({ sdk: await sdkPass(), stage: await stagePass() }), {
      budgetMs: 120_000,
    });

    const sdkMs = pairs.map((p) => p.sdk.result.wallMs);
    const stageMs = pairs.map((p) => p.stage.stageMs);
    const overhead = row({
      label: "runner overhead per request (stage wall - SDK wall) / requests",
      unit: "ms",
      values: pairs.map((p) => (p.stage.stageMs - p.sdk.result.wallMs) / requests),
      target: { op: "<", value: 1 },
      samples: pairs,
    });
    freshWork();
    profileIfMissed(ctx, overhead, ["run", "evalbench.yaml", "--json"], work, env);
    return [
      row({
        label: `bare SDK, ${requests} requests`,
        unit: "req/s",
        values: sdkMs.map((ms) => requests / (ms / 1000)),
        rssKB: pairs.map((p) => p.sdk.rssKB),
      }),
      row({
        label: `evaluate stage, ${requests} requests`,
        unit: "req/s",
        values: stageMs.map((ms) => requests / (ms / 1000)),
        rssKB: pairs.map((p) => p.stage.rssKB),
      }),
      row({
        label: `request latency seen by the bare SDK (wall x ${CONCURRENCY} in flight / requests)`,
        unit: "ms",
        values: sdkMs.map((ms) => (ms / requests) * CONCURRENCY),
      }),
      overhead,
      row({
        label: "runner CPU per request (evaluate stage, all threads)",
        unit: "ms",
        values: pairs.map((p) => p.stage.stageCpuMs / requests),
      }),
      row({
        label: "bare SDK CPU per request",
        unit: "ms",
        values: pairs.map((p) => p.sdk.result.cpuMs / requests),
      }),
      row({
        label: "runner CPU overhead per request (stage CPU - SDK CPU) / requests",
        unit: "ms",
        values: pairs.map((p) => (p.stage.stageCpuMs - p.sdk.result.cpuMs) / requests),
      }),
    ];
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
