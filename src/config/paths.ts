import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import type { PipelinePaths } from "../core/loaded-pipeline.js";

/**
 * Where everything of a pipeline lives. Data paths are relative to the pipeline's directory; generated state
 * (.tunefile/, reports/, deployments/) to the project root (see {@link projectRoot}).
 */
export function pipelinePaths(
  file: string,
  display: { file: string; base: string },
  root: string,
  name: string,
): PipelinePaths {
  const dir = path.dirname(file);
  return {
    file,
    displayFile: display.file,
    displayBase: display.base,
    dir,
    root,
    lockfile: lockfileOf(file),
    workDir: path.join(root, ".tunefile", name),
    reportsDir: path.join(root, "reports", name),
    deploymentsDir: path.join(root, "deployments"),
  };
}

/** `<pipeline>.lock.yaml` beside the pipeline: `pipelines/elle.yaml` -> `pipelines/elle.lock.yaml`. */
export function lockfileOf(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file).replace(/\.ya?ml$/i, "")}.lock.yaml`);
}

/**
 * The project root: the one the pipeline's lockfile records (the directory its first run was started in), else the
 * working directory. Fingerprints name files relative to the root, so a root that followed the working directory
 * would make a run started elsewhere (`cd pipelines && tunefile run elle.yaml`) see every stage as changed, and
 * train again. A lockfile that cannot be read leaves it to the working directory; opening it reports the problem.
 */
export async function projectRoot(file: string, cwd: string): Promise<string> {
  const lockfile = lockfileOf(file);
  try {
    const text = await readFile(lockfile, "utf8");
    // The top-level keys before `stages:` only: the stage records are most of the file, and this runs on every load.
    const head = text.indexOf("\nstages:");
    return rootOf(lockfile, (parse(head < 0 ? text : text.slice(0, head)) as { root?: unknown } | null)?.root, cwd);
  } catch {
    // Missing (never run), unreadable or not YAML.
    return cwd;
  }
}

/** The root a lockfile records (relative to its directory), or the working directory when it records none. */
export function rootOf(lockfile: string, recorded: unknown, cwd: string): string {
  return typeof recorded === "string" ? path.resolve(path.dirname(lockfile), recorded) : cwd;
}

/**
 * Makes `<root>/.tunefile/` ignore itself in git, as DVC's `.dvc/tmp` does: prepared data, caches and the local
 * provider's state belong to this machine, and a project whose .gitignore does not name the directory would commit
 * them with its first `git add -A`. Best effort: a directory that cannot be written fails the run where it is used.
 */
export async function ignoreStateInGit(root: string): Promise<void> {
  const dir = path.join(root, ".tunefile");
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, ".gitignore"), "# tunefile's working state on this machine: not for git.\n*\n", {
      flag: "wx",
    });
  } catch {
    // Already there (EEXIST), or not writable.
  }
}
