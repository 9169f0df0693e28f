import { describe, expect, it } from "vitest";
import { emptyLockfile, type Lockfile } from "../../src/engine/lockfile/types.js";
import { planPipeline, type Selection, type StagePlan } from "../../src/engine/plan.js";
import type { StageName, StageRecord } from "../../src/engine/stage.js";
import { loadedPipeline, type TestStageOptions, testStages } from "./fixtures.js";

const pipeline = loadedPipeline("/project");
const LOCAL = { kind: "local" as const, base_url: "http://127.0.0.1:1/v1" };

/** Fingerprints and parts of every stage for the given stage options, as a run would record them. */
async function currentFingerprints(opts: Partial<Record<StageName, TestStageOptions>> = {}) {
  const r = await planPipeline({
    stages: testStages(opts),
    pipeline,
    lockfile: emptyLockfile("t"),
    provider: LOCAL,
    selection: {},
  });
  if (!r.ok) throw new Error("plan failed");
  return Object.fromEntries(r.entries.map((e) => [e.stage, e])) as Record<StageName, StagePlan>;
}

async function recordsFor(statuses: Partial<Record<StageName, Partial<StageRecord>>>): Promise<Lockfile> {
  const fps = await currentFingerprints();
  const lockfile = emptyLockfile("t");
  for (const [name, patch] of Object.entries(statuses) as [StageName, Partial<StageRecord>][]) {
    lockfile.stages[name] = {
      fingerprint: fps[name].fingerprint,
      fingerprint_parts: fps[name].fingerprintParts,
      status: "succeeded",
      attempts: 1,
      ...patch,
    };
  }
  return lockfile;
}

const allSucceeded = { prepare: {}, upload: {}, train: {}, evaluate: {}, deploy: {} };

interface Row {
  name: string;
  records: Partial<Record<StageName, Partial<StageRecord>>>;
  stageOptions?: Partial<Record<StageName, TestStageOptions>>;
  selection?: Selection;
  provider?: typeof LOCAL | { kind: "openai"; base_url: string };
  /** stage -> "action: reason" */
  expected: Partial<Record<StageName, string>>;
}

const rows: Row[] = [
  {
    name: "nothing recorded: everything runs",
    records: {},
    expected: { prepare: "run: never run", deploy: "run: never run" },
  },
  {
    name: "all fresh: everything skips",
    records: allSucceeded,
    expected: { prepare: /^skip: fresh \(fingerprint [0-9a-f]{6} matches\)$/.source, deploy: "skip:" },
  },
  {
    name: "a config change reruns the stage and cascades down, never up",
    records: allSucceeded,
    stageOptions: { train: { config: { hyperparameters: { n_epochs: 4 } } } },
    expected: {
      upload: "skip:",
      train: "run: changed: config.hyperparameters",
      evaluate: "run: upstream train changed",
      deploy: "run: upstream train changed",
    },
  },
  {
    name: "a new stage version makes it stale",
    records: allSucceeded,
    stageOptions: { evaluate: { version: 2 } },
    expected: { train: "skip:", evaluate: "run: changed: stage version", deploy: "run: upstream evaluate changed" },
  },
  {
    name: "switching provider makes only the stages that use it stale",
    records: allSucceeded,
    stageOptions: { upload: { usesProvider: true }, train: { usesProvider: true } },
    provider: { kind: "openai", base_url: "https://api.openai.com/v1" },
    expected: { prepare: "skip:", upload: "run: changed: provider", train: "run: changed: provider" },
  },
  {
    name: "failed and cancelled stages run again with the reason",
    records: {
      prepare: {},
      upload: { status: "failed", error: { code: "invalid_file_format", message: "bad" } },
      train: { status: "cancelled" },
    },
    expected: { upload: "run: failed last time: invalid_file_format", train: "run: cancelled last time" },
  },
  {
    name: "a running stage with a checkpoint resumes; without one it runs",
    records: {
      prepare: {},
      upload: {},
      train: { status: "running", checkpoint: { job_id: "ftjob-9" } },
      evaluate: { status: "running" },
    },
    expected: {
      train: "resume: re-attaches to ftjob-9",
      evaluate: "run: interrupted last time before any remote work was recorded",
    },
  },
  {
    name: "--force reruns fresh stages but still resumes remote work",
    records: { ...allSucceeded, train: { status: "running", checkpoint: { job_id: "ftjob-9" } } },
    selection: { force: true },
    expected: { prepare: "run: --force", train: "resume:", deploy: "run: --force" },
  },
  {
    name: "--only runs that stage and nothing else",
    records: allSucceeded,
    selection: { only: "train" },
    expected: { prepare: "skip: fresh", train: "run: --only", evaluate: "skip: not selected (--only train)" },
  },
  {
    name: "--only leaves a detached job of another stage alone",
    records: { ...allSucceeded, train: { status: "running", checkpoint: { job_id: "ftjob-9" } } },
    selection: { only: "prepare" },
    expected: { prepare: "run: --only", train: "skip: not selected (--only prepare)" },
  },
  {
    name: "--from reruns that stage and everything downstream",
    records: allSucceeded,
    selection: { from: "train" },
    expected: { upload: "skip: fresh", train: "run: --from train", deploy: "run: --from train" },
  },
  {
    name: "a disabled stage is marked so and does not take part in the cascade",
    records: {},
    stageOptions: { deploy: { enabled: false } },
    expected: { deploy: "disabled: not used by this pipeline" },
  },
];

describe("planPipeline", () => {
  for (const row of rows) {
    it(row.name, async () => {
      const r = await planPipeline({
        stages: testStages(row.stageOptions),
        pipeline,
        lockfile: await recordsFor(row.records),
        provider: row.provider ?? LOCAL,
        selection: row.selection ?? {},
      });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      for (const [stage, expected] of Object.entries(row.expected)) {
        const entry = r.entries.find((e) => e.stage === stage)!;
        const got = `${entry.action}: ${entry.reason}`;
        if (expected.startsWith("^")) expect(got, stage).toMatch(new RegExp(expected));
        else expect(got.startsWith(expected), `${stage}: ${got}`).toBe(true);
      }
    });
  }

  it("refuses --from or --only when an upstream stage is not fresh, naming it", async () => {
    const lockfile = await recordsFor({
      prepare: {},
      upload: { status: "failed", error: { code: "x", message: "y" } },
    });
    const r = await planPipeline({
      stages: testStages(),
      pipeline,
      lockfile,
      provider: LOCAL,
      selection: { from: "train" },
    });
    expect(r).toEqual({
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "upstream-stale",
          message: "cannot run --from train: upstream stage upload is not fresh (failed last time: x)",
          hint: "run without --from, or with --from upload",
        },
      ],
    });
  });

  it("refuses --only on a disabled stage", async () => {
    const r = await planPipeline({
      stages: testStages({ deploy: { enabled: false } }),
      pipeline,
      lockfile: await recordsFor(allSucceeded),
      provider: LOCAL,
      selection: { only: "deploy" },
    });
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([
      "cannot run --only deploy: the deploy stage is disabled in this pipeline",
    ]);
  });
});
