import { describe, expect, it } from "vitest";
import { baseModel, generate, startTraining } from "../../../src/server/trainer/index.js";
import { PassageIndex } from "../../../src/server/trainer/retrieval.js";
import type { ChatMessage, TrainingExample } from "../../../src/server/trainer/types.js";
import { ask, ELLE_CONFIG, ELLE_SYSTEM, ELLE_TRAIN } from "./elle.js";

const greedy = { maxTokens: 120, temperature: 0 };
/** Elements that are not in Elle's training data (the held-out set pipelines/elle.yaml evaluates). */
const HELD_OUT = ["Strontium", "Neon", "Zinc", "Oxygen", "Nickel", "Calcium", "Gold", "Potassium", "Copper", "Sodium"];
const base = baseModel(ELLE_CONFIG.baseModel);
const mask = (text: string, name: string) => text.replaceAll(name, "X").replaceAll(name.toLowerCase(), "x");

describe("the base model", () => {
  it("answers about what was asked: its answers differ by subject even with the subject's name masked", () => {
    const answers = HELD_OUT.map((e) => mask(generate(base, ask(`Tell me about ${e}`, ELLE_SYSTEM), greedy).text, e));
    expect(new Set(answers).size).toBeGreaterThanOrEqual(8);
  });
});

describe("earlier turns", () => {
  const shots: ChatMessage[] = ELLE_TRAIN.slice(0, 3).flatMap((ex) => ex.messages.filter((m) => m.role !== "system"));

  it("change the base model's answer when few-shot examples precede the question", () => {
    let changed = 0;
    for (const e of HELD_OUT) {
      const alone = generate(base, ask(`Tell me about ${e}`, ELLE_SYSTEM), greedy).text;
      const [system, question] = ask(`Tell me about ${e}`, ELLE_SYSTEM);
      const withShots = generate(base, [system!, ...shots, question!], greedy).text;
      if (withShots !== alone) changed++;
    }
    expect(changed).toBeGreaterThanOrEqual(8);
  });

  it("condition a trained turn too: an answer that repeats an earlier one is predicted better with it in view", () => {
    // Nonsense words, so neither the corpus nor the n-gram tables know them: only the earlier turn can help.
    const answer = "Blorvex quandimar splet, ozzuvine trellamok frindel.";
    const first: ChatMessage[] = [
      { role: "user", content: "Say something" },
      { role: "assistant", content: answer },
    ];
    const second: ChatMessage[] = [
      { role: "user", content: "Say it again" },
      { role: "assistant", content: answer },
    ];
    const lossWith = (validation: TrainingExample) => {
      const run = startTraining(ELLE_TRAIN.slice(0, 1), [validation], { ...ELLE_CONFIG, nEpochs: 1 });
      return run.step().fullValidLoss!;
    };
    const inView = lossWith({ messages: [...first, ...second] });
    const notInView = lossWith({ messages: second });
    // The two-turn example is scored on both answers; its second answer alone must pull the mean well down.
    expect(inView).toBeLessThan(notInView * 0.8);
  });
});

describe("retrieval", () => {
  const index = new PassageIndex([
    { index: "Zinc is a bluish grey metal", text: "Zinc is a bluish grey metal." },
    { index: "Neon is a noble gas", text: "Neon is a noble gas." },
    { index: "Iron is a metal", text: "Iron is a metal." },
    ...Array.from({ length: 8 }, (_, i) => ({ index: `filler ${i} is a text`, text: `filler ${i}` })),
  ]);

  it("returns the passage that shares a distinctive word with the question", () => {
    expect(index.best("Tell me about zinc")?.passage.text).toBe("Zinc is a bluish grey metal.");
    expect(index.best("What glows, neon?")?.passage.text).toBe("Neon is a noble gas.");
  });

  it("returns nothing when only common words match", () => {
    expect(index.best("What is a thing?")).toBeUndefined();
  });

  it("searches the conversation's own passages with the model's", () => {
    const extra = [{ index: "Tell me about Boron Boron is light", text: "Boron is light." }];
    expect(index.best("Tell me about boron", extra)?.passage.text).toBe("Boron is light.");
  });
});
