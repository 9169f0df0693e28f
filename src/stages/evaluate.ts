import { displayPathOf, relativePosix } from "../core/display-path.js";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Env } from "../core/env.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Evaluation } from "../core/pipeline.generated.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { StageContext, StageDefinition, StageError, StageOutcome, StagePreview } from "../engine/stage.js";
import { ResponseCache } from "../eval/cache.js";
import { candidatesAndPrompts, configuredCandidates } from "../eval/candidates.js";
import { estimateEvaluation, MAX_CHECKPOINTS } from "../eval/estimate.js";
import { evaluationFileHashes } from "../eval/fingerprint-files.js";
import { findCandidate } from "../eval/gate.js";
import { findTrainingOverlap } from "../eval/training-examples.js";
import { completionParams, plannedRequests, runEvaluation } from "../eval/run.js";
import { summarise } from "../eval/stats/summary.js";
import type { CandidateKind, EvalCandidate, EvalPrompt, EvalResults, EvalSummary } from "../eval/types.js";
import { toStageError } from "../providers/errors.js";
import { makeRedactor } from "../providers/redact.js";
import { makeRemoteCall } from "../providers/remote-call.js";
import { readMetrics } from "../report/metrics.js";
import { trainingFacts } from "../report/training-facts.js";
import { metricsFile, writeReports, writeResults } from "../report/write.js";
import { checkpointOf, type EvaluateOutputs, outputsOf } from "../engine/stage-io.js";
import { DEPLOYMENT_HINT } from "./azure-preflight.js";
import { deployForEvaluation } from "./evaluate-azure.js";
import { answerWithBatches } from "./evaluate-batch.js";
import type { Provider } from "../providers/provider.js";
import { resolveProvider } from "../providers/resolve.js";
import { logLine } from "./log.js";

function failedFrom(diagnostics: Diagnostic[]): Extract<StageOutcome, { kind: "failed" }> {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  const hint = first.hint ? ` (${first.hint})` : "";
  return { kind: "failed", error: { code: first.code, message: `${first.message}${hint}${more}` } };
}

/**
 * The evaluate stage: asks every candidate every prompt, grades the answers, computes the statistics and the gate,
 * records `<workDir>/eval/results.json` and writes the reports. A gate that is not met is a success that halts the
 * run with exit code 100, so the results are recorded but deploy never runs.
 */
export const evaluateStage: StageDefinition<EvaluateOutputs> = {
  name: "evaluate",
  version: 1,
  usesProvider: true,
  enabled: (pipeline) => pipeline.config.evaluation !== undefined,
  fingerprintInput: async (pipeline, upstream) => {
    const train = outputsOf("train", upstream.train);
    const prepared = outputsOf("prepare", upstream.prepare)?.train.sha256;
    const files = await evaluationFileHashes(pipeline);
    if (prepared) files["prepared:train"] = prepared;
    return {
      config: {
        model: pipeline.config.model,
        evaluation: pipeline.config.evaluation,
        fine_tuned_model: train?.fine_tuned_model ?? pipeline.config.training?.fine_tuned_model ?? null,
        checkpoints: train?.checkpoints ?? [],
        // Prices change the recorded costs, not the answers (those come from the cache); absent, they leave the
        // fingerprint of pipelines without overrides as it was.
        ...(pipeline.config.prices ? { prices: pipeline.config.prices } : {}),
      },
      files,
    };
  },
  preview: async (pipeline): Promise<StagePreview> => {
    const estimate = await estimateEvaluation(pipeline);
    if (!estimate) return { lines: [] };
    const checkpoints = configuredCandidates(pipeline.config).includes("checkpoints")
      ? ` (checkpoints counted as ${MAX_CHECKPOINTS}, the most the service keeps)`
      : "";
    const lines = [
      `${estimate.prompts} prompts × ${estimate.candidates} candidates = ${estimate.requests} chat completions${checkpoints} (cached answers are not asked again)`,
    ];
    const cost = estimate.maxCostUsd;
    if (cost === undefined) {
      lines.push(`estimated evaluation cost: unknown (no price for ${estimate.unpriced}; give it in \`prices:\`)`);
      return { lines, data: { ...estimate } };
    }
    lines.push(`estimated evaluation cost: at most $${cost.toFixed(4)} (every answer max_tokens long)`);
    return { lines, data: { ...estimate }, estimatedCostUsd: cost };
  },
  run: runEvaluate,
};

