import { describe, expect, it } from "vitest";
import { togetherBody } from "../../src/providers/together/fine-tunes.js";
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
