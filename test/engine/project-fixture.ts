import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../helpers/cli.js";

/**
 * A throwaway project: a copy of pipelines/elle.yaml and its data in a temp directory, without any lockfile or
 * state, so CLI tests run the real pipeline without touching the repository. `clone` copies a project including
 * its lockfile and .tunefile/ state (the local provider's files, jobs and models), so one slow full run can seed
 * several independent tests.
 */
export interface Project {
  dir: string;
  lockfile: string;
  clone(): Promise<Project>;
  remove(): Promise<void>;
}

export async function elleProject(): Promise<Project> {
  const dir = await mkdtemp(path.join(tmpdir(), "tunefile-cli-"));
  await cp(path.join(REPO_ROOT, "pipelines/elle.yaml"), path.join(dir, "pipelines/elle.yaml"));
  await cp(path.join(REPO_ROOT, "pipelines/data/elle"), path.join(dir, "pipelines/data/elle"), { recursive: true });
  return project(dir);
}

function project(dir: string): Project {
  return {
    dir,
    lockfile: path.join(dir, "pipelines/elle.lock.yaml"),
    async clone() {
      const copy = await mkdtemp(path.join(tmpdir(), "tunefile-cli-"));
      await cp(dir, copy, { recursive: true });
      return project(copy);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