async function runEvaluate(ctx: StageContext): Promise<StageOutcome<EvaluateOutputs>> {
  const { pipeline } = ctx;
  const config = pipeline.config;
  const evaluation = config.evaluation;
  if (!evaluation) throw new Error("internal error, please report: evaluate ran without `evaluation:`");

  const train = outputsOf("train", ctx.upstream.train);
  const asked = await candidatesAndPrompts(pipeline, evaluation, ctx.upstream.prepare, train);
  const { candidates, prompts, diagnostics } = asked;
  for (const d of diagnostics.filter((x) => x.severity === "warning")) {
    logLine(ctx, d.message, "warn");
  }
  if (diagnostics.some((d) => d.severity === "error")) return failedFrom(diagnostics);

  const provider = await ctx.provider();
  const others = await connectCandidateProviders(pipeline, ctx.env, candidates);
  if (!others.ok) return failedFrom(others.diagnostics);
  const cache = await ResponseCache.open(path.join(pipeline.paths.workDir, "cache"), { compact: true });
  // Only a candidate with answers still to ask needs its model deployed (asked on Azure only, so keyed only then).
  let requests: ReturnType<typeof plannedRequests> | undefined;
  const unanswered = async (c: EvalCandidate) => {
    requests ??= plannedRequests(provider.identity, candidates, prompts, evaluation.params);
    for (const r of requests) if (r.model === c.model && !(await cache.get(r.key))) return true;
    return false;
  };
  let outcome: StageOutcome<EvaluateOutputs> | undefined;
  let release = async () => {};
  try {
    const deployed = await deployForEvaluation(ctx, provider, candidates, unanswered);
    if (!deployed.ok) return { kind: "failed", error: deployed.error };
    release = deployed.release;
    outcome = await evaluateWith(ctx, evaluation, deployed.provider, others.providers, {
      candidates: deployed.candidates,
      prompts,
      cache,
    });
    return outcome;
  } finally {
    await cache.close();
    await others.providers.close();
    // Batches still running (detached) are answered by the deployments; an abort leaves them to expire.
    if (outcome && outcome.kind !== "detached") await release();
  }
}

/** What to do about the first failed request, when tunefile knows more than the provider said. */
function failureHint(code: string, kind: CandidateKind | undefined, ctx: StageContext): string {
  if (code === "DeploymentNotFound") return `; ${DEPLOYMENT_HINT}`;
  // Train is fresh by its record, not by asking the provider: training again is paid for, so it is the user's call
  // (without --force, a rerun of train adopts the finished job of the same fingerprint, and its model is the gone one).
  if (code === "model_not_found" && (kind === "fine_tuned" || kind === "checkpoint")) {
    return `; the model train recorded is gone from the provider (deleted, or trained by another machine's local provider, whose models stay in its .tunefile/local): \`tunefile run ${ctx.pipeline.paths.displayFile} --from train --force\` trains it again (a new job, paid for)`;
  }
  return "";
}

/** The requests, answers, statistics and reports, once the candidates and prompts are known. */
async function evaluateWith(
  ctx: StageContext,
  evaluation: Evaluation,
  provider: Provider,
  others: CandidateProviders,
  { candidates, prompts, cache }: { candidates: EvalCandidate[]; prompts: EvalPrompt[]; cache: ResponseCache },
): Promise<StageOutcome<EvaluateOutputs>> {
  const { pipeline } = ctx;
  const config = pipeline.config;
  const modules = new Map<string, Promise<unknown>>();
  const redact = makeRedactor(ctx.env, ctx.pipeline.config);
  const call = makeRemoteCall(ctx);
  const mode = evaluation.mode ?? "sync";
  let failures: Map<string, StageError> | undefined;
  let fromBatches = 0;
  // Batches recorded by an earlier attempt are collected even if the pipeline now says sync: they are paid for.
  const previous = ctx.previous;
  const recorded = Object.values(checkpointOf("evaluate", previous).batches ?? {}).some((b) => b.batch_id);
  const unfinished = previous?.status === "running" && previous.fingerprint === ctx.fingerprint;
  if (mode === "batch" || (recorded && unfinished)) {
    const requests = plannedRequests(provider.identity, candidates, prompts, evaluation.params);
    const retry = evaluation.batch?.retry ?? "sync";
    const syncFallback = pipeline.config.budget?.max_usd === undefined || ctx.options.yes;
    const batched = await answerWithBatches({ ctx, provider, call, cache, requests, retry, syncFallback });
    if (batched.kind === "detached") return { kind: "detached", message: batched.message };
    failures = batched.failures;
    fromBatches = batched.answered;
  }
  const cells = await runEvaluation({
    provider,
    providerFor: others.providerFor,
    candidates,
    prompts,
    params: evaluation.params,
    concurrency: evaluation.concurrency,
    cache,
    failures,
    call,
    describeError: (err) => toStageError(err, redact, ctx.clock.now()),
    now: () => ctx.clock.now().getTime(),
    defaultJudgeModel: evaluation.judge?.model ?? config.model,
    // Custom graders are imported only here, only because the pipeline names them, once per path.
    loadModule: (p) => {
      const file = path.resolve(pipeline.paths.dir, p);
      if (!modules.has(file)) modules.set(file, import(pathToFileURL(file).href));
      return modules.get(file)!;
    },
    signal: ctx.signal,
    onCell: (done, total) =>
      ctx.emit({
        type: "stage-progress",
        stage: "evaluate",
        message: `${done}/${total} answers`,
        step: done,
        totalSteps: total,
      }),
  });

  const summary = summarise(candidates, prompts, cells, evaluation.gate, config.prices, mode);
  const overlap = await findTrainingOverlap(pipeline, ctx.upstream.prepare, prompts);
  const trainRecord = ctx.upstream.train;
  const metricsPath = outputsOf("train", trainRecord)?.metrics_file;
  const metrics = await readMetrics(
    typeof metricsPath === "string" ? path.resolve(pipeline.paths.root, metricsPath) : metricsFile(pipeline.paths),
  );
  const results: EvalResults = {
    version: 1,
    pipeline: config.name,
    provider: provider.identity,
    fingerprint: ctx.fingerprint,
    params: completionParams(evaluation.params),
    mode,
    candidates,
    prompts,
    cells,
    summary,
    training_overlap: overlap,
    training: trainingFacts({ config, train: trainRecord, provider: provider.identity, metrics }),
  };
  if (config.description !== undefined) results.description = config.description;
  const resultsPath = await writeResults(pipeline.paths, results);
  const written = await writeReports(pipeline.paths, results);
  const fromCache = cells.filter((c) => c.cached).length;
  const cached = fromBatches > 0 ? `${fromBatches} from batches, ${fromCache - fromBatches}` : fromCache;
  const failedCells = cells.filter((c) => c.error);
  const failed = failedCells.length > 0 ? `, ${failedCells.length} failed` : "";
  logLine(
    ctx,
    `${cells.length - failedCells.length} answers${failed} (${cached} from the cache); report: ${displayPathOf(written.markdown, pipeline.paths.displayBase)}`,
  );

  const first = failedCells[0];
  if (first?.error) {
    const hint = failureHint(first.error.code, candidates.find((c) => c.label === first.candidate)?.kind, ctx);
    const said = hint ? first.error.message.replace(/\.$/, "") : first.error.message;
    const message = `${failedCells.length} of ${cells.length} requests failed (answers so far are cached; run again to retry): ${first.candidate} on ${first.prompt}: ${said}${hint}`;
    return { kind: "failed", error: { code: first.error.code, message } };
  }

  const underRoot = (file: string) => relativePosix(pipeline.paths.root, file);
  const outputs = evaluateOutputs(summary, candidates, underRoot(resultsPath), underRoot(written.markdown));
  const gate = summary.gate;
  if (gate.status === "failed") {
    return { kind: "succeeded", outputs, halt: { reason: `evaluation gate not met: ${gate.reasons.join("; ")}` } };
  }
  return { kind: "succeeded", outputs };
}

