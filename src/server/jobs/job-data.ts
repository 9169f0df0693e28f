import type { TrainingMethod } from "../../core/catalog/models.js";
import { validateTrainingFile } from "../../data/validate-file.js";
import { baseSnapshotOf } from "../open-models.js";
import type { JobError, JobObject } from "../records.js";
import type { Store } from "../store.js";
import type { ChatMessage, TrainingExample } from "../trainer/types.js";

/** A job's data after `validating_files`: the examples to train on and what one epoch bills. */
export type JobData =
  | { ok: true; train: TrainingExample[]; validation: TrainingExample[] | undefined; billingTokensPerEpoch: number }
  | { ok: false; error: JobError };

/** Runs the prepare stage's own file checks, as the service does while `validating_files`, then parses the examples. */
export async function loadJobData(store: Store, job: JobObject): Promise<JobData> {
  for (const param of ["training_file", "validation_file"] as const) {
    const id = job[param];
    if (id !== null && !store.files.has(id)) {
      const message = `The ${param.replace("_file", "")} file ${id} no longer exists.`;
      return { ok: false, error: { code: `invalid_${param}`, message, param } };
    }
  }
  const method = job.method.type;
  const model = baseSnapshotOf(job.model);
  const trainBytes = await store.fileBytes(job.training_file);
  const train = await validateTrainingFile(trainBytes, { method, model, purpose: "training" });
  if (!train.ok) return { ok: false, error: train.error };
  let validation: TrainingExample[] | undefined;
  if (job.validation_file !== null) {
    const bytes = await store.fileBytes(job.validation_file);
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

/**
 * A validated example in the trainer's text-only form; a DPO example becomes the input with the preferred answer and,
 * as `rejected`, with the non-preferred one. Tool calls become their JSON text, so nothing written is dropped.
 */
export function toTrainingExample(raw: unknown, method: TrainingMethod): TrainingExample {
  const example = raw as Record<string, unknown>;
  switch (method) {
    case "supervised":
      return { messages: asMessages(example.messages) };
    case "dpo": {
      const input = example.input as Record<string, unknown> | undefined;
      const prompt = asMessages(input?.messages);
      return {
        messages: [...prompt, ...asMessages(example.preferred_output)],
        rejected: [...prompt, ...asMessages(example.non_preferred_output)],
      };
    }
  }
}

function asMessages(list: unknown): ChatMessage[] {
  if (!Array.isArray(list)) return [];
  return list.map((m: Record<string, unknown>) => {
    const message: ChatMessage = { role: m.role as ChatMessage["role"], content: contentText(m) };
    if (m.weight === 0 || m.weight === 1) message.weight = m.weight;
    return message;
  });
}

/** Text of a message's content: a string, the text parts of a content array, or the JSON of a tool call. */
export function contentText(message: Record<string, unknown>): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part: Record<string, unknown>) => (part?.type === "text" && typeof part.text === "string" ? part.text : ""))
      .join("");
  }
  if (message.tool_calls !== undefined) return JSON.stringify(message.tool_calls);
  if (message.function_call !== undefined) return JSON.stringify(message.function_call);
  return "";
}
