import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ChatMessage, TrainConfig, TrainingExample } from "../../../src/server/trainer/types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function readJsonl(file: string): TrainingExample[] {
  return readFileSync(path.join(root, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TrainingExample);
}

/** Elle's real training and validation data, as committed in pipelines/data/elle. */
export const ELLE_TRAIN = readJsonl("pipelines/data/elle/training-data.jsonl");
export const ELLE_VALID = readJsonl("pipelines/data/elle/validation-data.jsonl");
export const ELLE_SYSTEM = ELLE_TRAIN[0]!.messages[0]!.content;

/** Elle's pipeline settings as the local server resolves them (n_epochs 3, batch auto = 1, lr auto = 2). */
export const ELLE_CONFIG: TrainConfig = {
  baseModel: "gpt-4o-mini-2024-07-18",
  nEpochs: 3,
  batchSize: 1,
  learningRateMultiplier: 2,
  seed: 42,
};

export function ask(question: string, system?: string): ChatMessage[] {
  return [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user", content: question }];
}
