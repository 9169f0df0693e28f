/**
 * The generic corpus the base model is pretrained on: short encyclopedic articles, each used as a conversation
 * whose user message is the article's topic and whose answer is the article. Written for this project.
 */
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
