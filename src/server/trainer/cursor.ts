/**
 * The state the model conditions on at one position of an answer: the previous three tokens, the conversation's
 * system message, how many segments (lines or sentences) the answer has so far, and the copies in progress.
 */
import { advanceCopies, type CopySource } from "./copy.js";
import type { Tokenizer } from "./tokenizer.js";

export interface Cursor {
  p1: number;
  p2: number;
  p3: number;
  /** Hash of the system message (0 without one). */
  sys: number;
  /** Segment-ending tokens produced so far (capped). */
  seg: number;
  /** Tokens since the last segment end. */
  sinceBoundary: number;
  /** Tokens produced so far. */
  pos: number;
  /** True at the start of the answer or after whitespace: the next word is spelled without a leading space. */
  atWordStart: boolean;
  copy: CopySource;
  /** Pairs (variant index, tokens already copied). */
  active: number[];
}

const MAX_SEG = 15;

export function startCursor(tokenizer: Tokenizer, sys: number, copy: CopySource): Cursor {
  const b = tokenizer.bos;
  return { p1: b, p2: b, p3: b, sys, seg: 0, sinceBoundary: 0, pos: 0, atWordStart: true, copy, active: [] };
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
  c.active = advanceCopies(c.copy, c.active, token);
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
