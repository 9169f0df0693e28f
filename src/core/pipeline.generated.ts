/* Generated from schemas/pipeline.schema.json by `npm run gen:types`. Do not edit by hand. */

/**
 * Provider kind.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "ProviderKind".
 */
export type ProviderKind = "auto" | "openai" | "azure" | "openai-compatible" | "local" | "together" | "nebius";
/**
 * One transform: an object with exactly one key naming the transform.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Transform".
 */
export type Transform =
  | SystemTransform
  | TemplateTransform
  | FilterTransform
  | DedupeTransform
  | ShuffleTransform
  | LimitTransform
  | SampleTransform;
/**
 * Let the provider choose.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Auto".
 */
export type Auto = "auto";
/**
 * base, fine_tuned, checkpoints, {few_shot: k}, {fine_tuned: model-id} or {model: id}.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Candidate".
 */
export type Candidate =
  | ("base" | "fine_tuned" | "checkpoints")
  | {
      /**
       * Number of training examples in the prompt.
       */
      few_shot: number;
    }
  | {
      /**
       * Fine-tuned model id.
       */
      fine_tuned: string;
    }
  | {
      /**
       * Model id.
       */
      model: string;
      /**
       * Name in reports. Default: the model id.
       */
      label?: string;
      /**
       * Where this candidate's requests go, when not the pipeline's provider: a kind name or settings, with its own credentials (e.g. the OpenAI fine-tune a team has today, compared with its replacement trained elsewhere).
       */
      provider?: ProviderKind | ProviderSettings;
    };
/**
 * A data source: a path or glob relative to the pipeline file, or an object naming its format.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Source".
 */
export type Source = string | SourceObject | [string | SourceObject, ...(string | SourceObject)[]];
/**
 * A string, a list of strings, or {value, mode}.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "TextMatch".
 */
export type TextMatch =
  | string
  | [string, ...string[]]
  | {
      /**
       * String or strings to look for.
       */
      value: string | [string, ...string[]];
      /**
       * any (default) or all of the strings.
       */
      mode?: "any" | "all";
    };

/**
 * A tunefile pipeline: data, training, evaluation and deployment of a fine-tuned chat model.
 */
export interface Pipeline {
  /**
   * Pipeline language version. Only 1 exists.
   */
  version: 1;
  /**
   * Pipeline name: lowercase letters, digits, - and _, starting with a letter or digit, at most 64 characters. Names .tunefile/<name>/, reports/<name>/ and deployments/<name>.json.
   */
  name: string;
  /**
   * What the fine-tuned model is for; shown in reports.
   */
  description?: string;
  /**
   * Where files, jobs and completions go. A kind name, or an object with the kind and its settings. auto: openai when OPENAI_API_KEY is set, else the built-in local provider.
   */
  provider?: ProviderKind | ProviderSettings;
  /**
   * Base model to fine-tune and to evaluate as the `base` candidate, e.g. gpt-4o-mini-2024-07-18 (Azure: gpt-35-turbo-0125).
   */
  model: string;
  dataset: Dataset;
  upload?: Upload;
  training?: Training;
  evaluation?: Evaluation;
  deploy?: Deploy;
  /**
   * Spending limit. run asks before exceeding it (or refuses without a terminal unless --yes).
   */
  budget?: {
    /**
     * Largest estimated training plus evaluation cost, in US dollars.
     */
    max_usd?: number;
  };
  /**
   * Price overrides per model id, in US dollars per 1M tokens, for negotiated or changed rates. A key is a model id: a base model (snapshot or alias, e.g. gpt-4o-mini-2024-07-18) sets that model's own inference rates (base and few-shot candidates) and, with `training`, its training price; a fine-tuned or checkpoint id (ft:…) sets that model's rates. Fine-tuned models without a key of their own keep the built-in fine-tuned rates. Reports mark these prices as a pipeline override.
   */
  prices?: {
    [k: string]: PriceOverride;
  };
}
/**
 * A provider with its settings. Secrets are never written here: name the environment variable instead.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "ProviderSettings".
 */
