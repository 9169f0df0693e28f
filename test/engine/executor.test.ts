import { openaiFiles } from "../../src/providers/files.js";
import { openaiTraining } from "../../src/providers/training/openai.js";
import { providerCode } from "../../src/providers/errors.js";
import { readFile } from "node:fs/promises";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { execute, type ExecutorInput, type RunResult } from "../../src/engine/executor.js";
import { parseLockfile } from "../../src/engine/lockfile/parse.js";
import { LockfileStore } from "../../src/engine/lockfile/store.js";
import type { Lockfile } from "../../src/engine/lockfile/types.js";
import type { Selection } from "../../src/engine/plan.js";
import type { StageName } from "../../src/engine/stage.js";
import type { Provider } from "../../src/providers/provider.js";
import { tempDir } from "../helpers/temp-dir.js";
import { eventLog, fakeClock, loadedPipeline, type TestStageOptions, testStages } from "./fixtures.js";

const IDENTITY = { kind: "local" as const, base_url: "http://127.0.0.1:1/v1" };

interface Harness {
  dir: string;
  run(opts?: {
    stages?: ReturnType<typeof testStages>;
    selection?: Selection;
    signal?: AbortSignal;
    yes?: boolean;
    confirmBudget?: ExecutorInput["confirmBudget"];
    maxUsd?: number;
  }): Promise<{ result: RunResult; events: ReturnType<typeof eventLog>["events"] }>;
  lockfile(): Promise<Lockfile>;
  text(): Promise<string>;
  connections: { opened: number; closed: number };
}

async function harness(): Promise<Harness> {
  const dir = await tempDir();
  const connections = { opened: 0, closed: 0 };
  const clock = fakeClock();
  const h: Harness = {
    dir,
    connections,
    async run(opts = {}) {
      const pipeline = loadedPipeline(dir, opts.maxUsd === undefined ? {} : { budget: { max_usd: opts.maxUsd } });
      const opened = await LockfileStore.open(pipeline.paths.lockfile, "t.lock.yaml", "t");
      if (!opened.ok) throw new Error(JSON.stringify(opened.diagnostics));
      const log = eventLog();
      const result = await execute({
        stages: opts.stages ?? testStages(),
        pipeline,
        store: opened.store,
        provider: {
          identity: IDENTITY,
          connect: async (): Promise<Provider> => {
            connections.opened += 1;
            return {
              identity: IDENTITY,
              client: {} as OpenAI,
              files: openaiFiles({} as OpenAI),
              training: openaiTraining({} as OpenAI),
              deploymentOf: (model) => model,
              close: async () => {
                connections.closed += 1;
              },
            };
          },
        },
        selection: opts.selection ?? {},
        options: { detach: false, force: opts.selection?.force ?? false, yes: opts.yes ?? false },
        env: {},
        clock,
        signal: opts.signal ?? new AbortController().signal,
        emit: log.emit,
        ...(opts.confirmBudget ? { confirmBudget: opts.confirmBudget } : {}),
      });
      return { result, events: log.events };
    },
    text: () => readFile(loadedPipeline(dir).paths.lockfile, "utf8"),
    async lockfile() {
      const parsed = parseLockfile(await h.text(), "t.lock.yaml");
      if (!parsed.ok) throw new Error(`lockfile does not parse: ${JSON.stringify(parsed.diagnostics)}`);
      return parsed.lockfile;
    },
  };
  return h;
}

const ran = (stages: ReturnType<typeof testStages>) =>
  (Object.keys(stages) as StageName[]).filter((n) => stages[n].calls.length > 0);

