import { readFile } from "node:fs/promises";
import path from "node:path";
import { pipelinePaths } from "../config/paths.js";
import { renderDiagnostics, wantsColor } from "../diagnostics/render.js";
import { readLockfile } from "../engine/lockfile/store.js";
import { type AliasState, aliasState, deploymentFilePath, describeMoved } from "../deploy/record.js";
import { STAGE_NAMES, type StageName, type StageRecord } from "../engine/stage.js";
import { summarizeOutputs } from "../engine/summary.js";
import type { Provider } from "../providers/provider.js";
import type { describeTrainingJob } from "../stages/train-remote.js";
import { type CliIo, EXIT } from "./io.js";
import { LOCAL_JOB_STOPS } from "./local-jobs.js";

/**
 * `tunefile status <pipeline>`: each stage's state from the lockfile: status, attempts, start and end times, key
 * outputs (job id, model, ...) and the last error. It reads the lockfile without taking the run lock, so it works
 * while a run is going on and even when the pipeline file itself no longer validates. When a training job is in
 * flight (running or detached), it also asks the provider where the job is (`--provider` picks another).
 * `--json` prints the lockfile's content as JSON (plus `remote.train`).
 * Exit 0, or 2 when the lockfile is corrupt, invalid or from a newer tunefile.
 */
export default async function status(args: Record<string, unknown>, io: CliIo): Promise<number> {
  const file = String((args._ as string[])[0]);
  const abs = path.resolve(io.cwd, file);
  const paths = pipelinePaths(abs, file, io.cwd, "");
  const display = path.join(path.dirname(file), path.basename(paths.lockfile));
  const read = await readLockfile(paths.lockfile, display, path.basename(abs).replace(/\.ya?ml$/i, ""));
  if (!read.ok) {
    const sources = new Map(read.text !== undefined ? [[display, read.text]] : []);
    io.stderr.write(renderDiagnostics(read.diagnostics, sources, { color: wantsColor(io.env, io.isTTY) }));
    return EXIT.invalid;
  }
  const { lockfile } = read;
  const train = lockfile.stages.train;
  const remote = train && isRemoteInFlight(train) ? await remoteTraining(file, args, io, train) : undefined;
  const gate = (await deployConfigured(abs)) !== false ? gateSkippedDeploy(lockfile.stages) : undefined;
  const deployFile = deploymentFilePath(paths.deploymentsDir, lockfile.pipeline);
  const alias = await aliasState(
    deployFile,
    (lockfile.stages.deploy?.outputs as { model?: string } | undefined)?.model,
  );
  if (args.json === true) {
    const deploy = {
      alias: alias.kind === "missing" ? null : alias,
      ...(gate ? { skipped_by_gate: gate } : {}),
    };
    io.stdout.write(
      `${JSON.stringify({ lockfile: display, exists: read.existed, ...lockfile, ...(remote ? { remote: { train: remote } } : {}), deploy })}\n`,
    );
    return EXIT.ok;
  }
  if (!read.existed) {
    io.stdout.write(`${display}: no runs recorded yet; \`tunefile plan ${file}\` shows what run would do\n`);
    return EXIT.ok;
  }
  const provider = lockfile.provider ? `, provider ${lockfile.provider.kind} ${lockfile.provider.base_url}` : "";
  const rows: string[][] = [["stage", "status", "attempts", "started", "finished"]];
  const details: string[] = [];
  for (const stage of STAGE_NAMES) {
    const record = lockfile.stages[stage];
    if (stage === "deploy" && gate) {
      rows.push([stage, "skipped (gate not met)", record ? String(record.attempts) : "", "", ""]);
      details.push(`  deploy: skipped by the gate: ${gate}`);
    } else {
      const row = record ? recordRow(stage, record) : [stage, "never run", "", "", ""];
      if (stage === "deploy" && alias.kind === "moved") row[1] = `${row[1]}, not fresh (rolled back)`;
      rows.push(row);
      const line = record ? detail(stage, record) : "";
      if (line) details.push(`  ${stage}: ${line}`);
    }
  }
  const aliasLine = describeAlias(alias, deployFile, lockfile.stages.deploy);
  if (aliasLine) details.push(`  alias: ${aliasLine}`);
  const out = [`${lockfile.pipeline} (${display})${provider}`, "", ...table(rows)];
  if (remote) details.push(`  train: remote: ${describeRemote(remote)}`);
  // Nothing trains a local job between commands: say so rather than let "running" suggest it progresses.
  const localJob = (train?.checkpoint as { provider?: { kind?: string } } | undefined)?.provider?.kind === "local";
  if (remote && localJob && !("error" in remote) && !["succeeded", "failed", "cancelled"].includes(remote.status)) {
    details.push(`  train: ${LOCAL_JOB_STOPS}`);
  }
  if (details.length > 0) out.push("", ...details);
  io.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
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
  const gate = (evaluate?.outputs as { gate?: { status?: string; reasons?: string[] } } | undefined)?.gate;
  if (evaluate?.status !== "succeeded" || gate?.status !== "failed") return undefined;
  const deployed = stages.deploy?.finished_at ?? stages.deploy?.started_at;
  if (deployed && evaluate.finished_at && deployed > evaluate.finished_at) return undefined;
  return `evaluation gate not met${gate.reasons?.length ? `: ${gate.reasons.join("; ")}` : ""}`;
}

