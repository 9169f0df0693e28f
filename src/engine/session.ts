import { loadPipeline } from "../pipeline/load.js";
import path from "node:path";
import { displayPathOf, relativePosix } from "../core/display-path.js";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sameProvider } from "../providers/provider.js";
import { checkProviderFlag, type ProviderChoice, resolveProvider } from "../providers/resolve.js";
import type { Env } from "../core/env.js";
import { LockfileStore, type OpenLockfileResult } from "./lockfile/store.js";
import { checkpointOf } from "./stage-io.js";
import { lifecycleWarnings } from "../pipeline/lifecycle.js";

/** What `plan` and `run` need before anything happens: the pipeline and the chosen provider. */
export interface Session {
  /**
   * The pipeline as this run uses it: its `provider:` is the chosen provider's settings (after `--provider` and
   * `auto`), so that what depends on the provider (the training estimate's default epochs) follows the flag.
   */
  pipeline: LoadedPipeline;
  provider: Extract<ProviderChoice, { ok: true }>;
  /** Non-fatal problems found while loading, to print. */
  warnings: Diagnostic[];
  /** Displayed file name -> text, for rendering diagnostics with their source lines. */
  sources: Map<string, string>;
}

export type SessionResult =
  | { ok: true; session: Session }
  /** `step` says which step refused, so the CLI can phrase it; all are exit code 2 (invalid input). */
  | { ok: false; step: "pipeline" | "provider"; diagnostics: Diagnostic[]; sources: Map<string, string> };

export interface SessionInput {
  file: string;
  cwd: string;
  env: Env;
  /** -S key=value overrides. Default: none. */
  overrides?: string[];
  /** --provider. */
  providerFlag?: string;
  /** Today, for the providers' fine-tuning lifecycle warnings. Absent: no such warning. */
  now?: Date;
}

/**
 * Loads the pipeline and chooses the provider (without connecting). Every problem comes back as a located
 * diagnostic; nothing is written. The lockfile is opened separately ({@link openStore}): `run` reads it only once it
 * holds the run lock, so that it never starts from a state another run was still changing.
 */
export async function openSession(input: SessionInput): Promise<SessionResult> {
  // An unknown --provider is refused first: the pipeline's rules check it against the provider the run will use.
  const unknown = checkProviderFlag(input.providerFlag);
  if (unknown.length > 0) return { ok: false, step: "provider", diagnostics: unknown, sources: new Map() };
  const loaded = await loadPipeline(input.file, {
    cwd: input.cwd,
    env: input.env,
    overrides: input.overrides ?? [],
    providerFlag: input.providerFlag,
  });
  if (!loaded.ok) return { ok: false, step: "pipeline", diagnostics: loaded.diagnostics, sources: loaded.sources };
  const { sources } = loaded;
  const provider = resolveProvider({
    config: loaded.pipeline.config,
    env: input.env,
    flag: input.providerFlag,
    root: loaded.pipeline.paths.root,
    pipelineDir: loaded.pipeline.paths.dir,
  });
  if (!provider.ok) return { ok: false, step: "provider", diagnostics: provider.diagnostics, sources };
  const pipeline = { ...loaded.pipeline, config: { ...loaded.pipeline.config, provider: provider.settings } };
  const warnings = [...loaded.warnings, ...lifecycleWarnings(pipeline, provider.identity.kind, input.now)];
  return { ok: true, session: { pipeline, provider, warnings, sources } };
}

/**
 * Opens the pipeline's lockfile: missing is empty; corrupt, invalid or newer is refused with located diagnostics
 * (the file's text is added to `sources` for rendering) and never overwritten.
 */
export async function openStore(session: Session): Promise<OpenLockfileResult> {
  const { pipeline, sources } = session;
  const { lockfile, root } = pipeline.paths;
  const display = displayPathOf(lockfile, pipeline.paths.displayBase);
  const recordedRoot = relativePosix(path.dirname(lockfile), root) || ".";
  const opened = await LockfileStore.open(lockfile, display, pipeline.config.name, recordedRoot);
  if (!opened.ok && opened.text !== undefined) sources.set(display, opened.text);
  return opened;
}

/**
 * `provider: auto` follows OPENAI_API_KEY, which the pipeline does not show. When it points away from where the
 * lockfile records training, a run would train again there and replace that record: with the key set, a new paid
 * job; without it, the paid model's record (and its deployment) replaced by a local one. Either takes an explicit
 * choice of provider, never the environment alone. (`watch` and `cancel` refuse any job recorded elsewhere.)
 */
export function autoSwitch(session: Session, store: LockfileStore): Diagnostic[] {
  const { source, identity } = session.provider;
  const train = store.record("train");
  const recorded = checkpointOf("train", train).provider;
  if (source.from !== "auto" || !recorded || sameProvider(recorded, identity)) return [];
  if (train?.status !== "succeeded" && train?.status !== "running") return [];
  const why = source.openaiKeySet ? "OPENAI_API_KEY is set" : "OPENAI_API_KEY is not set";
  const paid = identity.kind === "local" ? "" : " (a new, paid job)";
  const back = source.openaiKeySet ? "unset OPENAI_API_KEY" : "set OPENAI_API_KEY";
  return [
    {
      severity: "error",
      code: "provider-switch",
      message: `\`provider: auto\` chose ${identity.kind} (${why}), but the lockfile records training (${train.status}) on ${recorded.kind} at ${recorded.base_url}: running would train again on ${identity.kind}${paid} and replace that record`,
      hint: `${back} to go on with ${recorded.kind}, or choose with \`--provider ${identity.kind}\` (or \`provider: ${identity.kind}\` in the pipeline)`,
    },
  ];
}