describe("execute", () => {
  it("runs every stage, records each, then skips them all without touching the file or the provider", async () => {
    const h = await harness();
    const stages = testStages({
      upload: {
        usesProvider: true,
        run: async (ctx) => {
          const p1 = await ctx.provider();
          const p2 = await ctx.provider();
          return { kind: "succeeded", outputs: { same: p1 === p2, prepared: ctx.upstream.prepare?.outputs } };
        },
      },
    });
    const first = await h.run({ stages });
    expect(first.result).toEqual({ kind: "completed" });
    expect(ran(stages)).toEqual(["prepare", "upload", "train", "evaluate", "deploy"]);
    expect(h.connections).toEqual({ opened: 1, closed: 1 });
    const lock = await h.lockfile();
    expect(lock.provider).toEqual(IDENTITY);
    expect(lock.stages.upload).toMatchObject({
      status: "succeeded",
      attempts: 1,
      started_at: "2026-01-02T03:04:05.000Z",
      finished_at: "2026-01-02T03:04:05.000Z",
      outputs: { same: true, prepared: { prepare_done: true } },
    });
    expect(first.events.map((e) => `${e.type}${"stage" in e ? ` ${e.stage}` : ""}`)).toEqual([
      "plan",
      ...["prepare", "upload", "train", "evaluate", "deploy"].flatMap((s) => [`stage-start ${s}`, `stage-end ${s}`]),
    ]);

    const before = await h.text();
    const again = testStages({ upload: { usesProvider: true } });
    const second = await h.run({ stages: again });
    expect(second.result).toEqual({ kind: "completed" });
    expect(ran(again)).toEqual([]);
    expect(second.events.filter((e) => e.type === "stage-skip").length).toBe(5);
    expect(await h.text()).toBe(before);
    expect(h.connections.opened).toBe(1);
  });

  it("records a failure, stops downstream, and keeps the checkpoint for the retry of the same fingerprint", async () => {
    const h = await harness();
    const failing: TestStageOptions = {
      run: async (ctx) => {
        await ctx.saveCheckpoint({ job_id: "ftjob-1" });
        return { kind: "failed", error: { code: providerCode("invalid_n_examples"), message: "too few examples" } };
      },
    };
    const first = await h.run({ stages: testStages({ train: failing }) });
    expect(first.result).toEqual({
      kind: "failed",
      stage: "train",
      error: { code: providerCode("invalid_n_examples"), message: "too few examples" },
    });
    expect(first.events.filter((e) => e.type === "stage-skip").map((e) => "reason" in e && e.reason)).toEqual([
      "not reached (train failed)",
      "not reached (train failed)",
    ]);
    const lock = await h.lockfile();
    expect(lock.stages.train).toMatchObject({
      status: "failed",
      attempts: 1,
      checkpoint: { job_id: "ftjob-1" },
      error: { code: providerCode("invalid_n_examples"), message: "too few examples" },
    });
    expect(lock.stages.evaluate).toBeUndefined();

    const retry = testStages();
    await h.run({ stages: retry });
    expect(ran(retry)).toEqual(["train", "evaluate", "deploy"]);
    expect(retry.train.calls[0]?.previous?.checkpoint).toEqual({ job_id: "ftjob-1" });
    expect((await h.lockfile()).stages.train).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await h.lockfile()).stages.train?.error).toBeUndefined();
  });

  it("detach leaves the stage running with its checkpoint; the next run resumes it", async () => {
    const h = await harness();
    const first = await h.run({
      stages: testStages({
        train: {
          run: async (ctx) => {
            await ctx.saveCheckpoint({ job_id: "ftjob-7" });
            return { kind: "detached", message: "job ftjob-7 is training" };
          },
        },
      }),
    });
    expect(first.result).toEqual({ kind: "detached", stage: "train", message: "job ftjob-7 is training" });
    expect((await h.lockfile()).stages.train).toMatchObject({ status: "running", checkpoint: { job_id: "ftjob-7" } });

    const second = testStages();
    const r = await h.run({ stages: second });
    expect(r.result).toEqual({ kind: "completed" });
    expect(r.events.find((e) => e.type === "stage-start" && e.stage === "train")).toEqual({
      type: "stage-start",
      stage: "train",
      action: "resume",
      reason: "re-attaches to ftjob-7",
    });
    expect(second.train.calls[0]?.previous?.checkpoint).toEqual({ job_id: "ftjob-7" });
  });

  it("an abort mid-stage leaves the record running with its checkpoint, in a lockfile that parses", async () => {
    const h = await harness();
    const controller = new AbortController();
    const stages = testStages({
      train: {
        run: async (ctx) => {
          await ctx.saveCheckpoint({ job_id: "ftjob-3" });
          controller.abort(new Error("interrupted by SIGINT"));
          await ctx.clock.sleep(1000, ctx.signal); // rejects: the stage is stopped where it waits
          return { kind: "succeeded", outputs: {} };
        },
      },
    });
    const r = await h.run({ stages, signal: controller.signal });
    expect(r.result).toEqual({ kind: "interrupted", stage: "train" });
    const lock = await h.lockfile();
    expect(lock.stages.train).toMatchObject({ status: "running", attempts: 1, checkpoint: { job_id: "ftjob-3" } });
    expect(lock.stages.train?.finished_at).toBeUndefined();
    expect(lock.stages.evaluate).toBeUndefined();
    expect(r.events.at(-1)).toEqual({ type: "stage-skip", stage: "deploy", reason: "not reached (interrupted)" });
  });

  it("a thrown exception is a bug: recorded as internal, emitted, and rethrown", async () => {
    const h = await harness();
    const log: string[] = [];
    await expect(
      h
        .run({
          stages: testStages({
            upload: {
              run: async () => {
                throw new TypeError("boom");
              },
            },
          }),
        })
        .catch((err) => {
          log.push("thrown");
          throw err;
        }),
    ).rejects.toThrow("boom");
    expect(log).toEqual(["thrown"]);
    expect((await h.lockfile()).stages.upload).toMatchObject({
      status: "failed",
      error: { code: "internal", message: "boom" },
    });
  });

  it("a halting stage (gate not met) succeeds but stops downstream; the CLI, not the stage, picks the exit code", async () => {
    const h = await harness();
    const stages = testStages({
      evaluate: {
        run: async () => ({
          kind: "succeeded",
          outputs: { pass_rate: 0.3 },
          halt: { reason: "gate not met: pass rate 0.30 < 0.80" },
        }),
      },
    });
    const r = await h.run({ stages });
    expect(r.result).toEqual({
      kind: "halted",
      stage: "evaluate",
      reason: "gate not met: pass rate 0.30 < 0.80",
    });
    expect(ran(stages)).not.toContain("deploy");
    expect((await h.lockfile()).stages.evaluate?.status).toBe("succeeded");
  });

  it("--only and --from select what runs on a fresh pipeline", async () => {
    const h = await harness();
    await h.run();
    const only = testStages();
    await h.run({ stages: only, selection: { only: "evaluate" } });
    expect(ran(only)).toEqual(["evaluate"]);
    const from = testStages();
    await h.run({ stages: from, selection: { from: "train" } });
    expect(ran(from)).toEqual(["train", "evaluate", "deploy"]);
    expect((await h.lockfile()).stages.train?.attempts).toBe(2);
  });

  it("--from refuses to run on stale upstream work, before touching anything", async () => {
    const h = await harness();
    const stages = testStages();
    const r = await h.run({ stages, selection: { from: "train" } });
    expect(r.result).toMatchObject({ kind: "plan-error" });
    expect(ran(stages)).toEqual([]);
  });

  it("reruns a fresh stage whose outputs are gone at the provider (verifyFresh)", async () => {
    const h = await harness();
    await h.run();
    const stages = testStages({ upload: { verifyFresh: async () => false } });
    const r = await h.run({ stages });
    expect(ran(stages)).toEqual(["upload"]);
    expect(r.events.find((e) => e.type === "stage-start")).toEqual({
      type: "stage-start",
      stage: "upload",
      action: "run",
      reason: "its outputs are gone or changed",
    });
  });

  it("runs a fresh stage whose existence check fails, and stops cleanly when aborted during the check", async () => {
    const h = await harness();
    await h.run();
    const failing = testStages({
      upload: {
        verifyFresh: async () => {
          throw new Error("connection refused");
        },
      },
    });
    const r = await h.run({ stages: failing });
    expect(ran(failing)).toEqual(["upload"]);
    expect(r.events.find((e) => e.type === "plan")).toBeDefined();

    const controller = new AbortController();
    const aborted = testStages({
      upload: {
        verifyFresh: async () => {
          controller.abort(new Error("interrupted by SIGINT"));
          throw controller.signal.reason;
        },
      },
    });
    const stopped = await h.run({ stages: aborted, signal: controller.signal });
    expect(stopped.result).toEqual({ kind: "interrupted", stage: undefined });
    expect(ran(aborted)).toEqual([]);
  });

  it("refuses paid stages over budget unless --yes or the user confirms", async () => {
    // 100 examples train 3 epochs (the cookbook's rule for auto); 5/9 M billing tokens a time at gpt-4o-mini's $3
    // per 1M: $5.00.
    const estimate: TestStageOptions = {
      run: async () => ({
        kind: "succeeded",
        outputs: { train: { examples: 100 }, estimate: { billing_tokens: 5_000_000 / 9 } },
      }),
    };
    const paid: TestStageOptions = { usesProvider: true };

    const refused = await harness();
    const stages = testStages({ prepare: estimate, upload: paid });
    const r = await refused.run({ stages, maxUsd: 2 });
    expect(r.result).toEqual({
      kind: "budget-refused",
      message: "the estimated cost $5.00 exceeds budget.max_usd $2.00; pass --yes to go on",
    });
    expect(ran(stages)).toEqual(["prepare"]);

    const asked: string[] = [];
    const declined = await harness();
    await declined.run({
      stages: testStages({ prepare: estimate, upload: paid }),
      maxUsd: 2,
      confirmBudget: async (m) => {
        asked.push(m);
        return false;
      },
    });
    expect(asked).toEqual(["the estimated cost $5.00 exceeds budget.max_usd $2.00. Continue?"]);

    const yes = await harness();
    const yesStages = testStages({ prepare: estimate, upload: paid });
    expect((await yes.run({ stages: yesStages, maxUsd: 2, yes: true })).result).toEqual({
      kind: "completed",
    });
    expect(ran(yesStages)).toHaveLength(5);
  });
});
