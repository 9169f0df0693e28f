import { tmpdir } from "node:os";
import { checkBudget, plannedCost } from "../engine/budget.js";
import { planPipeline, toPlanEntries } from "../engine/plan.js";
import { formatUsd } from "../core/format-usd.js";
import { autoSwitch, openStore } from "../engine/session.js";
import type { StageName, StagePreview } from "../engine/stage.js";
import { countCachedAnswers } from "../stages/evaluate-cached.js";
import { STAGES } from "../stages/registry.js";
import { type CliIo, EXIT, printDiagnostics, writeLine } from "./io.js";
import { openSessionFromArgs, type SessionArgs } from "./open-session.js";

/**
 * `tunefile plan <pipeline>`: what `run` would do per stage (run / skip / resume / disabled) and why, the data counts
 * and training cost estimate, each stage's preview (e.g. the evaluation calls), and the budget. Side-effect free:
 * nothing is written, no provider is contacted. `--json` prints one JSON object. Exit 0, or 2 on invalid input.
 */
export default async function plan(args: SessionArgs & { json?: true }, io: CliIo): Promise<number> {
  const session = await openSessionFromArgs(args, io);
  if (typeof session === "number") return session;
  const opened = await openStore(session);
  const refused = opened.ok ? autoSwitch(session, opened.store) : opened.diagnostics;
  if (!opened.ok || refused.length > 0) {
    printDiagnostics(io, refused, session.sources);
    return EXIT.invalid;
  }
  printDiagnostics(io, session.warnings, session.sources);
  writeLine(io.stderr, session.provider.explanation);

  const { pipeline } = session;
  const planInput = {
    stages: STAGES,
    pipeline,
    lockfile: opened.store.snapshot(),
    provider: session.provider.identity,
    selection: {},
  };
  const planned = await planPipeline(planInput);
  if (!planned.ok) {
    printDiagnostics(io, planned.diagnostics, session.sources);
    return EXIT.invalid;
  }
  let entries = toPlanEntries(planned.entries);
  const records = opened.store.snapshot().stages;
  const previews: Partial<Record<StageName, StagePreview>> = {};
  for (const entry of entries) {
    const preview = STAGES[entry.stage].preview;
    if (entry.action === "disabled" || !preview) continue;
    const input = { action: entry.action, record: records[entry.stage], tempDir: tmpdir(), signal: io.signal };
    previews[entry.stage] = await preview(pipeline, input);
  }
  const data = previews.prepare?.data;
  const trainSha256 = typeof data?.trainSha256 === "string" ? data.trainSha256 : undefined;
  if (trainSha256) {
    // The dry pass knows the bytes prepare will write: plan again to say for sure whether upload reuses a file.
    const sure = await planPipeline({ ...planInput, preparedTrainSha256: trainSha256 });
    if (sure.ok) entries = toPlanEntries(sure.entries);
  }
  const trainingUsd = typeof data?.usd === "number" ? data.usd : undefined;
  const evaluate = entries.find((e) => e.stage === "evaluate");
  const cached =
    evaluate?.action === "run" || evaluate?.action === "resume"
      ? await countCachedAnswers(
          pipeline,
          records,
          Object.fromEntries(entries.map((e) => [e.stage, e.action])),
          session.provider.identity,
          io.env,
        )
      : undefined;
  const cost = await plannedCost(STAGES, pipeline, entries, trainingUsd, {
    tempDir: tmpdir(),
    signal: io.signal,
  });
  const budget = checkBudget(pipeline, cost);

  if (args.json === true) {
    io.stdout.write(
      `${JSON.stringify({
        pipeline: pipeline.config.name,
        provider: session.provider.identity,
        stages: entries,
        data: data ?? null,
        previews,
        evaluation_cache: cached
          ? { requests: cached.requests, from_cache: cached.fromCache, to_ask: cached.toAsk }
          : null,
        budget: {
          max_usd: pipeline.config.budget?.max_usd ?? null,
          estimated_usd: cost.usd ?? null,
          unpriced: cost.unpriced,
          over: budget.kind !== "within",
        },
      })}\n`,
    );
    return EXIT.ok;
  }

  const out: string[] = [`plan for ${pipeline.config.name} (${pipeline.paths.displayFile})`, ""];
  const width = Math.max(...entries.map((e) => e.stage.length)) + 2;
  for (const entry of entries) {
    out.push(`  ${entry.stage.padEnd(width)}${entry.action.padEnd(10)}${entry.reason}`);
  }
  for (const [stage, preview] of Object.entries(previews)) {
    const lines = [...(preview?.lines ?? [])];
    const heading = typeof preview?.data?.heading === "string" ? preview.data.heading : stage;
    if (stage === "evaluate" && cached) {
      lines.push(`${cached.requests} chat completions, ${cached.fromCache} from cache, ${cached.toAsk} to ask`);
    }
    if (lines.length > 0) out.push("", `${heading}:`, ...lines.map((l) => `  ${l}`));
  }
  const maxUsd = pipeline.config.budget?.max_usd;
  if (maxUsd !== undefined) {
    out.push(
      "",
      budget.kind === "within"
        ? `budget: estimated ${cost.usd === undefined ? "$0.00" : formatUsd(cost.usd)} of ${formatUsd(maxUsd)}`
        : `budget: ${budget.message}; run asks first (or needs --yes without a terminal)`,
    );
  }
  io.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}
