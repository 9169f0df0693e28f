import { describe, expect, it } from "vitest";
import { loadPipeline } from "../../src/pipeline/load.js";
import { projectWith } from "../helpers/project.js";

const pipeline = (provider: string, model: string, training: string) => `version: 1
name: p
provider: ${provider}
model: ${model}
dataset:
  train: data/elle/training-data.jsonl
training:
${training}
`;

async function diagnosticsOf(yaml: string) {
  const root = await projectWith(yaml);
  const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: {} });
  return loaded.ok ? loaded.warnings : loaded.diagnostics;
}

describe("settings a provider does not have", () => {
  it("refuses LoRA and an absolute learning rate on OpenAI, located, with what to use instead", async () => {
    const found = await diagnosticsOf(
      pipeline("openai", "gpt-4o-mini-2024-07-18", "  lora: { r: 8 }\n  hyperparameters: { learning_rate: 0.0001 }"),
    );
    const codes = found.map((d) => [d.code, d.span?.line, d.hint]);
    expect(codes).toEqual([
      ["unsupported-setting", 8, expect.stringContaining("together")],
      ["unsupported-setting", 9, expect.stringContaining("learning_rate_multiplier")],
    ]);
  });

  it("refuses a multiplier on Together and Nebius, and checks their model names", async () => {
    const together = await diagnosticsOf(
      pipeline(
        "{ kind: together }",
        "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
        "  lora: { r: 8, alpha: 16 }\n  hyperparameters: { learning_rate_multiplier: 2 }",
      ),
    );
    expect(together.map((d) => [d.code, d.message])).toEqual([
      ["unsupported-setting", "provider together takes an absolute learning rate, not a multiplier"],
    ]);
    const nebius = await diagnosticsOf(
      pipeline("{ kind: nebius }", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "  lora: { r: 8 }"),
    );
    expect(nebius.map((d) => [d.code, d.hint])).toEqual([
      [
        "unknown-model",
        "fine-tunable on nebius: meta-llama/Meta-Llama-3.1-8B-Instruct, meta-llama/Llama-3.3-70B-Instruct",
      ],
    ]);
    const fine = await diagnosticsOf(
      pipeline(
        "{ kind: nebius }",
        "meta-llama/Meta-Llama-3.1-8B-Instruct",
        "  lora: { r: 8 }\n  hyperparameters: { learning_rate: 0.00001 }",
      ),
    );
    expect(fine).toEqual([]);
  });

  it("checks what an open model's row says it takes: DPO, and full weights on Nebius", async () => {
    // DPO on a model listed for supervised training only: refused at the method, before any upload.
    const dpo = await diagnosticsOf(
      pipeline("{ kind: nebius }", "meta-llama/Meta-Llama-3.1-8B-Instruct", "  method: dpo\n  lora: { r: 8 }"),
    );
    expect(dpo.map((d) => [d.code, d.span?.line])).toEqual([["dpo-unsupported-model", 8]]);
    const together = await diagnosticsOf(
      pipeline("{ kind: together }", "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference", "  method: dpo"),
    );
    expect(together).toEqual([]);
    // Nebius trains full weights when `lora` is absent; its 70B model takes adapters only.
    const full = await diagnosticsOf(pipeline("{ kind: nebius }", "meta-llama/Llama-3.3-70B-Instruct", "  seed: 1"));
    expect(full.map((d) => [d.code, d.span?.line])).toEqual([["lora-required-model", 4]]);
    const adapter = await diagnosticsOf(
      pipeline("{ kind: nebius }", "meta-llama/Llama-3.3-70B-Instruct", "  lora: {}"),
    );
    expect(adapter).toEqual([]);
  });

  it("on Azure, asks for deploy.azure when a fine-tuned model is to be evaluated (it must be deployed to answer)", async () => {
    const azure = (evaluation: string, deploy = "") =>
      `${pipeline("azure", "gpt-4o-mini-2024-07-18", "  seed: 1")}evaluation:\n${evaluation}  prompts: [{ user: hi }]\n${deploy}`;
    const codes = async (yaml: string) => (await diagnosticsOf(yaml)).map((d) => [d.code, d.span?.line]);
    // The default candidates are base and fine_tuned.
    expect(await codes(azure(""))).toEqual([["azure-evaluation-settings", 9]]);
    expect(await codes(azure("  candidates: [base, checkpoints]\n"))).toEqual([["azure-evaluation-settings", 9]]);
    expect(await codes(azure("  candidates: [base]\n"))).toEqual([]);
    expect(await codes(azure("  candidates: [base, { fine_tuned: m.ft-abc }]\n"))).toEqual([
      ["azure-evaluation-settings", 9],
    ]);
    const arm = "deploy:\n  alias: a\n  azure: { subscription_id: s, resource_group: r, account: a }\n";
    expect(await codes(azure("", arm))).toEqual([]);
    // A model trained elsewhere is not on an Azure resource: deploy.azure has nothing to deploy.
    expect(await codes(azure("  candidates: [base]\n", arm).replace("provider: azure", "provider: openai"))).toEqual([
      ["unsupported-setting", 14],
    ]);
    // Not Azure: nothing to deploy first.
    expect(await codes(azure("").replace("provider: azure", "provider: openai"))).toEqual([]);
    // Azure's Batch API is not driven: refused at the mode, before any training.
    expect(await codes(azure("  candidates: [base]\n  mode: batch\n"))).toEqual([["unsupported-setting", 11]]);
    expect(
      await codes(azure("  candidates: [base]\n  mode: batch\n").replace("provider: azure", "provider: openai")),
    ).toEqual([]);
  });

  it("takes provider.deployments on Azure only, with env references for the names", async () => {
    const withMap = (provider: string, name = `$\{env:BASE_DEPLOYMENT}`) =>
      pipeline(
        `{ kind: ${provider}, deployments: { gpt-4o-mini-2024-07-18: "${name}" } }`,
        "gpt-4o-mini-2024-07-18",
        "  seed: 1",
      );
    const root = await projectWith(withMap("azure"));
    const loaded = await loadPipeline("pipelines/p.yaml", { cwd: root, env: { BASE_DEPLOYMENT: "my-mini" } });
    expect(loaded.ok && loaded.pipeline.config.provider).toEqual({
      kind: "azure",
      deployments: { "gpt-4o-mini-2024-07-18": "my-mini" },
    });
    const openai = await diagnosticsOf(withMap("openai", "my-mini"));
    expect(openai.map((d) => [d.code, d.span?.line, d.message])).toEqual([
      ["unsupported-setting", 3, "provider openai has no deployments: requests name the model itself"],
    ]);
  });
});
