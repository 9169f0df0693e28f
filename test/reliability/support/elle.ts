import path from "node:path";
import { pathToFileURL } from "node:url";
import { BIN, REPO_ROOT } from "../../helpers/cli.js";

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

/** The NDJSON events of a `--json` run. */
export function events(stdout: string): { type: string; [k: string]: unknown }[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}