export interface ProviderSettings {
  kind: ProviderKind;
  /**
   * API base URL (openai, openai-compatible), e.g. https://example.com/v1. Defaults to OPENAI_BASE_URL or the official URL.
   */
  base_url?: string;
  /**
   * Name of the environment variable that holds the API key. Defaults: OPENAI_API_KEY (openai), AZURE_OPENAI_API_KEY (azure).
   */
  api_key_env?: string;
  /**
   * Azure resource endpoint, e.g. https://my-resource.openai.azure.com. Defaults to AZURE_OPENAI_ENDPOINT.
   */
  endpoint?: string;
  /**
   * Azure api-version. Defaults to OPENAI_API_VERSION.
   */
  api_version?: string;
  /**
   * Azure only: the deployment that serves each model asked by name (the base and few-shot candidates, the judge), e.g. { gpt-4o-mini-2024-07-18: my-4o-mini }. A model not listed is asked as a deployment of its own name.
   */
  deployments?: {
    [k: string]: string;
  };
  /**
   * OpenAI organization id (openai). Defaults to OPENAI_ORG_ID.
   */
  organization?: string;
  /**
   * OpenAI project id (openai). Defaults to OPENAI_PROJECT_ID.
   */
  project?: string;
  /**
   * State directory of the built-in local provider, relative to the pipeline file. Default: .tunefile/local beside the pipelines folder's project root.
   */
  state_dir?: string;
}
/**
 * Training and validation data and the transforms applied to them.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Dataset".
 */
export interface Dataset {
  /**
   * Training data source(s).
   */
  train: string | SourceObject | [string | SourceObject, ...(string | SourceObject)[]];
  /**
   * Validation data source(s). Not billed. Exclusive with split.
   */
  validation?: string | SourceObject | [string | SourceObject, ...(string | SourceObject)[]];
  /**
   * Carve the validation set out of the training data instead of giving a validation source.
   */
  split?: {
    /**
     * Fraction of examples that go to validation, strictly between 0 and 1.
     */
    validation: number;
    /**
     * Seed of the split. Default: 0.
     */
    seed?: number;
  };
  /**
   * Transforms applied in order to every example, streaming.
   */
  transforms?: Transform[];
}
/**
 * A source with an explicit format.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "SourceObject".
 */
export interface SourceObject {
  /**
   * Path or glob, relative to the pipeline file.
   */
  path: string;
  /**
   * File format. Default: from the extension.
   */
  format?: "jsonl" | "json" | "csv";
  /**
   * CSV field delimiter. Default: comma.
   */
  delimiter?: string;
}
/**
 * Set the system message.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "SystemTransform".
 */
export interface SystemTransform {
  /**
   * The system message text, or an object with the text and the mode.
   */
  system:
    | string
    | {
        /**
         * The system message text.
         */
        content: string;
        /**
         * replace (default): replace any system message; if_missing: only add where there is none.
         */
        mode?: "replace" | "if_missing";
      };
}
/**
 * Map a row (CSV, JSON) to chat messages. `{{column}}` is replaced by the row's value; no code runs.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "TemplateTransform".
 */
export interface TemplateTransform {
  /**
   * The message template.
   */
  template: {
    /**
     * Messages with {{column}} placeholders.
     *
     * @minItems 1
     */
    messages: [
      {
        /**
         * Message role.
         */
        role: "system" | "user" | "assistant";
        /**
         * Content with {{column}} placeholders.
         */
        content: string;
      },
      ...{
        /**
         * Message role.
         */
        role: "system" | "user" | "assistant";
        /**
         * Content with {{column}} placeholders.
         */
        content: string;
      }[]
    ];
  };
}
/**
 * Keep only the examples that pass every given condition.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "FilterTransform".
 */
export interface FilterTransform {
  /**
   * Declarative conditions, all of which must hold.
   */
  filter: {
    /**
     * Drop examples with more tokens than this.
     */
    max_tokens?: number;
    /**
     * Drop examples with fewer messages.
     */
    min_messages?: number;
    /**
     * Drop examples with more messages.
     */
    max_messages?: number;
    /**
     * Drop examples lacking any of these roles.
     */
    require_roles?: ("system" | "user" | "assistant" | "tool")[];
    /**
     * Drop examples whose text contains any of these strings (case-insensitive).
     */
    exclude_contains?: string[];
  };
}
/**
 * Drop examples that repeat an earlier one.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "DedupeTransform".
 */
