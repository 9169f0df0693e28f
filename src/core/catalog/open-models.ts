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

const TOGETHER_MODELS_URL = "https://docs.together.ai/docs/fine-tuning-models";
const NEBIUS_MODELS_URL = "https://docs.tokenfactory.nebius.com/post-training/models";
const UNCONFIRMED = "context length not read from the provider's page; check it there";

export const OPEN_MODELS: readonly OpenModel[] = [
  {
    provider: "together",
    name: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
    maxTokensPerExample: 8192,
    tokenizer: { family: "llama3", exact: false },
    lora: true,
    full: true,
    methods: ["supervised", "dpo"],
    source: TOGETHER_MODELS_URL,
    as_of: "2026-12-02",
    note: UNCONFIRMED,
  },
  {
    provider: "together",
    name: "meta-llama/Meta-Llama-3.1-70B-Instruct-Reference",
    maxTokensPerExample: 8192,
    tokenizer: { family: "llama3", exact: false },
    lora: true,
    full: false,
    methods: ["supervised", "dpo"],
    source: TOGETHER_MODELS_URL,
    as_of: "2026-12-02",
    note: UNCONFIRMED,
  },
  {
    provider: "nebius",
    name: "meta-llama/Meta-Llama-3.1-8B-Instruct",
    maxTokensPerExample: 8192,
    tokenizer: { family: "llama3", exact: false },
    lora: true,
    full: true,
    methods: ["supervised"],
    source: NEBIUS_MODELS_URL,
    as_of: "2026-12-02",
    note: UNCONFIRMED,
  },
  {
    provider: "nebius",
    name: "meta-llama/Llama-3.3-70B-Instruct",
    maxTokensPerExample: 8192,
    tokenizer: { family: "llama3", exact: false },
    lora: true,
    full: false,
    methods: ["supervised"],
    source: NEBIUS_MODELS_URL,
    as_of: "2026-12-02",
    note: UNCONFIRMED,
  },
];

export function findOpenModel(provider: OpenProvider, name: string): OpenModel | undefined {
  return OPEN_MODELS.find((m) => m.provider === provider && m.name === name);
}
