/**
 * The state the model conditions on at one position of an answer: the previous three tokens, the conversation
 * (system message, the frame of the question, words to copy, earlier turns and the retrieved passage), how many segments (lines or sentences) the answer
 * has so far, and the copies in progress.
 */
import type { ContextIndex } from "./context.js";
import { advanceCopies, type CopyVariant } from "./copy.js";
import type { Tokenizer } from "./tokenizer.js";

/** What the conversation before an answer contributes. */
export interface Condition {
  /** Hash of the system message; 0 without one (the system tables are then skipped). */
  sys: number;
  /**
   * Hash of the question's frame: the last user message without its last word, lower-cased ("tell me about"
   * for "Tell me about Strontium"); 0 when there is none. The last word itself is left to the copy component.
   */
  frame: number;
  copy: readonly CopyVariant[];
  /** The earlier turns and the retrieved passage, as sources of next tokens. */
  ctx: ContextIndex;
}

export interface Cursor {
  p1: number;
  p2: number;
  p3: number;
  sys: number;
  frame: number;
  /** Segment-ending tokens produced so far (capped). */
  seg: number;
  /** Tokens since the last segment end. */
  sinceBoundary: number;
  /** Tokens produced so far. */
  pos: number;
  /** True at the start of the answer or after whitespace: the next word is spelled without a leading space. */
  atWordStart: boolean;
  copy: readonly CopyVariant[];
  ctx: ContextIndex;
  /** Pairs (variant index, tokens already copied). */
  active: number[];
  /** The other buffer of `active`, swapped on each token. */
  spare: number[];
  /** Bit mask of the copyable words already produced in full (so copying them again can be learned as unlikely). */
  copied: number;
}

const MAX_SEG = 15;

export function startCursor(tokenizer: Tokenizer, cond: Condition): Cursor {
  const b = tokenizer.bos;
  const { sys, frame, copy, ctx } = cond;
  return {
    p1: b,
    p2: b,
    p3: b,
    sys,
    frame,
    seg: 0,
    sinceBoundary: 0,
    pos: 0,
    atWordStart: true,
    copy,
    ctx,
    active: [],
    spare: [],
    copied: 0,
  };
}

export function advance(tokenizer: Tokenizer, c: Cursor, token: number): void {
  c.p3 = c.p2;
  c.p2 = c.p1;
  c.p1 = token;
  c.pos++;
  if (tokenizer.isBoundary(token)) {
    c.seg = Math.min(MAX_SEG, c.seg + 1);
    c.sinceBoundary = 0;
  } else {
    c.sinceBoundary++;
  }
  c.atWordStart = tokenizer.endsInSpace(token);
  c.copied |= advanceCopies(c.copy, c.active, token, c.spare);
  const done = c.active;
  c.active = c.spare;
  c.spare = done;
}

/** Coarse buckets keep position features shared across nearby positions. */
export function bucket(n: number): number {
  if (n < 3) return n;
  if (n < 5) return 3;
  if (n < 9) return 4;
  if (n < 17) return 5;
  if (n < 33) return 6;
  return 7;
}
