import { describe, expect, it } from "vitest";
import { baseModel, generate, startTraining } from "../../../src/server/trainer/index.js";
import type { ModelSnapshot } from "../../../src/server/trainer/types.js";
import { ask, ELLE_CONFIG, ELLE_SYSTEM, ELLE_TRAIN, ELLE_VALID } from "./elle.js";

const prompts = [ask("Tell me about Strontium", ELLE_SYSTEM), ask("Tell me about Gold"), ask("What is the Moon?")];

describe("model snapshots", () => {
  const run = startTraining(ELLE_TRAIN, ELLE_VALID, ELLE_CONFIG);
  const checkpoints: ModelSnapshot[] = [];
  while (run.stepsDone < run.totalSteps) {
    const m = run.step();
    if (m.step % run.stepsPerEpoch === 0) checkpoints.push(run.snapshot());
  }
  const final = checkpoints.at(-1)!;

  it("are plain JSON that generates identically after a round trip (as after a server restart)", () => {
    const restored = JSON.parse(JSON.stringify(final)) as ModelSnapshot;
    expect(restored).toEqual(final);
    for (const messages of prompts) {
      expect(generate(restored, messages, { maxTokens: 60 })).toEqual(generate(final, messages, { maxTokens: 60 }));
    }
  });

  it("name their kind, version and base model", () => {
    expect(final).toMatchObject({ kind: "tunefile-tiny-lm", version: 2, baseModel: ELLE_CONFIG.baseModel });
  });

  it("stay small for Elle's ten examples", () => {
    expect(JSON.stringify(final).length).toBeLessThan(2_000_000);
  });

  it("are taken at each epoch end and differ as training goes on; each one can generate", () => {
    expect(checkpoints).toHaveLength(3);
    expect(JSON.stringify(checkpoints[0])).not.toBe(JSON.stringify(checkpoints[2]));
    for (const checkpoint of checkpoints) {
      const answer = generate(checkpoint, ask("Tell me about Iron", ELLE_SYSTEM), { maxTokens: 80 });
      expect(answer.text.length).toBeGreaterThan(0);
    }
  });

  it("do not change when training goes on after they were taken", () => {
    const early = startTraining(ELLE_TRAIN, undefined, ELLE_CONFIG);
    early.step();
    const snapshot = early.snapshot();
    const frozen = JSON.stringify(snapshot);
    while (early.stepsDone < early.totalSteps) early.step();
    expect(JSON.stringify(snapshot)).toBe(frozen);
  });
});

describe("base models", () => {
  it("are pretrained once per encoding and named after the requested model", () => {
    const a = baseModel("gpt-4o-mini");
    const b = baseModel("gpt-4o-2024-08-06");
    expect(a.baseModel).toBe("gpt-4o-mini");
    expect(b.baseModel).toBe("gpt-4o-2024-08-06");
    const question = ask("Tell me about Copper");
    expect(generate(b, question, { maxTokens: 60 }).text).toBe(generate(a, question, { maxTokens: 60 }).text);
  });

  it("can be the starting point of a continued fine-tune (initialModel)", () => {
    const first = startTraining(ELLE_TRAIN, undefined, { ...ELLE_CONFIG, nEpochs: 1 });
    while (first.stepsDone < first.totalSteps) first.step();
    const continued = startTraining(ELLE_TRAIN, undefined, {
      ...ELLE_CONFIG,
      nEpochs: 1,
      initialModel: first.snapshot(),
    });
    const fresh = startTraining(ELLE_TRAIN, undefined, { ...ELLE_CONFIG, nEpochs: 1 });
    // Same first batch: the continued model has already learned it, the fresh one has not.
    expect(continued.step().trainLoss).toBeLessThan(fresh.step().trainLoss);
  });
});
