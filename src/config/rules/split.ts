import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { at, type Rule } from "./context.js";

/**
 * `split-out-of-range`: the validation fraction must be strictly between 0 and 1 (0 would leave no validation
 * set, 1 no training set). `split-conflict`: a split and a validation source both name the validation set.
 */
export const splitRule: Rule = async ({ value, locate }) => {
  const out: Diagnostic[] = [];
  const fraction = at(value, "dataset", "split", "validation");
  if (typeof fraction === "number" && !(fraction > 0 && fraction < 1)) {
    out.push({
      severity: "error",
      code: "split-out-of-range",
      message: `the validation fraction must be strictly between 0 and 1, not ${fraction}`,
      span: locate.span(["dataset", "split", "validation"]),
      hint:
        fraction >= 1 && fraction < 100 ? `a percentage? write ${fraction / 100} for ${fraction}%` : "e.g. 0.1 for 10%",
    });
  }
  if (at(value, "dataset", "split") !== undefined && at(value, "dataset", "validation") !== undefined) {
    out.push({
      severity: "error",
      code: "split-conflict",
      message: "`dataset.split` and `dataset.validation` both give the validation set",
      span: locate.span(["dataset", "split"], { atKey: true }),
      hint: "keep one: a validation source, or a split of the training data",
    });
  }
  return out;
};
