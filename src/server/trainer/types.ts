/**
 * The contract between the local provider's HTTP layer (src/server) and its tiny real trainer
 * (src/server/trainer). The HTTP layer owns jobs, files, events and persistence; the trainer owns the model.
 */

/** A chat message as it appears in training data and chat requests (content normalised to text). */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool" | "function";
  content: string;
  /** Assistant messages only: 0 means "do not train on this turn". */
  weight?: 0 | 1;
}

/**
 * One training example, already validated by the shared format checks. A DPO example's `messages` are the input
 * with the preferred answer, `rejected` the input with the non-preferred one.
 */
export interface TrainingExample {
  messages: ChatMessage[];
  rejected?: ChatMessage[];
}

export interface TrainConfig {
  /** Canonical base snapshot, e.g. gpt-4o-mini-2024-07-18 (its encoding tokenizes the data). */
  baseModel: string;
  nEpochs: number;
  batchSize: number;
  learningRateMultiplier: number;
  seed: number;
  /** Train on the DPO objective with this β (every example then has `rejected`). Absent: supervised. */
  dpo?: { beta: number };
  /**
   * Start from this model instead of the base snapshot: continued fine-tuning of an `ft:` model. (To recover a
   * job interrupted by a restart, train again from the start: the same seed gives the same model.)
   * Default: the pretrained base model of `baseModel`'s encoding.
   */
  initialModel?: ModelSnapshot;
}

/** Metrics of one step, computed on that step's batch before its update (the model's real loss). */
export interface StepMetrics {
  step: number;
  totalSteps: number;
  epoch: number;
  trainLoss: number;
  trainMeanTokenAccuracy: number;
  validLoss?: number;
  validMeanTokenAccuracy?: number;
  /** Only on the last step of an epoch, when validation data exists. */
  fullValidLoss?: number;
  fullValidMeanTokenAccuracy?: number;
  /** DPO only: the share of the batch's pairs the model ranks the preferred answer first, and their mean margin. */
  trainRewardAccuracy?: number;
  trainRewardMargin?: number;
}

/** A trained model's parameters: plain JSON, so the server can persist it and serve it after a restart. */
export type ModelSnapshot = { kind: "tunefile-tiny-lm"; version: number; baseModel: string; [key: string]: unknown };

/** A training run advanced one step at a time, so the server can pace steps, persist progress and be cancelled. */
export interface TrainingRun {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number;
  /** Steps done so far. */
  readonly stepsDone: number;
  /** Trains on the next batch and returns that batch's metrics. */
  step(): StepMetrics;
  /** The model as trained so far (used for checkpoints at epoch ends and for the final model). */
  snapshot(): ModelSnapshot;
}

export interface GenerateOptions {
  maxTokens: number;
  /** 0 (default) is greedy and deterministic; above 0 samples with `seed`. */
  temperature?: number;
  seed?: number;
  stop?: string[];
}

/** The JSON Schema subset the constrained decoder honours (what pydantic and zod emit for plain models). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  [key: string]: unknown;
}

export interface Generation {
  text: string;
  finishReason: "stop" | "length";
}

/** What src/server/trainer/index.ts exports. */
export interface TrainerApi {
  startTraining(train: TrainingExample[], validation: TrainingExample[] | undefined, config: TrainConfig): TrainingRun;
  /** The untuned base model for a base snapshot (a small LM pretrained on a bundled generic corpus). */
  baseModel(baseModel: string): ModelSnapshot;
  generate(model: ModelSnapshot, messages: ChatMessage[], options: GenerateOptions): Generation;
  /** Text that parses as JSON and validates against `schema` (src/server/trainer/constrained.ts). */
  generateJson(model: ModelSnapshot, messages: ChatMessage[], schema: JsonSchema, options: GenerateOptions): Generation;
}
