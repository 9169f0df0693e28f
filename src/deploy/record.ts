import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { removeOrphanedTemps, writeFileAtomic } from "../core/atomic-write.js";
import type { EvaluateOutputs } from "../engine/stage-io.js";

/** One model the alias pointed at. */
export interface DeploymentEntry {
  model: string;
  /** The deploy stage's fingerprint: it covers the whole pipeline upstream (data, training, evaluation). */
  fingerprint: string;
  /** The evaluation behind it, in short: each candidate's pass rate and the gate. */
  evaluation?: Pick<EvaluateOutputs, "candidates" | "gate">;
  /** ISO time the alias started pointing here (again, after a rollback). */
  deployed_at: string;
  /** The Azure deployment created for it: ARM resource id and deployment name. */
  azure?: { id: string; name: string };
}

/** An append-only log line: every deploy and rollback, in order. */
export type DeploymentEvent =
  | { action: "deploy"; model: string; at: string }
  | { action: "rollback"; from: string; to: string; at: string };

/** `deployments/<name>.json`: where the alias points now, the earlier targets (newest first) and the log. */
export interface DeploymentFile {
  alias: string;
  pipeline: string;
  current: DeploymentEntry | null;
  /** Earlier targets, newest first: rollback moves the alias to history[0]. */
  history: DeploymentEntry[];
  log: DeploymentEvent[];
}

export function deploymentFilePath(deploymentsDir: string, pipeline: string): string {
  return path.join(deploymentsDir, `${pipeline}.json`);
}

export async function readDeployments(file: string): Promise<DeploymentFile | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as DeploymentFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Written atomically (temp file, fsync, rename): a crash leaves the old file or the new one, never half of one. A
 * writer killed mid-write leaves its temp file beside this one, in a folder users commit, so it is removed here.
 * Callers hold the run lock, so no live writer's temp file is removed from under it.
 */
export async function writeDeployments(file: string, record: DeploymentFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await removeOrphanedTemps(file);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Points the alias at a new entry, keeping the previous one in the history. The same model again (a rerun after an
 * upstream change that trained nothing new, e.g. an edited evaluation prompt) updates the current entry's fingerprint
 * and evaluation in place: the history records moves of the alias, not re-evaluations.
 */
export function pushDeployment(
  existing: DeploymentFile | undefined,
  alias: string,
  pipeline: string,
  entry: DeploymentEntry,
): { record: DeploymentFile; changed: boolean } {
  const base: DeploymentFile = existing ?? { alias, pipeline, current: null, history: [], log: [] };
  const current = base.current;
  if (current && current.model === entry.model && base.alias === alias) {
    const updated: DeploymentEntry = { ...entry, deployed_at: current.deployed_at };
    if (JSON.stringify(updated) === JSON.stringify(current)) return { record: base, changed: false };
    return { record: { ...base, current: updated }, changed: true };
  }
  return {
    record: {
      alias,
      pipeline,
      current: entry,
      history: current ? [current, ...base.history] : base.history,
      log: [...base.log, { action: "deploy", model: entry.model, at: entry.deployed_at }],
    },
    changed: true,
  };
}

/** Moves the alias back one step: to the newest history entry, which leaves the history. */
export function rollbackDeployment(
  existing: DeploymentFile,
  at: string,
): { ok: true; record: DeploymentFile; from: DeploymentEntry; to: DeploymentEntry } | { ok: false; message: string } {
  const [previous, ...older] = existing.history;
  const current = existing.current;
  if (!current) return { ok: false, message: `alias ${existing.alias} points at nothing` };
  if (!previous) return { ok: false, message: `alias ${existing.alias} has no earlier deployment to roll back to` };
  const to: DeploymentEntry = { ...previous, deployed_at: at };
  return {
    ok: true,
    from: current,
    to,
    record: {
      ...existing,
      current: to,
      history: older,
      log: [...existing.log, { action: "rollback", from: current.model, to: previous.model, at }],
    },
  };
}

/**
 * Where the alias points compared with what the lockfile's deploy record says it shipped:
 * - `missing`: no deployments file (deleted, or never deployed): deploy runs again;
 * - `same`: the alias points at the recorded model;
 * - `moved`: it points elsewhere, normally because of `tunefile rollback` (`rolledBackAt` is then the time).
 */
export type AliasState =
  | { kind: "missing" }
  | { kind: "same"; alias: string; model: string }
  | { kind: "moved"; alias: string; model: string | null; recorded: string; rolledBackAt?: string };

export async function aliasState(file: string, recordedModel: string | undefined): Promise<AliasState> {
  const record = await readDeployments(file);
  if (!record?.current) return { kind: "missing" };
  const model = record.current.model;
  if (recordedModel === undefined || model === recordedModel) return { kind: "same", alias: record.alias, model };
  const last = record.log.at(-1);
  return {
    kind: "moved",
    alias: record.alias,
    model,
    recorded: recordedModel,
    ...(last?.action === "rollback" && last.to === model ? { rolledBackAt: last.at } : {}),
  };
}

/** "elle-production points at ft:A (rolled back at T), not ft:B that the last deploy recorded". */
export function describeMoved(state: Extract<AliasState, { kind: "moved" }>): string {
  const how = state.rolledBackAt ? `rolled back at ${state.rolledBackAt}: ` : "";
  return `${how}${state.alias} points at ${state.model}, not ${state.recorded} that the last deploy recorded`;
}