export interface DedupeTransform {
  /**
   * exact: identical canonical JSON.
   */
  dedupe: "exact";
}
/**
 * Shuffle the examples deterministically.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "ShuffleTransform".
 */
export interface ShuffleTransform {
  /**
   * Shuffle settings.
   */
  shuffle: {
    /**
     * Seed. Default: 0.
     */
    seed?: number;
  };
}
/**
 * Keep the first N examples.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "LimitTransform".
 */
export interface LimitTransform {
  /**
   * How many examples to keep.
   */
  limit: number;
}
/**
 * Keep a seeded random sample.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "SampleTransform".
 */
export interface SampleTransform {
  /**
   * Sample size and seed.
   */
  sample: {
    /**
     * Number of examples to keep.
     */
    n?: number;
    /**
     * Fraction of examples to keep, in (0, 1].
     */
    fraction?: number;
    /**
     * Seed. Default: 0.
     */
    seed?: number;
  };
}
/**
 * How prepared files are uploaded.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Upload".
 */
export interface Upload {
  /**
   * Files larger than this go through the Uploads API in parts. Default: 64.
   */
  multipart_above_mb?: number;
  /**
   * Part size for the Uploads API, at most 64. Default: 32.
   */
  part_size_mb?: number;
}
/**
 * The fine-tuning job.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Training".
 */
export interface Training {
  /**
   * Training method. dpo expects preference data.
   */
  method?: "supervised" | "dpo";
  /**
   * Hyperparameters; each defaults to auto.
   */
  hyperparameters?: {
    /**
     * Epochs, 1-50, or auto.
     */
    n_epochs?: number | Auto;
    /**
     * Batch size, 1-256, or auto.
     */
    batch_size?: number | Auto;
    /**
     * Learning-rate multiplier > 0, or auto (OpenAI, Azure, openai-compatible, local).
     */
    learning_rate_multiplier?: number | Auto;
    /**
     * Absolute learning rate > 0 (Together, Nebius).
     */
    learning_rate?: number;
    /**
     * DPO only: beta in (0, 2], or auto.
     */
    beta?: number | Auto;
  };
  /**
   * Train a LoRA adapter instead of the full weights (Together, Nebius). Absent: the provider's default.
   */
  lora?: {
    /**
     * Rank of the adapter. Default: the provider's.
     */
    r?: number;
    /**
     * Scaling factor. Default: the provider's.
     */
    alpha?: number;
    /**
     * Dropout on the adapter, 0-1. Default: the provider's.
     */
    dropout?: number;
  };
  /**
   * Suffix of the fine-tuned model name, 1-64 characters.
   */
  suffix?: string;
  /**
   * Training seed, for reproducibility.
   */
  seed?: number;
  /**
   * Use this existing fine-tuned model instead of training one: prepare, upload and train are skipped.
   */
  fine_tuned_model?: string;
  /**
   * Longest wait between status polls while monitoring. Default: 10.
   */
  poll_seconds?: number;
}
/**
 * Side-by-side evaluation of candidate models on prompts with graders.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Evaluation".
 */
