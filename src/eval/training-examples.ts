import path from "node:path";
import type { LoadedPipeline } from "../core/loaded-pipeline.js";
import { messagesOf, roleOf, textOf } from "../data/item.js";
import { readSource, readSourceFile } from "../data/sources/index.js";
import type { SourceRow } from "../data/sources/types.js";
import type { StageRecord } from "../engine/stage.js";
import { canonicalSha256 } from "../core/canonical-json.js";
import type { EvalMessage, EvalPrompt, PromptOverlap, TrainingOverlap } from "./types.js";
import { outputsOf } from "../engine/stage-io.js";

/** What the evaluation takes from the training data: its system message and the few-shot examples. */
export interface TrainingSample {
  /** The first training example's system message, the default system prompt of every evaluation prompt. */
  system: string | undefined;
  /** The k examples chosen for few-shot candidates (k = the largest few_shot asked for), without system messages. */
  shots: EvalMessage[][];
}

/**
 * Reads the prepared training file (prepare's outputs: `{train: {path, sha256}}`, path relative to the project root)
 * or, when prepare did not run (an existing model evaluated on its own), the raw `dataset.train` source. Streams:
 * only the first example and the k chosen ones are kept.
 *
 * The few-shot choice is deterministic and independent of file order: the k examples whose canonical JSON has the
 * smallest sha256, in that hash order. Only examples that alternate user and assistant turns after an optional
 * system message qualify, so the shots read as an earlier conversation.
 */
export async function sampleTrainingData(
  pipeline: LoadedPipeline,
  prepare: StageRecord | undefined,
  k: number,
): Promise<TrainingSample> {
  let system: string | undefined;
  let first = true;
  const chosen: { hash: string; messages: EvalMessage[] }[] = [];
  for await (const row of trainingRows(pipeline, prepare)) {
    if (row.kind !== "row") continue;
    const messages = messagesOf(row.value);
    if (!messages) continue;
    if (first) {
      first = false;
      const sys = messages.find((m) => roleOf(m) === "system");
      if (sys) system = textOf(sys);
    }
    if (k === 0) break;
    const turns = conversationTurns(messages);
    if (!turns) continue;
    const hash = canonicalSha256(row.value);
    if (chosen.length === k && hash >= chosen[k - 1]!.hash) continue;
    chosen.push({ hash, messages: turns });
    chosen.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    if (chosen.length > k) chosen.pop();
  }
  return { system, shots: chosen.map((c) => c.messages) };
}

/** The prepared training file's rows, or the raw `dataset.train` source's when prepare did not run. */
function trainingRows(pipeline: LoadedPipeline, prepare: StageRecord | undefined): AsyncGenerator<SourceRow> {
  const train = outputsOf("prepare", prepare)?.train;
  if (train) {
    const file = path.resolve(pipeline.paths.root, train.path);
    return readSourceFile({ path: file, display: train.path, format: "jsonl" });
  }
  return readSource(pipeline.config.dataset.train, pipeline.paths.dir, pipeline.paths.root);
}

/** The user/assistant turns of an example, or undefined when they do not alternate starting with user. */
function conversationTurns(messages: unknown[]): EvalMessage[] | undefined {
  const turns = messages.filter((m) => roleOf(m) !== "system");
  if (turns.length < 2 || turns.length % 2 !== 0) return undefined;
  const out: EvalMessage[] = [];
  for (const [i, m] of turns.entries()) {
    const role = roleOf(m);
    if (role !== (i % 2 === 0 ? "user" : "assistant")) return undefined;
    out.push({ role, content: textOf(m) });
  }
  return out;
}

/** Whitespace runs collapsed to one space, trimmed, lower-cased (Unicode NFKC first, so look-alike forms agree). */
export function normaliseText(text: string): string {
  return text.normalize("NFKC").replace(/\s+/gu, " ").trim().toLowerCase();
}

/**
 * Streams the training data once, holding only the evaluation prompts in memory (not the training set), and finds
 * every prompt whose user message equals a training user message exactly, or after {@link normaliseText}.
 */
export async function findTrainingOverlap(
  pipeline: LoadedPipeline,
  prepare: StageRecord | undefined,
  prompts: readonly EvalPrompt[],
): Promise<TrainingOverlap> {
  const exact = new Map<string, EvalPrompt[]>();
  const normalised = new Map<string, EvalPrompt[]>();
  for (const p of prompts) {
    exact.set(p.user, [...(exact.get(p.user) ?? []), p]);
    const key = normaliseText(p.user);
    normalised.set(key, [...(normalised.get(key) ?? []), p]);
  }
  const found = new Map<string, PromptOverlap>();
  let file = "";
  let examples = 0;
  for await (const row of trainingRows(pipeline, prepare)) {
    if (row.kind !== "row") continue;
    file ||= row.file;
    const messages = messagesOf(row.value);
    if (!messages) continue;
    examples += 1;
    for (const m of messages) {
      if (roleOf(m) !== "user") continue;
      const text = textOf(m);
      const where = { file: row.file, line: row.line };
      for (const p of exact.get(text) ?? []) {
        const seen = found.get(p.id);
        if (seen?.match !== "exact") found.set(p.id, { prompt: p.id, user: p.user, match: "exact", training: where });
      }
      for (const p of normalised.get(normaliseText(text)) ?? []) {
        if (!found.has(p.id)) found.set(p.id, { prompt: p.id, user: p.user, match: "normalised", training: where });
      }
    }
  }
  const matches = prompts.flatMap((p) => found.get(p.id) ?? []);
  return { file, examples, prompts: prompts.length, matches };
}
