/**
 * The commented starter pipeline `tunefile init` writes, and a small sample dataset so that it validates and runs
 * (on the built-in local provider) before the user has data of their own.
 */
export interface StarterOptions {
  /** Pipeline name (lowercase, digits, `-`, `_`). */
  name: string;
  /** `$schema` reference for the yaml-language-server modeline, relative to the pipeline file. */
  schemaRef: string;
  /** Training data path relative to the pipeline file. */
  trainPath: string;
}

/** A valid pipeline name from a file name: `Support Bot.yaml` -> `support-bot`. */
export function pipelineNameFrom(basename: string): string {
  const name = basename
    .replace(/\.ya?ml$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|-+$/g, "")
    .slice(0, 64);
  return name === "" ? "pipeline" : name;
}

export function starterPipeline(o: StarterOptions): string {
  return `# yaml-language-server: $schema=${o.schemaRef}
#
# A tunefile pipeline. Reference: docs/pipeline.md, or \`tunefile schema\` for the JSON Schema.
#   tunefile validate ${o.name}.yaml   check this file and the data
#   tunefile plan ${o.name}.yaml       what would run, and the estimated cost
#   tunefile run ${o.name}.yaml        run what is stale; state goes to ${o.name}.lock.yaml
version: 1
name: ${o.name}
description: A short description of what the fine-tuned model is for.

# auto: OpenAI when OPENAI_API_KEY is set, otherwise the built-in local provider (offline).
# Also: openai, azure, openai-compatible ({ kind: openai-compatible, base_url: ... }), local.
provider: auto
model: gpt-4o-mini-2024-07-18

dataset:
  # Paths are relative to this file; globs such as data/*.jsonl are allowed.
  # JSONL lines are chat examples: {"messages": [{"role": "user", ...}, {"role": "assistant", ...}]}
  train: ${o.trainPath}
  # Either a validation file, or carve it out of the training data:
  split: { validation: 0.2, seed: 7 }
  transforms:
    - system: "You are a concise assistant that answers in one sentence."
    - dedupe: exact
    - shuffle: { seed: 42 }
  # A CSV or JSON source is mapped to chat messages with a template:
  # train: data/faq.csv
  # transforms:
  #   - template:
  #       messages:
  #         - { role: user, content: "{{question}}" }
  #         - { role: assistant, content: "{{answer}}" }

training:
  method: supervised  # or dpo, with preference data
  hyperparameters: { n_epochs: 3, batch_size: auto, learning_rate_multiplier: auto }
  suffix: ${o.name.slice(0, 40)}
  seed: 42

evaluation:
  candidates: [base, fine_tuned]
  params: { temperature: 0, max_tokens: 120 }
  prompts:
    - user: "What is the capital of {{country}}?"
      vars: { country: [France, Japan, Kenya] }
      assert:
        - length: { max: 200 }
  # Deploy only when the fine-tuned model passes often enough:
  gate: { candidate: fine_tuned, min_pass_rate: 0.5 }

# deploy:
#   alias: ${o.name}-production   # recorded in deployments/${o.name}.json with history

budget: { max_usd: 5.00 }
`;
}

const SAMPLE: readonly [string, string][] = [
  ["What is the capital of Italy?", "The capital of Italy is Rome."],
  ["What is the capital of Canada?", "The capital of Canada is Ottawa."],
  ["What is the capital of Australia?", "The capital of Australia is Canberra."],
  ["What is the capital of Brazil?", "The capital of Brazil is Brasília."],
  ["What is the capital of Egypt?", "The capital of Egypt is Cairo."],
  ["What is the capital of Germany?", "The capital of Germany is Berlin."],
  ["What is the capital of India?", "The capital of India is New Delhi."],
  ["What is the capital of Mexico?", "The capital of Mexico is Mexico City."],
  ["What is the capital of Norway?", "The capital of Norway is Oslo."],
  ["What is the capital of Peru?", "The capital of Peru is Lima."],
  ["What is the capital of Spain?", "The capital of Spain is Madrid."],
  ["What is the capital of Vietnam?", "The capital of Vietnam is Hanoi."],
  ["What is the capital of Chile?", "The capital of Chile is Santiago."],
  ["What is the capital of Poland?", "The capital of Poland is Warsaw."],
  ["What is the capital of Thailand?", "The capital of Thailand is Bangkok."],
];

/** Fifteen chat examples in JSONL: after the starter's 20% validation split, still the service's minimum of ten. */
export function starterData(): string {
  return `${SAMPLE.map(([q, a]) =>
    JSON.stringify({
      messages: [
        { role: "user", content: q },
        { role: "assistant", content: a },
      ],
    }),
  ).join("\n")}\n`;
}
