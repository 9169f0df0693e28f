import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import OpenAI from "openai";
import { parse } from "yaml";
import { loadPipeline } from "../../src/pipeline/load.js";
import type { RunEvent } from "../../src/engine/events.js";
import { execute, type RunResult } from "../../src/engine/executor.js";
import { LockfileStore } from "../../src/engine/lockfile/store.js";
import { planPipeline, type Selection } from "../../src/engine/plan.js";
import type { StageDefinition, StageName, StageRecord } from "../../src/engine/stage.js";
import { resolveProvider } from "../../src/providers/resolve.js";
import { startLocalServer } from "../../src/server/app.js";
import { STAGES } from "../../src/stages/registry.js";
import { systemClock } from "../../src/core/clock.js";
import { BIN, type CliResult } from "../helpers/cli.js";
import { waitFor as waitUntil } from "../helpers/wait-for.js";

/** The stages up to train: evaluation and deploy are other issues' work and stay out of these tests. */
export const THROUGH_TRAIN: Record<StageName, StageDefinition> = {
  ...STAGES,
  evaluate: { ...STAGES.evaluate, enabled: () => false },
  deploy: { ...STAGES.deploy, enabled: () => false },
};

function withDisabled(names: StageName[], all = false): Record<StageName, StageDefinition> {
  const stages = { ...(all ? STAGES : THROUGH_TRAIN) };
  for (const name of names) stages[name] = { ...stages[name], enabled: () => false };
  return stages;
}

/** The fingerprint the engine gives a stage now, from the lockfile on disk and the local provider's identity. */
export async function plannedFingerprint(root: string, stage: StageName, env: Record<string, string> = {}) {
  const loaded = await loadPipeline("pipelines/elle.yaml", { cwd: root, env });
  if (!loaded.ok) throw new Error("pipeline did not load");
  const opened = await LockfileStore.open(
    loaded.pipeline.paths.lockfile,
    loaded.pipeline.paths.displayFile,
    loaded.pipeline.config.name,
  );
  if (!opened.ok) throw new Error("lockfile did not open");
  const choice = resolveProvider({ config: loaded.pipeline.config, env, root });
  if (!choice.ok) throw new Error("provider did not resolve");
  const plan = await planPipeline({
    stages: THROUGH_TRAIN,
    pipeline: loaded.pipeline,
    lockfile: opened.store.snapshot(),
    provider: choice.identity,
    selection: {},
  });
  if (!plan.ok) throw new Error("plan failed");
  const entry = plan.entries.find((e) => e.stage === stage);
  if (!entry) throw new Error(`no plan entry for ${stage}`);
  return entry.fingerprint;
}

export interface InProcessRun {
  result: RunResult;
  events: RunEvent[];
}

/**
 * Runs the engine in this process, on the real stages and the real local provider (started on port 0 with its
 * state under the project's .tunefile/local), the way `tunefile run` does.
 */
export async function runInProcess(
  root: string,
  opts: {
    env?: Record<string, string>;
    selection?: Selection;
    detach?: boolean;
    force?: boolean;
    signal?: AbortSignal;
    provider?: string;
    onEvent?: (e: RunEvent) => void;
    /** Stages to leave out of this run, e.g. ["train"] to stop after upload. */
    disable?: StageName[];
    /** Run evaluate and deploy too (they are left out by default). */
    allStages?: boolean;
  } = {},
): Promise<InProcessRun> {
  const env = opts.env ?? {};
  const loaded = await loadPipeline("pipelines/elle.yaml", { cwd: root, env });
  if (!loaded.ok) throw new Error(`pipeline did not load: ${JSON.stringify(loaded.diagnostics)}`);
  const pipeline = loaded.pipeline;
  const opened = await LockfileStore.open(pipeline.paths.lockfile, pipeline.paths.displayFile, pipeline.config.name);
  if (!opened.ok) throw new Error(`lockfile did not open: ${JSON.stringify(opened.diagnostics)}`);
  const choice = resolveProvider({
    config: pipeline.config,
    env,
    root,
    pipelineDir: pipeline.paths.dir,
    ...(opts.provider ? { flag: opts.provider } : {}),
  });
  if (!choice.ok) throw new Error(`provider did not resolve: ${JSON.stringify(choice.diagnostics)}`);
  const events: RunEvent[] = [];
  const result = await execute({
    stages: withDisabled(opts.disable ?? [], opts.allStages),
    pipeline,
    store: opened.store,
    provider: { identity: choice.identity, connect: choice.connect },
    selection: { ...opts.selection, ...(opts.force ? { force: true } : {}) },
    options: { detach: opts.detach ?? false, force: opts.force ?? false, yes: true },
    env,
    clock: systemClock,
    signal: opts.signal ?? new AbortController().signal,
    emit: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
  });
  return { result, events };
}

/** The lockfile's stage records, as written on disk. */
export async function lockedStages(root: string): Promise<Partial<Record<StageName, StageRecord>>> {
  const text = await readFile(path.join(root, "pipelines/elle.lock.yaml"), "utf8");
  return (parse(text) as { stages: Partial<Record<StageName, StageRecord>> }).stages;
}

/** Runs `fn` with an SDK client on the project's local provider state, through a server of its own. */
export async function withLocalClient<T>(
  root: string,
  fn: (client: OpenAI) => Promise<T>,
  stepMs?: number,
): Promise<T> {
  const server = await startLocalServer({
    port: 0,
    stateDir: path.join(root, ".tunefile/local"),
    ...(stepMs !== undefined ? { stepMs } : {}),
  });
  try {
    return await fn(new OpenAI({ apiKey: "test", baseURL: server.url, maxRetries: 0 }));
  } finally {
    await server.close();
  }
}

/** The jobs and fine-tune files on the project's local provider. */
export function remoteState(root: string) {
  return withLocalClient(root, async (client) => {
    const jobs = await client.fineTuning.jobs.list({ limit: 100 });
    const files = await client.files.list({ purpose: "fine-tune" });
    return { jobs: jobs.data, files: files.data.filter((f) => f.purpose === "fine-tune") };
  });
}

/** A CLI child process the test can kill at a chosen instant. */
export interface RunningCli {
  child: ChildProcess;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

/** Starts the built CLI like test/helpers/cli.ts does (environment: exactly `env` plus PATH), without waiting. */
export function startCli(args: string[], opts: { cwd: string; env?: Record<string, string> }): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Waits until `check` holds; fails after `timeoutMs`, or as soon as the CLI being watched exits, with its output. */
export function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  child: RunningCli,
  timeoutMs = 60_000,
): Promise<true> {
  return waitUntil(async () => (await check()) || undefined, {
    what,
    timeoutMs,
    intervalMs: 5,
    failFast: () => (child.child.exitCode !== null || child.child.signalCode !== null ? "the CLI exited" : undefined),
    detail: () => `${child.output().stdout}\n${child.output().stderr}`,
  });
}

/** The lockfile's text, or "" while there is none. */
export async function lockfileText(root: string): Promise<string> {
  return readFile(path.join(root, "pipelines/elle.lock.yaml"), "utf8").catch(() => "");
}
