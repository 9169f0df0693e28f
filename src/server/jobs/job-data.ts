import { validateTrainingLines } from "../../data/format-checks/index.js";
import type { TrainingMethod } from "../../core/catalog/models.js";
import type { JobError } from "../records.js";
import type { Store } from "../store.js";
import type { TrainingExample } from "../trainer/types.js";
import { toTrainingExample } from "./examples.js";

/** A job's data after `validating_files`: the examples to train on and what one epoch bills. */
export type JobData =
  | { ok: true; train: TrainingExample[]; validation: TrainingExample[] | undefined; billingTokensPerEpoch: number }
  | { ok: false; error: JobError };

/**
 * Runs the prepare stage's own checks (src/data/format-checks) on the uploaded files, like the service does while a
 * job is `validating_files`, then parses the examples for the trainer.
 */
export async function loadJobData(
  store: Store,
  files: { training: string; validation: string | null },
  method: TrainingMethod,
  model: string,
): Promise<JobData> {
  for (const [purpose, id] of [
    ["training", files.training],
    ["validation", files.validation],
  ] as const) {
    if (id !== null && !store.files.has(id)) {
      const param = `${purpose}_file` as const;
      return {
        ok: false,
        error: { code: `invalid_${param}`, message: `The ${purpose} file ${id} no longer exists.`, param },
      };
    }
  }
  const trainLines = await fileLines(store, files.training);
  const train = await validateTrainingLines(yielding(trainLines), { method, model, purpose: "training" });
  if (!train.ok) return { ok: false, error: train.error };
  let validation: TrainingExample[] | undefined;
  if (files.validation !== null) {
    const lines = await fileLines(store, files.validation);
    const verdict = await validateTrainingLines(yielding(lines), { method, model, purpose: "validation" });
    if (!verdict.ok) return { ok: false, error: verdict.error };
    validation = parseExamples(lines, method);
  }
  return {
    ok: true,
    train: parseExamples(trainLines, method),
    validation,
    billingTokensPerEpoch: train.billingTokens,
  };
}

/**
 * The lines, handing the event loop back every few hundred: checking 10,000 examples takes seconds, and the server
 * must keep answering (polls, other jobs) meanwhile.
 */
async function* yielding(lines: readonly string[]): AsyncIterable<string> {
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && i % 256 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    yield lines[i] as string;
  }
}

async function fileLines(store: Store, fileId: string): Promise<string[]> {
  return (await store.fileBytes(fileId)).toString("utf8").split(/\r?\n/);
}

/** Parses lines the checks already accepted (same BOM and blank-line handling as validateTrainingLines). */
function parseExamples(lines: readonly string[], method: TrainingMethod): TrainingExample[] {
  const out: TrainingExample[] = [];
  lines.forEach((raw, i) => {
    const text = i === 0 ? raw.replace(/^\uFEFF/, "") : raw;
    if (text.trim() !== "") out.push(toTrainingExample(JSON.parse(text), method));
  });
  return out;
}
