import { AzureOpenAI } from "openai";
import { describe, expect, it } from "vitest";
import type { Pipeline } from "../../src/core/pipeline.generated.js";
import { resolveProvider } from "../../src/providers/resolve.js";

const ROOT = "/project";

function config(provider?: Pipeline["provider"]): Pipeline {
  return {
    version: 1,
    name: "elle",
    model: "gpt-4o-mini-2024-07-18",
    dataset: { train: "data/train.jsonl" },
    ...(provider !== undefined ? { provider } : {}),
  };
}

function choose(provider: Pipeline["provider"] | undefined, env: Record<string, string>, flag?: string) {
  return resolveProvider({ config: config(provider), env, root: ROOT, ...(flag ? { flag } : {}) });
}

describe("resolveProvider: which provider and why", () => {
  it("auto without OPENAI_API_KEY picks the built-in local provider and says so", () => {
    const choice = choose("auto", {});
    expect(choice.ok && choice.explanation).toBe(
      "provider: local (auto: OPENAI_API_KEY is not set; using the built-in offline provider); state in .tunefile/local",
    );
    expect(choice.ok && choice.identity).toEqual({ kind: "local", base_url: "local:.tunefile/local" });
  });

  it("no provider key at all means auto", () => {
    const choice = choose(undefined, { OPENAI_API_KEY: "sk-test-0123456789abcdef" });
    expect(choice.ok && choice.explanation).toBe(
      "provider: openai (auto: OPENAI_API_KEY is set) at https://api.openai.com/v1",
    );
    expect(choice.ok && choice.identity).toEqual({ kind: "openai", base_url: "https://api.openai.com/v1" });
  });

  it("--provider wins over the pipeline and drops settings written for another kind", () => {
    const choice = choose({ kind: "azure", endpoint: "https://r.openai.azure.com" }, {}, "local");
    expect(choice.ok && choice.explanation).toBe("provider: local (from --provider); state in .tunefile/local");
  });

  it("openai honours OPENAI_BASE_URL and never puts the key in the identity or the explanation", () => {
    const key = "sk-canary-abcdefghijklmnop";
    const choice = choose("openai", { OPENAI_API_KEY: key, OPENAI_BASE_URL: "https://proxy.example/v1/" });
    expect(choice.ok && choice.explanation).toBe("provider: openai (from the pipeline) at https://proxy.example/v1");
    expect(JSON.stringify(choice)).not.toContain(key);
  });

  it("openai-compatible takes base_url and the key from the named variable", async () => {
    const choice = choose(
      { kind: "openai-compatible", base_url: "http://127.0.0.1:9/v1", api_key_env: "EXAMPLE_KEY" },
      { EXAMPLE_KEY: "example-secret-value" },
    );
    expect(choice.ok && choice.identity).toEqual({ kind: "openai-compatible", base_url: "http://127.0.0.1:9/v1" });
    if (!choice.ok) throw new Error("expected a choice");
    const provider = await choice.connect();
    expect(provider.client.baseURL).toBe("http://127.0.0.1:9/v1");
    expect(provider.client.apiKey).toBe("example-secret-value");
    expect(provider.client.maxRetries).toBe(0);
  });

  it("a relative state_dir is resolved against the pipeline file's directory", () => {
    const choice = resolveProvider({
      config: config({ kind: "local", state_dir: "../state" }),
      env: {},
      root: ROOT,
      pipelineDir: `${ROOT}/pipelines`,
    });
    expect(choice.ok && choice.identity).toEqual({ kind: "local", base_url: "local:state" });
  });
});

describe("resolveProvider: azure", () => {
  it("builds an AzureOpenAI client with <endpoint>/openai, the api-version and no SDK retries", async () => {
    const choice = choose(
      { kind: "azure", api_version: "2025-04-01-preview" },
      { AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com/", AZURE_OPENAI_API_KEY: "azure-secret-123456" },
    );
    if (!choice.ok) throw new Error(JSON.stringify(choice.diagnostics));
    expect(choice.explanation).toBe(
      "provider: azure (from the pipeline) at https://my-res.openai.azure.com/openai, api-version 2025-04-01-preview",
    );
    const provider = await choice.connect();
    expect(provider.client).toBeInstanceOf(AzureOpenAI);
    const azure = provider.client as AzureOpenAI;
    expect(azure.baseURL).toBe("https://my-res.openai.azure.com/openai");
    expect(azure.apiVersion).toBe("2025-04-01-preview");
    expect(azure.maxRetries).toBe(0);
    expect(provider.identity).toEqual({ kind: "azure", base_url: "https://my-res.openai.azure.com/openai" });
  });

  it("takes the api-version from OPENAI_API_VERSION when the pipeline has none", async () => {
    const choice = choose("azure", {
      AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
      AZURE_OPENAI_API_KEY: "azure-secret-123456",
      OPENAI_API_VERSION: "2024-10-21",
    });
    if (!choice.ok) throw new Error("expected a choice");
    expect(((await choice.connect()).client as AzureOpenAI).apiVersion).toBe("2024-10-21");
  });
});

describe("resolveProvider: missing credentials say exactly what to set", () => {
  it("openai without a key", () => {
    expect(choose("openai", {})).toEqual({
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "provider-credentials",
          message: "provider openai needs an API key: set OPENAI_API_KEY",
          hint: "or run offline with `--provider local`",
        },
      ],
    });
  });

  it("openai with api_key_env naming an unset variable", () => {
    const choice = choose(
      { kind: "openai", api_key_env: "TEAM_OPENAI_KEY" },
      { OPENAI_API_KEY: "sk-other-0123456789" },
    );
    expect(choice.ok ? [] : choice.diagnostics.map((d) => d.message)).toEqual([
      "provider openai needs an API key: set TEAM_OPENAI_KEY",
    ]);
  });

  it("azure lists every missing piece", () => {
    const choice = choose("azure", {});
    expect(choice.ok ? [] : choice.diagnostics.map((d) => d.message)).toEqual([
      "provider azure needs the resource endpoint: set AZURE_OPENAI_ENDPOINT (or provider.endpoint)",
      "provider azure needs an API key: set AZURE_OPENAI_API_KEY",
      "provider azure needs an api-version: set OPENAI_API_VERSION (or provider.api_version)",
    ]);
  });

  it("openai-compatible without base_url or key", () => {
    const choice = choose({ kind: "openai-compatible", api_key_env: "EXAMPLE_KEY" }, {});
    expect(choice.ok ? [] : choice.diagnostics.map((d) => d.message)).toEqual([
      "provider openai-compatible needs a base URL: set provider.base_url in the pipeline (or OPENAI_BASE_URL)",
      "provider openai-compatible needs an API key: set EXAMPLE_KEY",
    ]);
  });

  it("an unknown --provider", () => {
    const choice = choose("auto", {}, "bedrock");
    expect(choice.ok ? [] : choice.diagnostics.map((d) => `${d.message} (${d.hint})`)).toEqual([
      "unknown provider `bedrock` given with --provider (use one of: auto, openai, azure, openai-compatible, local, together, nebius)",
    ]);
  });
});
