import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import type { LoadedPipeline } from "../../src/core/loaded-pipeline.js";
import type { RunEvent } from "../../src/engine/events.js";
import type { StageContext } from "../../src/engine/stage.js";
import { prepareStage } from "../../src/stages/prepare.js";
import { systemClock } from "../../src/core/clock.js";
import { elleProject } from "../helpers/project.js";
import { tempDir } from "../helpers/temp-dir.js";

async function load(root: string, file: string, overrides: string[] = []): Promise<LoadedPipeline> {
  const loaded = await loadPipeline(file, { cwd: root, env: {}, overrides });
  if (!loaded.ok) throw new Error(`pipeline did not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.pipeline;
}

function contextFor(pipeline: LoadedPipeline, events: RunEvent[], signal = new AbortController().signal): StageContext {
  return {
    stage: "prepare",
    pipeline,
    env: {},
    clock: systemClock,
    signal,
    options: { detach: false, force: false, yes: false },
    provider: () => Promise.reject(new Error("prepare needs no provider")),
    fingerprint: "test",
    upstream: {},
    previous: undefined,
    saveCheckpoint: async () => undefined,
    emit: (event) => events.push(event),
  };
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

describe("prepare stage", () => {
  it("prepares the Elle data: 10 training and 5 validation examples, files recorded by sha256", async () => {
    const root = await elleProject();
    const pipeline = await load(root, "pipelines/elle.yaml");
    const outcome = await prepareStage.run(contextFor(pipeline, []));
    if (outcome.kind !== "succeeded") throw new Error(JSON.stringify(outcome));
    const { train, validation, estimate, estimated_cost_usd } = outcome.outputs;
    expect(train).toEqual({
      path: ".tunefile/elle/train.jsonl",
      sha256: sha256(await readFile(path.join(root, ".tunefile/elle/train.jsonl"))),
      examples: 10,
      tokens: 786,
      billing_tokens: 786,
    });
    expect(validation).toMatchObject({ path: ".tunefile/elle/validation.jsonl", examples: 5, tokens: 385 });
    expect(estimate).toMatchObject({ n_epochs: 3, billing_tokens: 786, trained_tokens: 2358, usd: 0.007074 });
    expect(estimated_cost_usd).toBe(0.007074);

    // The quirky source lines (a space after `{`, no final newline) come out as plain JSONL, shuffled with seed 42.
    const lines = (await readFile(path.join(root, ".tunefile/elle/train.jsonl"), "utf8")).split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe("");
    const source = (await readFile(path.join(root, "pipelines/data/elle/training-data.jsonl"), "utf8"))
      .split("\n")
      .map((l) => JSON.stringify(JSON.parse(l)));
    expect([...lines.slice(0, 10)].sort()).toEqual([...source].sort());
    expect(lines.slice(0, 10)).not.toEqual(source);
    // Only the two prepared files remain: no temp or spill files.
    expect((await readdir(path.join(root, ".tunefile/elle"))).sort()).toEqual([
      "tmp",
      "train.jsonl",
      "validation.jsonl",
    ]);
    expect(await readdir(path.join(root, ".tunefile/elle/tmp"))).toEqual([]);

    // Same input, same bytes.
    const again = await prepareStage.run(contextFor(pipeline, []));
    expect(again).toMatchObject({ kind: "succeeded", outputs: { train: { sha256: train!.sha256 } } });
  });

  it("fingerprints the dataset config, model, method and the content of every input file", async () => {
    const root = await elleProject();
    const pipeline = await load(root, "pipelines/elle.yaml");
    const input = await prepareStage.fingerprintInput(pipeline, {});
    const training = await readFile(path.join(root, "pipelines/data/elle/training-data.jsonl"));
    const validation = await readFile(path.join(root, "pipelines/data/elle/validation-data.jsonl"));
    expect(input.files).toEqual({
      "pipelines/data/elle/training-data.jsonl": sha256(training),
      "pipelines/data/elle/validation-data.jsonl": sha256(validation),
    });
    expect(input.config).toEqual({
      dataset: pipeline.config.dataset,
      model: "gpt-4o-mini-2024-07-18",
      method: "supervised",
      n_epochs: 3,
    });
  });

  it("splits a CSV source mapped through a template, with a seed", async () => {
    const root = await tempDir();
    const rows = Array.from({ length: 20 }, (_, i) => `Element ${i},"Answer, number ${i}"`);
    await writeFile(path.join(root, "faq.csv"), `question,answer\n${rows.join("\n")}\n`);
    await writeFile(
      path.join(root, "faq.yaml"),
      [
        "version: 1",
        "name: faq",
        "model: gpt-4.1-mini-2025-04-14",
        "dataset:",
        "  train: faq.csv",
        "  split: { validation: 0.25, seed: 3 }",
        "  transforms:",
        "    - template:",
        "        messages:",
        '          - { role: user, content: "Tell me about {{question}}" }',
        '          - { role: assistant, content: "{{answer}}" }',
        '    - system: "You answer questions."',
        "training: { method: supervised }",
        "",
      ].join("\n"),
    );
    const pipeline = await load(root, "faq.yaml");
    const outcome = await prepareStage.run(contextFor(pipeline, []));
    if (outcome.kind !== "succeeded") throw new Error(JSON.stringify(outcome));
    const outputs = outcome.outputs;
    expect([outputs.train!.examples, outputs.validation!.examples]).toEqual([15, 5]);
    // 15 examples: the heuristic picks floor(100 / 15) = 6 epochs.
    expect(outputs.estimate).toMatchObject({ n_epochs: 6, epochs_from: "heuristic" });
    const first = JSON.parse((await readFile(path.join(root, ".tunefile/faq/train.jsonl"), "utf8")).split("\n")[0]!);
    expect(first.messages[0]).toEqual({ role: "system", content: "You answer questions." });
    expect(first.messages[2].content).toMatch(/^Answer, number \d+$/);
  });

  it("prepares DPO preference data from a JSON array source", async () => {
    const root = await tempDir();
    const examples = Array.from({ length: 12 }, (_, i) => ({
      input: { messages: [{ role: "user", content: `Tell me about element ${i}` }] },
      preferred_output: [{ role: "assistant", content: `A limerick about element ${i}` }],
      non_preferred_output: [{ role: "assistant", content: "No." }],
    }));
    await writeFile(path.join(root, "prefs.json"), JSON.stringify(examples, null, 2));
    await writeFile(
      path.join(root, "dpo.yaml"),
      "version: 1\nname: dpo\nmodel: gpt-4.1-nano-2025-04-14\ndataset:\n  train: prefs.json\n  transforms:\n    - system: { content: Be Elle., mode: if_missing }\ntraining: { method: dpo }\n",
    );
    const pipeline = await load(root, "dpo.yaml");
    const outcome = await prepareStage.run(contextFor(pipeline, []));
    if (outcome.kind !== "succeeded") throw new Error(JSON.stringify(outcome));
    const outputs = outcome.outputs;
    expect(outputs.train).toMatchObject({ examples: 12 });
    expect(outputs.validation).toBeUndefined();
    const first = JSON.parse((await readFile(path.join(root, ".tunefile/dpo/train.jsonl"), "utf8")).split("\n")[0]!);
    expect(first.input.messages).toEqual([
      { role: "system", content: "Be Elle." },
      { role: "user", content: "Tell me about element 0" },
    ]);
    expect(first.preferred_output).toEqual(examples[0]!.preferred_output);
  });

  it("fails with the data's problems, logs them located, and writes no prepared file", async () => {
    const root = await elleProject();
    const file = path.join(root, "pipelines/data/elle/training-data.jsonl");
    const lines = (await readFile(file, "utf8")).split("\n");
    lines[2] = JSON.stringify({ messages: [{ role: "user", content: "hi" }], weight: 1 });
    await writeFile(file, lines.join("\n"));
    const pipeline = await load(root, "pipelines/elle.yaml");
    const events: RunEvent[] = [];
    const outcome = await prepareStage.run(contextFor(pipeline, events));
    expect(outcome).toEqual({
      kind: "failed",
      error: {
        code: "invalid-data",
        message:
          "the data has 2 problem(s), e.g. unknown top-level key `weight`; run `tunefile validate pipelines/elle.yaml` to see them all",
      },
    });
    expect(events.filter((e) => e.type === "stage-log")).toEqual([
      {
        type: "stage-log",
        stage: "prepare",
        level: "error",
        message: "pipelines/data/elle/training-data.jsonl:3:1 error[data-unknown-key] unknown top-level key `weight`",
      },
      {
        type: "stage-log",
        stage: "prepare",
        level: "error",
        message:
          "pipelines/data/elle/training-data.jsonl:3:1 error[data-missing-assistant] the example has no assistant message to learn from",
      },
    ]);
    expect((await readdir(path.join(root, ".tunefile/elle"))).sort()).toEqual(["tmp"]);
  });

  it("stops when aborted, as cancelled, leaving no files", async () => {
    const root = await elleProject();
    const pipeline = await load(root, "pipelines/elle.yaml");
    const controller = new AbortController();
    controller.abort(new Error("interrupted by SIGINT"));
    const outcome = await prepareStage.run(contextFor(pipeline, [], controller.signal));
    expect(outcome).toEqual({ kind: "cancelled", error: { code: "interrupted", message: "prepare was interrupted" } });
    expect((await readdir(path.join(root, ".tunefile/elle"))).sort()).toEqual(["tmp"]);
  });
});
