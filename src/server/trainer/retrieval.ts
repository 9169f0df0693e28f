/**
 * Retrieval: the model's passages (the bundled corpus for a base model, plus the training examples for a
 * fine-tuned one) are ranked against the question with BM25 (Robertson and Zaragoza, "The Probabilistic Relevance
 * Framework: BM25 and Beyond", 2009), and the best one becomes a source the model can copy from. Only
 * distinctive words count: a word found in more than one passage in four ("tell", "about", "the") says nothing
 * about which passage is meant, and no passage is better than a passage picked by such a word. The conversation's
 * own earlier question-and-answer pairs are searched too: an earlier answer to a question like this one (a
 * few-shot example in the prompt) can be the best passage to follow.
 */
import { wordsOf } from "./copy.js";
import type { ChatMessage, TrainingExample } from "./types.js";

/** How much of the question a retrieved passage covers, in RELEVANCE_LEVELS steps (see PassageIndex.best). */
export const RELEVANCE_LEVELS = 4;

export interface Retrieved {
  passage: Passage;
  /** 0 .. RELEVANCE_LEVELS - 1: the idf-weighted share of the question's distinctive words the passage contains. */
  relevance: number;
}

export interface Passage {
  /** The text searched: a corpus article's topic and text, or a training example's question and answer. */
  index: string;
  /** The text the model may copy from: the article, or the example's answer. */
  text: string;
}

/**
 * English function words, left out of the search as every search engine does (a short list in the spirit of the
 * SMART system's): they say what kind of question it is, not what it is about.
 */
const STOPWORDS = new Set(
  (
    "a about above after again all am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers him his " +
    "how i if in into is it its itself just me more most my no nor not of off on once only or other our out over own " +
    "same she should so some such than that the their them then there these they this those through to too under " +
    "until up very was we were what when where which while who whom why will with would you your"
  ).split(" "),
);
const searchWords = (text: string) =>
  wordsOf(text.toLowerCase())
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);

/** A light stemmer (plural -s, -ed, -ing), so "supported" finds "support" and "files" finds "file". */
function stem(word: string): string {
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("s") && !word.endsWith("ss") && word.length > 3) return word.slice(0, -1);
  if (word.endsWith("ed") && word.length > 4) return word.slice(0, -2);
  if (word.endsWith("ing") && word.length > 5) return word.slice(0, -3);
  return word;
}

const K1 = 1.2;
const B = 0.75;
/** A word in more than this share of the passages is not distinctive (ignored by the search). */
const MAX_SHARE = 1 / 4;

export class PassageIndex {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly avgLength: number;

  constructor(readonly passages: readonly Passage[]) {
    passages.forEach((p, doc) => {
      const words = searchWords(p.index);
      this.lengths.push(words.length);
      for (const [w, n] of counts(words)) {
        const list = this.postings.get(w) ?? [];
        this.postings.set(w, list);
        list.push({ doc, tf: n });
      }
    });
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, passages.length);
  }

  /**
   * The passage that best matches `query`, and how much of it it covers (a passage that answers another question
   * covers less of this one); undefined when none shares a distinctive word with it. `extra`: the conversation's
   * own passages, searched with the model's.
   */
  best(query: string, extra: readonly Passage[] = []): Retrieved | undefined {
    const n = this.passages.length + extra.length;
    const maxDf = Math.max(2, Math.floor(n * MAX_SHARE));
    const extraWords = extra.map((p) => counts(searchWords(p.index)));
    const extraLengths = extra.map((p) => searchWords(p.index).length);
    const scores = new Map<number, number>();
    /** Per passage, the idf of the question's words it contains; and the idf of all of them. */
    const covered = new Map<number, number>();
    let total = 0;
    const bm25 = (idf: number, tf: number, length: number) =>
      (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / this.avgLength));
    for (const w of new Set(searchWords(query))) {
      const list = this.postings.get(w) ?? [];
      const df = list.length + extraWords.filter((c) => c.has(w)).length;
      if (df === 0 || df > maxDf) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      total += idf;
      const hit = (doc: number, tf: number, length: number) => {
        scores.set(doc, (scores.get(doc) ?? 0) + bm25(idf, tf, length));
        covered.set(doc, (covered.get(doc) ?? 0) + idf);
      };
      for (const { doc, tf } of list) hit(doc, tf, this.lengths[doc]!);
      extraWords.forEach((c, i) => {
        const tf = c.get(w) ?? 0;
        if (tf > 0) hit(this.passages.length + i, tf, extraLengths[i]!);
      });
    }
    let best = -1;
    let bestScore = 0;
    for (const [doc, s] of scores) {
      // Ties go to the earlier passage, so the result does not depend on Map order.
      if (s > bestScore || (s === bestScore && doc < best)) {
        best = doc;
        bestScore = s;
      }
    }
    if (best < 0) return undefined;
    const share = covered.get(best)! / total;
    return {
      passage: this.passages[best] ?? extra[best - this.passages.length]!,
      relevance: Math.min(RELEVANCE_LEVELS - 1, Math.floor(share * RELEVANCE_LEVELS)),
    };
  }
}

function counts(words: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
  return tf;
}

/** The conversation's own question-and-answer pairs before the answer, as passages searched with the model's. */
export function conversationPassages(before: readonly ChatMessage[]): Passage[] {
  return before.flatMap((m, i) => (m.role === "assistant" && m.content ? [answerPassage(before, i)] : []));
}

/** The answer at `i` as a passage: searched with the question before it, copied from the answer. */
function answerPassage(messages: readonly ChatMessage[], i: number): Passage {
  const question = messages.slice(0, i).findLast((q) => q.role === "user")?.content ?? "";
  return { index: `${question} ${messages[i]!.content}`, text: messages[i]!.content };
}

const indexes = new WeakMap<readonly Passage[], PassageIndex>();

/** The index of a model's passages, built once per passage list. */
export function indexOf(passages: readonly Passage[]): PassageIndex {
  let index = indexes.get(passages);
  if (!index) {
    index = new PassageIndex(passages);
    indexes.set(passages, index);
  }
  return index;
}

/**
 * Most passages a model keeps: its starting model's first, then its training examples' in data order. Bounds the
 * snapshot of a large job (each passage is stored as text).
 */
export const MAX_PASSAGES = 3000;

/**
 * A model's passages after training on `examples`: its starting passages, then each trained answer with the
 * question before it (duplicates of a text kept once). A fine-tuned model can thus look up what it was taught.
 */
export function withExamples(start: readonly Passage[], examples: readonly TrainingExample[]): readonly Passage[] {
  const seen = new Set(start.map((p) => p.text));
  const out = [...start];
  for (const { messages } of examples) {
    messages.forEach((m, i) => {
      if (m.role !== "assistant" || m.weight === 0 || seen.has(m.content) || out.length >= MAX_PASSAGES) return;
      seen.add(m.content);
      out.push(answerPassage(messages, i));
    });
  }
  return out;
}
