import type { TrainingMethod } from "../../core/catalog/models.js";
import { validateTrainingFile } from "../../data/validate-file.js";
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
  const trainBytes = await store.fileBytes(files.training);
  const train = await validateTrainingFile(trainBytes, { method, model, purpose: "training" });
  if (!train.ok) return { ok: false, error: train.error };
  let validation: TrainingExample[] | undefined;
  if (files.validation !== null) {
    const bytes = await store.fileBytes(files.validation);
    const verdict = await validateTrainingFile(bytes, { method, model, purpose: "validation" });
    if (!verdict.ok) return { ok: false, error: verdict.error };
    validation = parseExamples(bytes, method);
  }
  return {
    ok: true,
    train: parseExamples(trainBytes, method),
    validation,
    billingTokensPerEpoch: train.billingTokens,
  };
}

/** Parses lines the checks already accepted (same BOM and blank-line handling as validateTrainingFile). */
function parseExamples(bytes: Uint8Array, method: TrainingMethod): TrainingExample[] {
  const out: TrainingExample[] = [];
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("utf8")
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const text = i === 0 ? raw.replace(/^\uFEFF/, "") : raw;
      if (text.trim() !== "") out.push(toTrainingExample(JSON.parse(text), method));
    });
  return out;
}
