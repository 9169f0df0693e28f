import { appendFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, REPO_ROOT } from "../../helpers/cli.js";
import { scratchDir } from "./scratch.js";

/** The crash suite's checks (scripts/reliability/lib/invariants.mjs), shared so both suites assert the same things. */
interface Invariants {
  checkProject(
    root: string,
    parseLockfile: unknown,
    opts?: { final?: boolean },
  ): Promise<{ problems: string[]; duplicateJobs: number; duplicateUploads: number; server: ServerState }>;
  readServerState(root: string): Promise<ServerState>;
  loadLockfileParser(binRoot: string): Promise<unknown>;
}
export interface ServerState {
  jobs: { id: string; status: string; fine_tuned_model?: string | null }[];
  files: { id: string; filename: string; sha256: string }[];
  uploads: unknown[];
}

export async function invariants(): Promise<Invariants> {
  const url = pathToFileURL(path.join(REPO_ROOT, "scripts/reliability/lib/invariants.mjs")).href;
  return (await import(url)) as Invariants;
}

/** Checks a finished project the way the crash suite does after its last run; returns the problems found. */
export async function finalProblems(root: string): Promise<string[]> {
  const inv = await invariants();
  const parse = await inv.loadLockfileParser(path.dirname(path.dirname(BIN)));
  return (await inv.checkProject(root, parse, { final: true })).problems;
}

/**
 * A temp project with pipelines/elle.yaml and its data. `smallEval` swaps the evaluation for three prompts and two
 * candidates (the same as the crash suite's --small-eval), to keep CI fast.
 */
export async function elleProject(opts: { smallEval?: boolean; extra?: string } = {}): Promise<string> {
  const url = pathToFileURL(path.join(REPO_ROOT, "scripts/reliability/lib/project.mjs")).href;
  const { makeElleProject } = (await import(url)) as {
    makeElleProject(o: { smallEval?: boolean; root?: string }): Promise<string>;
  };
  const root = await makeElleProject({ smallEval: opts.smallEval ?? false, root: await scratchDir("tunefile-elle-") });
  if (opts.extra) await appendFile(path.join(root, "pipelines/elle.yaml"), opts.extra);
  return root;
}

/** The NDJSON events of a `--json` run. */
export function events(stdout: string): { type: string; [k: string]: unknown }[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}