export interface Evaluation {
  /**
   * Models to compare. Default: [base, fine_tuned].
   *
   * @minItems 1
   */
  candidates?: [Candidate, ...Candidate[]];
  /**
   * Chat completion parameters for every candidate.
   */
  params?: {
    /**
     * Sampling temperature 0-2. Default: 0.
     */
    temperature?: number;
    /**
     * Nucleus sampling, 0-1.
     */
    top_p?: number;
    /**
     * Most tokens per answer (sent as max_completion_tokens). Default: 256.
     */
    max_tokens?: number;
    /**
     * Sampling seed, best effort.
     */
    seed?: number;
  };
  /**
   * System prompt for every evaluation prompt. Default: the training data's system message.
   */
  system?: string;
  /**
   * Requests in flight at once. Default: 4.
   */
  concurrency?: number;
  /**
   * How the candidates' requests are sent. sync: one request at a time (up to concurrency). batch: the requests the cache does not hold go to the provider's Batch API as input files (half the price, results within 24 h), then are graded as in sync mode; judge requests stay synchronous. Default: sync.
   */
  mode?: "sync" | "batch";
  /**
   * Settings of evaluation.mode: batch.
   */
  batch?: {
    /**
     * Requests that failed transiently (rate limit, server error, expired): sync asks them again one by one, batch sends them in another batch (up to 3 rounds). Default: sync.
     */
    retry?: "sync" | "batch";
    /**
     * Longest wait between polls of a batch. Default: 10.
     */
    poll_seconds?: number;
  };
  /**
   * Graders applied to every prompt, in addition to the prompt's own.
   */
  assert?: Grader[];
  /**
   * The judge model for llm-judge graders.
   */
  judge?: {
    /**
     * Judge model id. Default: the base model.
     */
    model?: string;
  };
  /**
   * Evaluation prompts.
   *
   * @minItems 1
   */
  prompts: [Prompt, ...Prompt[]];
  gate?: Gate;
}
/**
 * One check on an answer: an object with one key naming the grader (prefix not- to negate equals, contains, icontains, regex).
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Grader".
 */
export interface Grader {
  /**
   * The answer equals this text (trimmed).
   */
  equals?: string;
  /**
   * The answer differs from this text.
   */
  "not-equals"?: string;
  /**
   * The answer contains the text(s), case-sensitive.
   */
  contains?:
    | string
    | [string, ...string[]]
    | {
        /**
         * String or strings to look for.
         */
        value: string | [string, ...string[]];
        /**
         * any (default) or all of the strings.
         */
        mode?: "any" | "all";
      };
  /**
   * The answer contains none of the text(s).
   */
  "not-contains"?:
    | string
    | [string, ...string[]]
    | {
        /**
         * String or strings to look for.
         */
        value: string | [string, ...string[]];
        /**
         * any (default) or all of the strings.
         */
        mode?: "any" | "all";
      };
  /**
   * The answer contains the text(s), ignoring case.
   */
  icontains?:
    | string
    | [string, ...string[]]
    | {
        /**
         * String or strings to look for.
         */
        value: string | [string, ...string[]];
        /**
         * any (default) or all of the strings.
         */
        mode?: "any" | "all";
      };
  /**
   * The answer contains none of the text(s), ignoring case.
   */
  "not-icontains"?:
    | string
    | [string, ...string[]]
    | {
        /**
         * String or strings to look for.
         */
        value: string | [string, ...string[]];
        /**
         * any (default) or all of the strings.
         */
        mode?: "any" | "all";
      };
  /**
   * The answer matches this JavaScript regular expression.
   */
  regex?: string;
  /**
   * The answer does not match.
   */
  "not-regex"?: string;
  /**
   * The answer parses as JSON; with a schema, it also validates.
   */
  json?:
    | boolean
    | {
        /**
         * JSON Schema the answer must match.
         */
        schema?: {};
      };
  lines?: Bounds;
  length?: Bounds1;
  /**
   * Similarity to the prompt's reference answer.
   */
  similarity?: {
    /**
     * rouge-l (default) or token-f1.
     */
    metric?: "rouge-l" | "token-f1";
    /**
     * Smallest passing score, 0-1.
     */
    min: number;
    /**
     * Reference text. Default: the prompt's reference.
     */
    reference?: string;
  };
  /**
   * A judge model grades the answer against a rubric and explains why.
   */
  "llm-judge"?: {
    /**
     * What a passing answer does.
     */
    rubric: string;
    /**
     * Judge model. Default: evaluation.judge.model or the base model.
     */
    model?: string;
  };
  /**
   * A custom grader: a JavaScript module in the repo, relative to the pipeline file, whose default export grades.
   */
  module?: {
    /**
     * Module path, e.g. ./graders/rhyme.js.
     */
    path: string;
    /**
     * Passed to the grader unchanged.
     */
    options?: {};
  };
}
/**
 * Bounds on the number of non-empty lines.
 */
export interface Bounds {
  /**
   * Smallest allowed.
   */
  min?: number;
  /**
   * Largest allowed.
   */
  max?: number;
  /**
   * lines only: the separator between lines. Default: newline.
   */
  split?: string;
}
/**
 * Bounds on the number of characters.
 */
