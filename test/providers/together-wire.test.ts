import { describe, expect, it } from "vitest";
import { levelOf, phaseOf, togetherBody } from "../../src/providers/together/fine-tunes.js";
import type { TrainingSpec } from "../../src/providers/training/spec.js";

const spec: TrainingSpec = {
  model: "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
  training_file: "file-1",
  method: "supervised",
  hyperparameters: { n_epochs: 2 },
};
const tag = { tunefile_pipeline: "elle", tunefile_fingerprint: "0123456789abcdef", tunefile_stage: "train" };

/** What goes over the wire: the JSON body, with unset fields left out. */
const wire = (s: TrainingSpec) => JSON.parse(JSON.stringify(togetherBody(s, tag))) as Record<string, unknown>;

describe("Together's create request", () => {
  it("leaves training_type out without training.lora, so Together trains its default LoRA adapter, not full weights", () => {
    expect(wire(spec)).not.toHaveProperty("training_type");
  });

  it("sends a LoRA training_type with the rank and alpha Together requires", () => {
    expect(wire({ ...spec, lora: {} }).training_type).toEqual({ type: "Lora", lora_r: 8, lora_alpha: 16 });
    expect(wire({ ...spec, lora: { r: 16, alpha: 32, dropout: 0.1 } }).training_type).toEqual({
      type: "Lora",
      lora_r: 16,
      lora_alpha: 32,
      lora_dropout: 0.1,
    });
  });
});

describe("Together's suffix", () => {
  it("stays within Together's 40 characters, keeping the fingerprint that finds the job again", () => {
    const suffix = wire({ ...spec, suffix: "a-very-long-suffix-that-someone-chose-for-this-model" }).suffix as string;
    expect(suffix).toBe("a-very-long-suffix-that-someone-01234567");
    expect(suffix.length).toBeLessThanOrEqual(40);
    expect(wire(spec).suffix).toBe("elle-01234567");
  });
});

describe("Together's statuses and event levels", () => {
  it("ends a job refused for its data (user_error) as failed, so following it stops", () => {
    expect(
      ["completed", "error", "user_error", "cancelled", "cancel_requested", "running"].map((status) =>
        phaseOf({ status }),
      ),
    ).toEqual(["succeeded", "failed", "failed", "cancelled", "active", "active"]);
  });

  it("reads error and warning levels however Together spells them", () => {
    const levels = ["error", "Error", "legacy_ierror", "warning", "Warning", "legacy_iwarning", "info", null];
    expect(levels.map((level) => levelOf({ level }))).toEqual([
      "error",
      "error",
      "error",
      "warn",
      "warn",
      "warn",
      "info",
      "info",
    ]);
  });
});
