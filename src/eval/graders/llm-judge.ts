import { isRecord } from "../../data/format-checks/json-kind.js";
import type { Verdict } from "../types.js";
import { excerpt, type Grader } from "./types.js";

/** The judge's instructions. Strict on purpose: anything but the JSON object is a grader error, never a pass. */
export const JUDGE_SYSTEM_PROMPT = [
  "You are a strict grader. You get a rubric, the question that was asked, and an answer.",
  "Decide whether the answer meets every requirement of the rubric. When in doubt, fail it.",
  'Reply with exactly one JSON object and nothing else: {"pass": true or false, "reasoning": "one or two sentences"}.',
].join("\n");

/**
 * Reads the judge's reply: a JSON object with a boolean `pass` and a string `reasoning`, optionally inside a
 * ```json fence (models add one despite being told not to). Anything else is a grader error that shows the reply.
 */
export function parseJudgeReply(text: string): Verdict {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { pass: false, error: true, reason: `judge reply is not JSON: ${excerpt(text, 120)}` };
  }
  if (!isRecord(parsed) || typeof parsed.pass !== "boolean") {
    return { pass: false, error: true, reason: `judge reply lacks a boolean "pass": ${excerpt(text, 120)}` };
  }
  const reasoning = typeof parsed.reasoning === "string" ? parsed.reasoning.trim() : "";
  return { pass: parsed.pass, score: parsed.pass ? 1 : 0, reason: reasoning || "(the judge gave no reasoning)" };
}

/** A judge model grades the answer against a rubric, through the same provider; its reasoning is kept. */
export const llmJudgeGrader: Grader<"llm-judge"> = {
  negatable: false,
  describe: (value) => `llm-judge ${excerpt(value.rubric, 40)}`,
  async grade(value, answer, ctx) {
    const model = value.model ?? ctx.defaultJudgeModel;
    const reply = await ctx.judge(model, [
      { role: "system", content: JUDGE_SYSTEM_PROMPT },
      {
        role: "user",
        content: `Rubric:\n${value.rubric}\n\nQuestion:\n${ctx.prompt.user}\n\nAnswer to grade:\n${answer}`,
      },
    ]);
    if (!reply.ok) return { pass: false, error: true, reason: `judge ${model} failed: ${reply.message}` };
    return parseJudgeReply(reply.text);
  },
};