export interface Bounds1 {
  /**
   * Smallest allowed.
   */
  min?: number;
  /**
   * Largest allowed.
   */
  max?: number;
  /**
   * lines only: the separator between lines. Default: newline.
   */
  split?: string;
}
/**
 * An evaluation prompt: inline text expanded over vars, or rows of a dataset through a template.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Prompt".
 */
export interface Prompt {
  /**
   * Stable id for reports. Default: derived from the text.
   */
  id?: string;
  /**
   * User message with {{var}} placeholders.
   */
  user: string;
  /**
   * System message for this prompt.
   */
  system?: string;
  /**
   * Variables: each name maps to a value or a list; every combination is a prompt.
   */
  vars?: {
    [k: string]: string | number | [string | number, ...(string | number)[]];
  };
  from?: SourceObject1;
  /**
   * Reference answer with {{var}} placeholders, for similarity graders.
   */
  reference?: string;
  /**
   * Weight of this prompt in pass rates. Default: 1.
   */
  weight?: number;
  /**
   * Graders for this prompt.
   */
  assert?: Grader[];
}
/**
 * A source with an explicit format.
 */
export interface SourceObject1 {
  /**
   * Path or glob, relative to the pipeline file.
   */
  path: string;
  /**
   * File format. Default: from the extension.
   */
  format?: "jsonl" | "json" | "csv";
  /**
   * CSV field delimiter. Default: comma.
   */
  delimiter?: string;
}
/**
 * The condition for deploying: run exits 100 and skips deploy when it is not met.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Gate".
 */
export interface Gate {
  /**
   * Candidate that must pass. Default: fine_tuned.
   */
  candidate?: string;
  /**
   * Smallest weighted pass rate, 0-1.
   */
  min_pass_rate?: number;
  /**
   * Candidate it must beat with statistical significance, e.g. base.
   */
  must_beat?: string;
  /**
   * Largest p-value that counts as beating. Default: 0.05.
   */
  significance?: number;
}
/**
 * Record (and on Azure, create) the deployment of the gated model.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Deploy".
 */
export interface Deploy {
  /**
   * Alias written to deployments/<name>.json with history.
   */
  alias: string;
  /**
   * Azure only: create a model deployment through the ARM API.
   */
  azure?: {
    /**
     * Azure subscription id.
     */
    subscription_id: string;
    /**
     * Resource group of the Azure OpenAI account.
     */
    resource_group: string;
    /**
     * Azure OpenAI account (resource) name.
     */
    account: string;
    /**
     * Deployment name. Default: the alias.
     */
    deployment_name?: string;
    /**
     * SKU name. Default: standard.
     */
    sku?: "standard" | "globalstandard" | "developertier";
    /**
     * SKU capacity. Default: 1.
     */
    capacity?: number;
    /**
     * ARM endpoint. Default: https://management.azure.com.
     */
    management_endpoint?: string;
    /**
     * Environment variable holding the Entra bearer token. Default: AZURE_MANAGEMENT_TOKEN.
     */
    token_env?: string;
  };
}
/**
 * One model's prices, overriding the built-in table.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "PriceOverride".
 */
export interface PriceOverride {
  /**
   * US dollars per 1M prompt (input) tokens.
   */
  input: number;
  /**
   * US dollars per 1M completion (output) tokens.
   */
  output: number;
  /**
   * US dollars per 1M trained tokens (epochs × billing tokens); used for the training estimate and cost when the key is the pipeline's model.
   */
  training?: number;
  /**
   * Where the figures come from (a URL or a contract reference), shown in reports.
   */
  source?: string;
  /**
   * The date the figures apply from (YYYY-MM-DD), shown in reports.
   */
  as_of?: string;
}
/**
 * Inclusive bounds.
 *
 * This interface was referenced by `Pipeline`'s JSON-Schema
 * via the `definition` "Bounds".
 */
export interface Bounds2 {
  /**
   * Smallest allowed.
   */
  min?: number;
  /**
   * Largest allowed.
   */
  max?: number;
  /**
   * lines only: the separator between lines. Default: newline.
   */
  split?: string;
}
