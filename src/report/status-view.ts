import { readFile } from "node:fs/promises";
import path from "node:path";
import { lockfileOf, pipelinePaths, rootOf } from "../config/paths.js";
import { displayPathOf } from "../core/display-path.js";
import type { Env } from "../core/env.js";
import { type AliasState, aliasState, deploymentFilePath } from "../deploy/record.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Lockfile } from "../engine/lockfile/types.js";
import { readLockfile } from "../engine/lockfile/store.js";
import type { StageName, StageRecord } from "../engine/stage.js";
import type { Provider } from "../providers/provider.js";
import type { describeTrainingJob } from "../stages/train-remote.js";
import { outputsOf } from "../engine/stage-io.js";

/** What `tunefile status` shows, gathered: the lockfile, the deploy alias, the gate, and the remote job. */
export interface StatusView {
  /** The lockfile's name as shown. */
  display: string;
  exists: boolean;
  lockfile: Lockfile;
  /** Where the provider says the training job is, when one is in flight. */
  remote?: RemoteAnswer;
  /** The gate's reasons when the last evaluation stopped the run before deploy. */
  gate?: string;
  alias: AliasState;
  deployFile: string;
}

export interface StatusInput {
  file: string;
  cwd: string;
  env: Env;
  providerFlag?: string;
  signal: AbortSignal;
}

export type StatusResult =
  | { ok: true; view: StatusView }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string> };

/**
 * Reads the state of a pipeline without taking the run lock, so it works while a run is going on and even when the
 * pipeline file itself no longer validates. When a training job is in flight (running or detached), it also asks
 * the provider where the job is.
 */
export async function readStatus(input: StatusInput): Promise<StatusResult> {
  const abs = path.resolve(input.cwd, input.file);
  const lockfilePath = lockfileOf(abs);
  const display = displayPathOf(lockfilePath, input.cwd);
  const read = await readLockfile(lockfilePath, display, path.basename(abs).replace(/\.ya?ml$/i, ""));
  if (!read.ok) {
    return {
      ok: false,
      diagnostics: read.diagnostics,
      sources: new Map(read.text !== undefined ? [[display, read.text]] : []),
    };
  }
  const { lockfile } = read;
  const train = lockfile.stages.train;
  const inFlight = train?.status === "running" && typeof train.checkpoint?.job_id === "string";
  const remote = inFlight ? await remoteTraining(input, train) : undefined;
  const gate = (await deployConfigured(abs)) !== false ? gateSkippedDeploy(lockfile.stages) : undefined;
  // The root the lockfile records (see projectRoot): from pipelines/, deployments/ is the project's, not one there.
  const root = rootOf(lockfilePath, lockfile.root, input.cwd);
  const shown = { file: displayPathOf(abs, input.cwd), base: input.cwd };
  const { deploymentsDir } = pipelinePaths(abs, shown, root, lockfile.pipeline);
  const deployFile = deploymentFilePath(deploymentsDir, lockfile.pipeline);
  const alias = await aliasState(deployFile, outputsOf("deploy", lockfile.stages.deploy)?.model);
  return {
    ok: true,
    view: {
      display,
      exists: read.existed,
      lockfile,
      ...(remote ? { remote } : {}),
      ...(gate ? { gate } : {}),
      alias,
      deployFile,
    },
  };
}

/**
 * Whether the pipeline has a `deploy:` key; undefined when the file cannot be read or parsed (status works without
 * a valid pipeline, so this is a plain YAML read, not a load).
 */
async function deployConfigured(file: string): Promise<boolean | undefined> {
  try {
    const { parse } = await import("yaml");
    const doc: unknown = parse(await readFile(file, "utf8"));
    return doc !== null && typeof doc === "object" ? "deploy" in doc : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The gate's reasons when the last evaluation halted the run before deploy: evaluate finished with the gate failed
 * after the deploy record's last run (or there is none), so this evaluation's model was not deployed.
 */
function gateSkippedDeploy(stages: Partial<Record<StageName, StageRecord>>): string | undefined {
  const evaluate = stages.evaluate;
  const gate = outputsOf("evaluate", evaluate)?.gate;
  if (evaluate?.status !== "succeeded" || gate?.status !== "failed") return undefined;
  const deployed = stages.deploy?.finished_at ?? stages.deploy?.started_at;
  if (deployed && evaluate.finished_at && deployed > evaluate.finished_at) return undefined;
  return `evaluation gate not met${gate.reasons?.length ? `: ${gate.reasons.join("; ")}` : ""}`;
}

/** What the provider says about a job: its own answer, or why it could not be asked. */
export type RemoteAnswer = Awaited<ReturnType<typeof describeTrainingJob>> | { error: string };

/**
 * Asks the provider where the recorded training job is (two requests). This needs the pipeline (for the provider
 * settings): when it does not load or the provider cannot be reached, status says so and still exits 0.
 */
async function remoteTraining(input: StatusInput, record: StageRecord): Promise<RemoteAnswer> {
  // Loaded only when a job is in flight: the pipeline loader and the SDK would slow every other status down.
  const [{ openSession }, { makeRedactor }, { describeTrainingJob, recordedJob }, { systemClock }] = await Promise.all([
    import("../engine/session.js"),
    import("../providers/redact.js"),
    import("../stages/train-remote.js"),
    import("../core/clock.js"),
  ]);
  const loaded = await openSession({
    file: input.file,
    cwd: input.cwd,
    env: input.env,
    ...(input.providerFlag !== undefined ? { providerFlag: input.providerFlag } : {}),
  });
  if (!loaded.ok) return { error: `the ${loaded.step} does not load; \`tunefile validate\` says why` };
  const redact = makeRedactor(input.env, loaded.session.pipeline.config);
  let provider: Provider | undefined;
  try {
    provider = await loaded.session.provider.connect();
    const job = recordedJob(record);
    if (!job) return { error: "no job id" };
    return await describeTrainingJob(provider, job.jobId, {
      signal: input.signal,
      env: input.env,
      clock: systemClock,
      pipeline: loaded.session.pipeline,
    });
  } catch (err) {
    return { error: redact(err instanceof Error ? err.message : String(err)) };
  } finally {
    await provider?.close();
  }
}
