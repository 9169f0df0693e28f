/**
 * Decoding: greedy at temperature 0, seeded sampling above it, over the model's candidate tokens. Two guards
 * against the loops an n-gram model otherwise falls into: a token that would repeat a 6-gram already in the
 * answer is blocked, and tokens already used are mildly penalised. Generation ends at the learned end-of-answer,
 * a stop string, or max tokens.
 */
import { advance, startCursor } from "./cursor.js";
import { indexOf } from "./retrieval.js";
import { seededRandom } from "../../core/prng.js";
import { Scorer } from "./scorer.js";
import { paramsOf } from "./snapshot.js";
import { tokenizerFor } from "./tokenizer.js";
import { conditionOf } from "./turns.js";
import type { ChatMessage, GenerateOptions, Generation, ModelSnapshot } from "./types.js";

/** Length of the n-grams that may not repeat within one answer. */
export const NO_REPEAT_NGRAM = 6;
/** CTRL-style repetition penalty: a token already in the answer has its probability divided by this. */
export const REPETITION_PENALTY = 1.3;

export function generate(model: ModelSnapshot, messages: ChatMessage[], options: GenerateOptions): Generation {
  const params = paramsOf(model);
  const tok = tokenizerFor(params.encoding);
  const scorer = new Scorer(tok);
  const cursor = startCursor(tok, conditionOf(tok, messages, indexOf(params.passages)));
  const temperature = options.temperature ?? 0;
  const rng = seededRandom(options.seed ?? 0);
  const out: number[] = [];
  let finishReason: Generation["finishReason"] = "length";
  let text = "";
  while (out.length < options.maxTokens) {
    scorer.run(params, cursor);
    const next = choose(scorer, out, temperature, rng);
    if (next === tok.eos) {
      finishReason = "stop";
      break;
    }
    out.push(next);
    advance(tok, cursor, next);
    text = tok.decode(out);
    const cuts = (options.stop ?? []).map((s) => (s ? text.indexOf(s) : -1)).filter((i) => i >= 0);
    if (cuts.length > 0) {
      text = text.slice(0, Math.min(...cuts));
      finishReason = "stop";
      break;
    }
  }
  return { text, finishReason };
}

function choose(scorer: Scorer, out: readonly number[], temperature: number, rng: () => number): number {
  const used = new Set(out);
  const allowed: number[] = [];
  const logp: number[] = [];
  for (let i = 0; i < scorer.count; i++) {
    const c = scorer.cand[i]!;
    if (c === scorer.tokenizer.bos || repeatsNgram(out, c)) continue;
    allowed.push(i);
    const penalty = used.has(c) ? Math.log(REPETITION_PENALTY) : 0;
    logp.push(Math.log(Math.max(scorer.probAt(i), 1e-300)) - penalty);
  }
  if (allowed.length === 0) return scorer.tokenizer.eos;
  if (temperature <= 0) {
    let best = 0;
    for (let j = 1; j < allowed.length; j++) if (logp[j]! > logp[best]!) best = j;
    return scorer.cand[allowed[best]!]!;
  }
  // p^(1/T), computed in log space so that tiny probabilities do not underflow at low temperatures.
  const logs = logp.map((l) => l / temperature);
  const max = Math.max(...logs);
  const weights = logs.map((l) => Math.exp(l - max));
  let r = rng() * weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < allowed.length; j++) {
    r -= weights[j]!;
    if (r <= 0) return scorer.cand[allowed[j]!]!;
  }
  return scorer.cand[allowed[allowed.length - 1]!]!;
}

/** Whether appending `next` to `out` recreates an n-gram of length NO_REPEAT_NGRAM already present. */
function repeatsNgram(out: readonly number[], next: number): boolean {
  const n = NO_REPEAT_NGRAM;
  if (out.length < n - 1) return false;
  const tail = out.slice(out.length - (n - 1));
  for (let s = 0; s + n <= out.length; s++) {
    if (out[s + n - 1] === next && tail.every((t, j) => out[s + j] === t)) return true;
  }
  return false;
}