/** Where the deploy alias points now, and whether a rollback moved it away from what the last deploy recorded. */
function describeAlias(state: AliasState, file: string, deploy: StageRecord | undefined): string | undefined {
  switch (state.kind) {
    case "missing":
      return deploy?.status === "succeeded"
        ? `${path.basename(file)} is missing: the next run deploys again`
        : undefined;
    case "same":
      return `${state.alias} points at ${state.model}`;
    case "moved":
      return `${describeMoved(state)}; deploy is not fresh (\`tunefile run --from deploy\` deploys it again)`;
  }
}

function isRemoteInFlight(record: StageRecord): boolean {
  return record.status === "running" && typeof record.checkpoint?.job_id === "string";
}

/** What the provider says about a job: its own answer, or why it could not be asked. */
type RemoteAnswer = Awaited<ReturnType<typeof describeTrainingJob>> | { error: string };

/**
 * Asks the provider where the recorded training job is (two requests). This needs the pipeline (for the provider
 * settings): when it does not load or the provider cannot be reached, status says so and still exits 0.
 */
async function remoteTraining(
  file: string,
  args: Record<string, unknown>,
  io: CliIo,
  record: StageRecord,
): Promise<RemoteAnswer> {
  // Loaded only when a job is in flight: the pipeline loader and the SDK would slow every other status down.
  const [{ openSession }, { makeRedactor }, { describeTrainingJob, recordedJob }, { systemClock }] = await Promise.all([
    import("../engine/session.js"),
    import("../providers/redact.js"),
    import("../stages/train-remote.js"),
    import("../core/clock.js"),
  ]);
  const loaded = await openSession({
    file,
    cwd: io.cwd,
    env: io.env,
    ...(typeof args.provider === "string" ? { providerFlag: args.provider } : {}),
  });
  if (!loaded.ok) return { error: `the ${loaded.step} does not load; \`tunefile validate\` says why` };
  const redact = makeRedactor(io.env);
  let provider: Provider | undefined;
  try {
    provider = await loaded.session.provider.connect();
    const job = recordedJob(record);
    if (!job) return { error: "no job id" };
    return await describeTrainingJob(provider, job.jobId, { signal: io.signal, env: io.env, clock: systemClock });
  } catch (err) {
    return { error: redact(err instanceof Error ? err.message : String(err)) };
  } finally {
    await provider?.close();
  }
}

function describeRemote(remote: RemoteAnswer): string {
  if ("error" in remote) return `unavailable (${remote.error})`;
  const parts = [remote.status];
  if (remote.step !== undefined) {
    parts.push(remote.totalSteps !== undefined ? `step ${remote.step}/${remote.totalSteps}` : `step ${remote.step}`);
  }
  if (remote.loss !== undefined) parts.push(`loss ${remote.loss.toFixed(2)}`);
  if (remote.fine_tuned_model) parts.push(`model ${remote.fine_tuned_model}`);
  return `${parts.join(", ")}${remote.latest ? `; latest: ${remote.latest}` : ""}`;
}

function recordRow(stage: string, record: StageRecord): string[] {
  const remote = record.status === "running" && record.checkpoint ? " (in progress or interrupted)" : "";
  return [
    stage,
    `${record.status}${remote}`,
    String(record.attempts),
    record.started_at ?? "",
    record.finished_at ?? "",
  ];
}

function detail(stage: (typeof STAGE_NAMES)[number], record: StageRecord): string {
  const parts: string[] = [];
  const summary = summarizeOutputs(stage, record.outputs);
  if (summary) parts.push(summary);
  if (record.status === "running" && record.checkpoint) {
    // Remote ids only (job_id, file ids); intent markers and times stay in the lockfile.
    const ids = Object.entries(record.checkpoint)
      .filter(([k, v]) => typeof v === "string" && /id$/.test(k))
      .map(([k, v]) => `${k} ${v}`);
    if (ids.length > 0) parts.push(`checkpoint: ${ids.join(", ")}`);
  }
  if (record.error && record.status !== "succeeded") parts.push(`error ${record.error.code}: ${record.error.message}`);
  return parts.join("; ");
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
}
