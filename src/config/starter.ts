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
  /** The pipeline file as the user would type it (relative to where `init` ran). Default: `<name>.yaml`. */
  displayFile?: string;
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

export function starterPipeline(options: StarterOptions): string {
  const o = { ...options, displayFile: options.displayFile ?? `${options.name}.yaml` };
  return `# yaml-language-server: $schema=${o.schemaRef}
#
# A tunefile pipeline. Every key, default and diagnostic is in docs/pipeline.md of the tunefile package
# (node_modules/tunefile/docs/pipeline.md once installed); \`tunefile schema\` prints the JSON Schema.
#   tunefile validate ${o.displayFile}   check this file and the data
#   tunefile plan ${o.displayFile}       what would run, and the estimated cost
#   tunefile run ${o.displayFile}        run what is stale; state goes to ${o.name}.lock.yaml beside this file
#
# The sample task: confirm a train booking in one fixed sentence that names the city asked for. The evaluation
# asks about cities that are not in the training data and checks both the form and the city, so an answer
# that only looks right (or names the wrong city) fails.
version: 1
name: ${o.name}
description: Confirms train ticket bookings in one sentence that names the destination.

# auto: OpenAI when OPENAI_API_KEY is set, otherwise the built-in local provider (offline, a tiny real model).
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
    - system: "You book train tickets. Confirm each booking in one sentence that names the destination."
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
  params: { temperature: 0, max_tokens: 60 }
  prompts:
    # Held out: none of these cities is in the training data.
    - user: "Book me a train ticket to {{city}}."
      vars: { city: [Oslo, Milan, Geneva, Porto, Zurich] }
      assert:
        - regex: "^Booked: "          # the confirmation's form
        - icontains: "{{city}}"        # the city that was asked for
  # Deploy only when the fine-tuned model passes often enough:
  gate: { candidate: fine_tuned, min_pass_rate: 0.8 }

# deploy:
#   alias: ${o.name}-production   # recorded in deployments/${o.name}.json with history

budget: { max_usd: 5.00 }
`;
}

const CITIES: readonly string[] = [
  "Lisbon",
  "Madrid",
  "Berlin",
  "Vienna",
  "Prague",
  "Dublin",
  "Athens",
  "Warsaw",
  "Rome",
  "Paris",
  "Krakow",
  "Seville",
  "Lyon",
  "Munich",
  "Bruges",
];

/**
 * Fifteen chat examples in JSONL (after the starter's 20% validation split, still the service's minimum of ten):
 * a booking request and its one-sentence confirmation naming the same city.
 */
export function starterData(): string {
  return `${CITIES.map((city) =>
    JSON.stringify({
      messages: [
        { role: "user", content: `Book me a train ticket to ${city}.` },
        { role: "assistant", content: `Booked: one train ticket to ${city}.` },
      ],
    }),
  ).join("\n")}\n`;
}
