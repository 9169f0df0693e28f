/**
 * Training examples as the model sees them: each trainable assistant turn becomes its token sequence plus
 * end-of-answer, conditioned on the whole conversation before it (system message, question, earlier turns) and
 * on the passage retrieved for its question. Generation builds its condition the same way.
 */
import { contextOf } from "./context.js";
import { copySourceFor, wordsOf } from "./copy.js";
import { advance, type Condition, startCursor } from "./cursor.js";
import { hashString } from "./hash.js";
import type { BatchGradient } from "./gradient.js";
import type { Params } from "./params.js";
import { conversationPassages, type PassageIndex } from "./retrieval.js";
import type { Scorer } from "./scorer.js";
import type { Tokenizer } from "./tokenizer.js";
import type { ChatMessage, TrainingExample } from "./types.js";

export interface Turn {
  /** Answer tokens followed by the end-of-answer id. */
  tokens: readonly number[];
  cond: Condition;
}

/**
 * What conditions an answer, given the messages before it: the system message, the last user message's frame and
 * its words to copy, and every turn plus the passage retrieved for the last user message as sources of next
 * tokens.
 */
export function conditionOf(
  tokenizer: Tokenizer,
  messages: readonly ChatMessage[],
  passages: PassageIndex | undefined,
): Condition {
  const system = messages.find((m) => m.role === "system" || m.role === "developer");
  const user = messages.findLast((m) => m.role === "user");
  const retrieved = user ? passages?.best(user.content, conversationPassages(messages)) : undefined;
  const frame = wordsOf(user?.content ?? "")
    .slice(0, -1)
    .join(" ")
    .toLowerCase();
  return {
    sys: system ? hashString(system.content) : 0,
    frame: frame ? hashString(frame) : 0,
    copy: copySourceFor(tokenizer, user?.content),
    ctx: contextOf(tokenizer, messages, retrieved),
  };
}

/** The turns to train on: assistant messages, except those with weight 0. */
export function turnsOf(tokenizer: Tokenizer, example: TrainingExample, passages: PassageIndex): Turn[] {
  const turns: Turn[] = [];
  example.messages.forEach((m, i) => {
    if (m.role !== "assistant" || m.weight === 0) return;
    const cond = conditionOf(tokenizer, example.messages.slice(0, i), passages);
    turns.push({ tokens: [...tokenizer.encode(m.content), tokenizer.eos], cond });
  });
  return turns;
}

export interface TurnScore {
  nll: number;
  correct: number;
  tokens: number;
}

/**
 * Scores a turn under the current parameters; when `gradient` is given, also gathers the gradient of its summed
 * negative log-likelihood (times `scale`) without changing the parameters.
 */
export function scoreTurn(params: Params, scorer: Scorer, turn: Turn, gradient?: BatchGradient, scale = 1): TurnScore {
  const tok = scorer.tokenizer;
  const cursor = startCursor(tok, turn.cond);
  let nll = 0;
  let correct = 0;
  for (const y of turn.tokens) {
    scorer.run(params, cursor);
    nll -= Math.log(scorer.prob(y));
    if (scorer.isArgmax(y)) correct++;
    gradient?.accumulate(scorer, y, scale);
    advance(tok, cursor, y);
  }
  return { nll, correct, tokens: turn.tokens.length };
}
