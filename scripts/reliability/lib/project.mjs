import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (scripts/reliability/lib -> ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The evaluation of elle, cut down to three prompts and two candidates and a gate without a significance test
 * (three prompts can never be significant): the crash checks are about the records, not the model's quality.
 */
const SMALL_EVAL = `evaluation:
  candidates: [base, fine_tuned]
  params: { temperature: 0, max_tokens: 120 }
  prompts:
    - user: "Tell me about {{element}}"
      vars: { element: [Strontium, Neon, Zinc] }
      assert:
        - icontains: "{{element}}"
  gate: { candidate: fine_tuned, min_pass_rate: 0.5 }
`;

/**
 * A temp project holding pipelines/elle.yaml and its data, as in the repository. With `smallEval`, the evaluation
 * section is replaced by {@link SMALL_EVAL}. Shared with test/reliability/support/elle.ts.
 */
export async function makeElleProject({ smallEval = false, prefix = "tunefile-crash-", root: given } = {}) {
  // `root`: an existing empty directory to fill (the vitest suites pass their own, which they clean up).
  const root = given ?? (await mkdtemp(path.join(tmpdir(), prefix)));
  await mkdir(path.join(root, "pipelines"), { recursive: true });
  await cp(path.join(REPO_ROOT, "pipelines/data/elle"), path.join(root, "pipelines/data/elle"), { recursive: true });
  let yaml = await readFile(path.join(REPO_ROOT, "pipelines/elle.yaml"), "utf8");
  if (smallEval) {
    const start = yaml.indexOf("\nevaluation:\n");
    const end = yaml.indexOf("\ndeploy:\n");
    if (start === -1 || end === -1) throw new Error("pipelines/elle.yaml has no evaluation or deploy section");
    yaml = `${yaml.slice(0, start + 1)}${SMALL_EVAL}${yaml.slice(end)}`;
  }
  await writeFile(path.join(root, "pipelines/elle.yaml"), yaml);
  return root;
}