function evaluateOutputs(
  summary: EvalSummary,
  candidates: EvalResults["candidates"],
  results: string,
  report: string,
): EvaluateOutputs {
  const gate = summary.gate;
  const outputs: EvaluateOutputs = {
    results,
    report,
    candidates: summary.candidates.map((c) => ({
      label: c.label,
      model: c.model,
      pass_rate: c.pass.rate,
      ci95: [c.pass.low, c.pass.high],
    })),
    gate:
      gate.status === "none"
        ? { status: "none" }
        : { status: gate.status, candidate: gate.candidate, reasons: gate.reasons },
  };
  const shipped = findCandidate(candidates, gate.status === "none" ? "fine_tuned" : gate.candidate);
  if (shipped) outputs.deploy_model = shipped.model;
  return outputs;
}

/** The candidates' own providers, connected, and how to release them. */
interface CandidateProviders {
  providerFor(candidate: EvalCandidate): Provider | undefined;
  close(): Promise<void>;
}

/**
 * Connects the providers of candidates that name their own (`{model, provider}`), each resolved on its own with
 * its own credentials, so one report can compare models on several services. Candidates on the same service
 * share one connection. Missing credentials come back as diagnostics, before any request.
 */
async function connectCandidateProviders(
  pipeline: LoadedPipeline,
  env: Env,
  candidates: readonly EvalCandidate[],
): Promise<{ ok: true; providers: CandidateProviders } | { ok: false; diagnostics: Diagnostic[] }> {
  const byLabel = new Map<string, Provider>();
  const byIdentity = new Map<string, Provider>();
  const diagnostics: Diagnostic[] = [];
  for (const candidate of candidates) {
    if (candidate.provider === undefined) continue;
    const choice = resolveProvider({
      config: { ...pipeline.config, provider: candidate.provider },
      env,
      root: pipeline.paths.root,
      pipelineDir: pipeline.paths.dir,
    });
    if (!choice.ok) {
      diagnostics.push(
        ...choice.diagnostics.map((d) => ({ ...d, message: `candidate ${candidate.label}: ${d.message}` })),
      );
      continue;
    }
    const key = `${choice.identity.kind} ${choice.identity.base_url}`;
    let provider = byIdentity.get(key);
    if (!provider) {
      provider = await choice.connect();
      byIdentity.set(key, provider);
    }
    byLabel.set(candidate.label, provider);
  }
  const close = async () => {
    for (const provider of byIdentity.values()) await provider.close();
  };
  if (diagnostics.length > 0) {
    await close();
    return { ok: false, diagnostics };
  }
  return { ok: true, providers: { providerFor: (c) => byLabel.get(c.label), close } };
}
