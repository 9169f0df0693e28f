/**
 * The generic corpus the base model is pretrained on: short encyclopedic articles, each used as a conversation
 * whose user message is the article's topic and whose answer is the article. Written for this project.
 */
import type { Passage } from "../retrieval.js";
import type { TrainingExample } from "../types.js";
import { ELEMENTS } from "./elements.js";
import { GENERAL } from "./general.js";

export const ARTICLES: readonly { topic: string; text: string }[] = [...ELEMENTS, ...GENERAL];

export function corpusExamples(): TrainingExample[] {
  return ARTICLES.map((a) => ({
    messages: [
      { role: "user", content: a.topic },
      { role: "assistant", content: a.text },
    ],
  }));
}

/** The articles as the base model's passages: searched by topic and text, copied from the text. */
export function corpusPassages(): Passage[] {
  return ARTICLES.map((a) => ({ index: `${a.topic} ${a.text}`, text: a.text }));
}
