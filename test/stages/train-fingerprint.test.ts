import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { trainStage } from "../../src/stages/train.js";
import { projectWith } from "../helpers/project.js";

async function trainConfig(training: string) {
  const root = await projectWith(`version: 1
name: p
provider: { kind: together }
model: meta-llama/Meta-Llama-3.1-8B-Instruct-Reference
dataset:
  train: data/elle/training-data.jsonl
training:
${training}
`);
  const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  return (await trainStage.fingerprintInput(loaded.pipeline, {})).config;
}

describe("the train stage's fingerprint", () => {
  it("holds training.lora when it is set, so changing the adapter (or dropping it) trains again", async () => {
    expect(await trainConfig("  lora: { r: 8 }")).toMatchObject({ lora: { r: 8 } });
    expect(await trainConfig("  lora: { r: 16 }")).not.toEqual(await trainConfig("  lora: { r: 8 }"));
  });

  it("has no lora key without it, so the fingerprints recorded before it was added stay the same", async () => {
    expect(await trainConfig("  seed: 1")).toEqual({
      model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      method: "supervised",
      hyperparameters: {},
      suffix: null,
      seed: 1,
    });
  });
});
