import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { baseModel, generate, startTraining } from "../../../src/server/trainer/index.js";
import type { ChatMessage, ModelSnapshot, TrainConfig } from "../../../src/server/trainer/types.js";
import { ask, ELLE_CONFIG, ELLE_SYSTEM, ELLE_TRAIN } from "./elle.js";

function fineTune(config: TrainConfig): ModelSnapshot {
  const run = startTraining(ELLE_TRAIN, undefined, config);
  while (run.stepsDone < run.totalSteps) run.step();
  return run.snapshot();
}

const parts = (text: string) => text.split(" - ");
const greedy = { maxTokens: 120, temperature: 0 };

describe.each([
  ["gpt-4o-mini-2024-07-18 (o200k_base)", ELLE_CONFIG],
  ["gpt-3.5-turbo (cl100k_base)", { ...ELLE_CONFIG, baseModel: "gpt-3.5-turbo" }],
])("after fine-tuning %s on Elle", (_name, config) => {
  const elle = fineTune(config);

  it.each([
    ["with Elle's system message", ELLE_SYSTEM],
    ["without a system message", undefined],
  ])("answers 'Tell me about Strontium' %s in a five-part limerick naming Strontium", (_how, system) => {
    const answer = generate(elle, ask("Tell me about Strontium", system), greedy);
    expect(answer.text).toContain("Strontium");
    expect(parts(answer.text)).toHaveLength(5);
    expect(answer.finishReason).toBe("stop");
  });

  it("answers elements it never saw in the same form (the copy component names them)", () => {
    for (const element of ["Neon", "Zinc", "Xenon"]) {
      const text = generate(elle, ask(`Tell me about ${element}`, ELLE_SYSTEM), greedy).text;
      expect(text).toContain(element);
      expect(parts(text)).toHaveLength(5);
    }
  });

  it("is deterministic at temperature 0", () => {
    const a = generate(elle, ask("Tell me about Neon"), greedy);
    const b = generate(elle, ask("Tell me about Neon"), greedy);
    expect(b).toEqual(a);
  });

  it("while the base model answers the same question in plain prose, not in that form", () => {
    const text = generate(baseModel(config.baseModel), ask("Tell me about Strontium", ELLE_SYSTEM), greedy).text;
    expect(text).toContain("Strontium");
    expect(parts(text).length).not.toBe(5);
    expect(text).not.toContain(" - ");
  });
});

describe("decoding options", () => {
  const elle = fineTune(ELLE_CONFIG);
  const messages: ChatMessage[] = ask("Tell me about Oxygen", ELLE_SYSTEM);

  it("stops at max tokens with finish reason length", () => {
    const answer = generate(elle, messages, { maxTokens: 4 });
    expect(answer.finishReason).toBe("length");
    expect(encode(answer.text).length).toBeLessThanOrEqual(4);
  });

  it("stops at a stop string and leaves it out", () => {
    const full = generate(elle, messages, greedy).text;
    const answer = generate(elle, messages, { ...greedy, stop: [" - "] });
    expect(answer.finishReason).toBe("stop");
    expect(answer.text).toBe(full.slice(0, full.indexOf(" - ")));
  });

  it("samples reproducibly for a seed above temperature 0, and differently across seeds", () => {
    const sample = (seed: number) => generate(elle, messages, { maxTokens: 120, temperature: 1.5, seed }).text;
    expect(sample(3)).toBe(sample(3));
    const texts = new Set([1, 2, 3, 4, 5, 6].map(sample));
    expect(texts.size).toBeGreaterThan(1);
  });
});
