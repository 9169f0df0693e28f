import { appendFile, cp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "./paths.js";
import { type Lifetime, tempDir } from "./temp-dir.js";

/**
 * The sample project every test starts from: pipelines/elle.yaml and its data, copied into a temp directory without
 * any lockfile or state. It is built by the crash suite's makeElleProject (scripts/reliability/lib/project.mjs), so
 * the vitest suites and the crash suite always run the same project.
 */
export interface ProjectOptions {
  /** YAML appended to pipelines/elle.yaml. */
  extra?: string;
  /** The crash suite's cut-down evaluation: three prompts and two candidates, to keep CI fast. */
  smallEval?: boolean;
  lifetime?: Lifetime;
  /** An existing empty directory to fill instead of a new temp directory (e.g. a freshly mounted tmpfs). */
  root?: string;
}

export async function elleProject(opts: ProjectOptions = {}): Promise<string> {
  const url = pathToFileURL(path.join(REPO_ROOT, "scripts/reliability/lib/project.mjs")).href;
  const { makeElleProject } = (await import(url)) as {
    makeElleProject(o: { smallEval?: boolean; root?: string }): Promise<string>;
  };
  const root = await makeElleProject({
    smallEval: opts.smallEval ?? false,
    root: opts.root ?? (await tempDir("tunefile-elle-", opts.lifetime)),
  });
  if (opts.extra) await appendFile(path.join(root, "pipelines/elle.yaml"), opts.extra);
  return root;
}

/** The sample project's data with `pipelineYaml` as its only pipeline, at pipelines/<file>. */
export async function projectWith(pipelineYaml: string, file = "p.yaml", lifetime?: Lifetime): Promise<string> {
  const root = await elleProject(lifetime ? { lifetime } : {});
  if (file !== "elle.yaml") await rm(path.join(root, "pipelines/elle.yaml"));
  await writeFile(path.join(root, "pipelines", file), pipelineYaml);
  return root;
}

/**
 * A sample project that outlives single tests: one slow full run in a beforeAll can seed several tests, each on its
 * own `clone` (which copies the lockfile and the .tunefile/ state too). Removed after the file at the latest.
 */
export interface SeededProject {
  dir: string;
  lockfile: string;
  clone(): Promise<SeededProject>;
  remove(): Promise<void>;
}

export async function seededProject(): Promise<SeededProject> {
  return seeded(await elleProject({ lifetime: "file" }));
}

function seeded(dir: string): SeededProject {
  return {
    dir,
    lockfile: path.join(dir, "pipelines/elle.lock.yaml"),
    async clone() {
      const copy = await tempDir("tunefile-elle-", "file");
      await cp(dir, copy, { recursive: true });
      return seeded(copy);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
