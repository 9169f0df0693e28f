import path from "node:path";
import type { LoadedPipeline } from "../../src/core/loaded-pipeline.js";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import type { RunEvent } from "../../src/engine/events.js";
import {
  STAGE_NAMES,
  type StageContext,
  type StageDefinition,
  type StageName,
  type StageOutcome,
  type StageRecord,
} from "../../src/engine/stage.js";
import type { Clock } from "../../src/core/clock.js";

/** A pipeline as the loader would hand it over, rooted in `dir`. */
export function loadedPipeline(dir: string, config: Partial<Pipeline> = {}): LoadedPipeline {
  const full: Pipeline = {
    version: 1,
    name: "t",
    model: "gpt-4o-mini-2024-07-18",
    dataset: { train: "data/train.jsonl" },
    ...config,
  };
  return {
    config: full,
    overrides: {},
    paths: {
      file: path.join(dir, "t.yaml"),
      displayFile: "t.yaml",
      dir,
      root: dir,
      displayBase: dir,
      lockfile: path.join(dir, "t.lock.yaml"),
      workDir: path.join(dir, ".tunefile", "t"),
      reportsDir: path.join(dir, "reports", "t"),
      deploymentsDir: path.join(dir, "deployments"),
    },
  };
}

/** A clock that starts at a fixed instant and advances by each sleep, without really waiting. */
export function fakeClock(start = "2026-01-02T03:04:05.000Z"): Clock & { slept: number[] } {
  let now = Date.parse(start);
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      slept.push(ms);
      now += ms;
    },
  };
}

export interface TestStageOptions {
  config?: unknown;
  usesProvider?: boolean;
  enabled?: boolean;
  version?: number;
  verifyFresh?: (ctx: StageContext, record: StageRecord) => Promise<boolean>;
  run?: (ctx: StageContext) => Promise<StageOutcome>;
}

/**
 * A small stage defined by the test (a test input, not a mock of a project module). Records every call so tests can
 * assert which stages ran and with what context.
 */
export function testStage(name: StageName, opts: TestStageOptions = {}): StageDefinition & { calls: StageContext[] } {
  const calls: StageContext[] = [];
  return {
    name,
    version: opts.version ?? 1,
    usesProvider: opts.usesProvider,
    calls,
    enabled: () => opts.enabled ?? true,
    fingerprintInput: async () => ({ config: opts.config ?? { name } }),
    ...(opts.verifyFresh ? { verifyFresh: opts.verifyFresh } : {}),
    run: async (ctx) => {
      calls.push(ctx);
      return opts.run ? opts.run(ctx) : { kind: "succeeded", outputs: { [`${name}_done`]: true } };
    },
  };
}

/** Five stages that all succeed, with per-stage overrides. */
export function testStages(
  overrides: Partial<Record<StageName, TestStageOptions>> = {},
): Record<StageName, ReturnType<typeof testStage>> {
  return Object.fromEntries(STAGE_NAMES.map((n) => [n, testStage(n, overrides[n])])) as Record<
    StageName,
    ReturnType<typeof testStage>
  >;
}

export function eventLog(): { events: RunEvent[]; emit: (e: RunEvent) => void } {
  const events: RunEvent[] = [];
  return { events, emit: (e) => events.push(e) };
}
