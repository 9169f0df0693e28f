import { containsGrader } from "./contains.js";
import { equalsGrader } from "./equals.js";
import { icontainsGrader } from "./icontains.js";
import { jsonGrader } from "./json.js";
import { lengthGrader } from "./length.js";
import { linesGrader } from "./lines.js";
import { llmJudgeGrader } from "./llm-judge.js";
import { moduleGrader } from "./module.js";
import { regexGrader } from "./regex.js";
import { similarityGrader } from "./similarity.js";
import type { GraderRegistry } from "./types.js";

/** Every grader kind and its implementation. */
export const GRADERS: GraderRegistry = {
  equals: equalsGrader,
  contains: containsGrader,
  icontains: icontainsGrader,
  regex: regexGrader,
  json: jsonGrader,
  lines: linesGrader,
  length: lengthGrader,
  similarity: similarityGrader,
  "llm-judge": llmJudgeGrader,
  module: moduleGrader,
};
