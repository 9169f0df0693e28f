/**
 * Fine-tunable open models of the providers that go on after OpenAI's self-serve fine-tuning closes. Names are as
 * each provider spells them. Figures not read from the provider's own page are marked unconfirmed; no price is
 * listed where none could be confirmed, so estimates say "no known price" rather than guess (a pipeline's
 * `prices:` can supply one).
 */
export type OpenProvider = "together" | "nebius";

export interface OpenModel {
  provider: OpenProvider;
  /** The name the provider's API takes. */
  name: string;
  /** Training context per example, in tokens. */
  maxTokensPerExample: number;
  /** How tunefile counts this model's tokens: no exact Llama 3 tokenizer is wired in yet, so counts are approximate. */
  tokenizer: { family: "llama3"; exact: false };
  lora: boolean;
  full: boolean;
  methods: readonly ("supervised" | "dpo")[];
  source: string;
  as_of: string;
  note?: string;
}

const SOURCES: Record<OpenProvider, string> = {
  together: "https://docs.together.ai/docs/fine-tuning-models",
  nebius: "https://docs.tokenfactory.nebius.com/post-training/models",
};

/** A row of the table: every model listed takes LoRA, with an 8,192-token context not read from the page. */
function openModel(provider: OpenProvider, name: string, full: boolean, methods: OpenModel["methods"]): OpenModel {
  return {
    provider,
    name,
    maxTokensPerExample: 8192,
    tokenizer: { family: "llama3", exact: false },
    lora: true,
    full,
    methods,
    source: SOURCES[provider],
    as_of: "2026-12-02",
    note: "context length not read from the provider's page; check it there",
  };
}

/** Columns: provider, name as its API takes it, whether full fine-tuning (not only LoRA) is offered, methods. */
export const OPEN_MODELS: readonly OpenModel[] = [
  openModel("together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", true, ["supervised", "dpo"]),
  openModel("together", "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference", false, ["supervised", "dpo"]),
  openModel("nebius", "meta-llama/Meta-Llama-3.1-8B-Instruct", true, ["supervised"]),
  openModel("nebius", "meta-llama/Llama-3.3-70B-Instruct", false, ["supervised"]),
];

export function findOpenModel(provider: OpenProvider, name: string): OpenModel | undefined {
  return OPEN_MODELS.find((m) => m.provider === provider && m.name === name);
}
