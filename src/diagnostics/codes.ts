/**
 * The diagnostic codes of pipeline loading and source reading, with what each means. docs/pipeline.md lists the
 * same table, and test/config/golden.test.ts has a golden fixture for every entry (it fails when one is missing).
 * Other areas (data format checks, the lockfile) keep their own lists.
 */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: the texts quote the literal `${env:NAME}` syntax
export const LOADING_CODES = {
  "missing-file": "A file does not exist: the pipeline itself, or a data path (relative to the pipeline file).",
  "unreadable-file": "A file cannot be read: a directory, or no permission.",
  "file-too-large": "The pipeline file is larger than 1 MiB; probably a data file named by mistake.",
  "binary-file": "The pipeline file contains NUL bytes.",
  "invalid-encoding":
    "The pipeline file, or a line of a data file, is not valid UTF-8; the position of the first bad byte (pipeline) or the line (data) is shown.",
  "empty-file": "The pipeline file is empty or only comments.",
  "byte-order-mark": "Warning: the file starts with a UTF-8 byte order mark, which is ignored.",
  "yaml-syntax": "The YAML cannot be parsed.",
  "merge-conflict":
    "The file still has git's merge conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`), one error per region.",
  "duplicate-key": "A key appears twice in one mapping.",
  "yaml-alias": "YAML aliases expand to too many nodes (a resource exhaustion guard), or cannot be resolved.",
  "unknown-key": "A key the schema does not allow, with the closest allowed key as a hint.",
  "missing-key": "A required key is missing.",
  "invalid-type": "A value has the wrong type (a string where a number belongs, a list where a mapping belongs).",
  "invalid-value": "A value of the right type that the schema does not allow (out of range, not one of the choices).",
  "invalid-override": "A `-S key=value` override that is not of that form.",
  "unset-env": "`${env:NAME}` names an unset environment variable.",
  "env-not-allowed": "`${env:NAME}` in a key whose value is recorded in the lockfile or reports.",
  "env-secret": "`${env:NAME}` names a variable that looks like a secret (KEY, TOKEN, SECRET, PASSWORD).",
  "invalid-env-name": "`${env:...}` with something that is not a variable name.",
  "glob-no-match": "A glob in a data path matches no file.",
  "unknown-format": "A data file whose format cannot be told from its extension, and no `format:` is given.",
  "unknown-model": "The base model is not one the provider can fine-tune.",
  "dpo-unsupported-model": "`training.method: dpo` with a model that cannot be trained with DPO.",
  "lora-required-model":
    "A model the provider trains only as a LoRA adapter, without `training.lora` where leaving it out asks for full weights (Nebius).",
  "azure-evaluation-settings":
    "On Azure, fine-tuned or checkpoint candidates without `deploy.azure`, whose ARM settings evaluate needs to deploy them.",
  "gate-without-condition":
    "Warning: `evaluation.gate` has neither `min_pass_rate` nor `must_beat`, so it never stops deploy.",
  "unknown-gate-candidate":
    "`evaluation.gate.candidate` or `must_beat` names no evaluated candidate (the gate would fail only after training).",
  "undeployable-gate-candidate":
    "With `deploy`, a gate candidate whose model is not what was evaluated: a few-shot candidate, or a model on another provider.",
  "split-out-of-range": "`dataset.split.validation` is not strictly between 0 and 1.",
  "split-conflict": "Both `dataset.split` and `dataset.validation` are given.",
  "template-variable": "A `{{name}}` placeholder that no column (or prompt variable) provides.",
  "invalid-json": "A JSONL line or JSON array element is not valid JSON; line and column of the first bad character.",
  "line-too-long": "A line, element or record is longer than the reader's limit (64 MiB); it is skipped unread.",
  "json-not-array": "A .json source does not hold an array of examples.",
  "csv-header": "A CSV file has no header row, an unnamed column or a column named twice.",
  "csv-field-count": "A CSV record has a different number of fields than the header.",
  "csv-syntax": "A CSV file cannot be parsed further (for example an unclosed quote); reading stops there.",
} as const;
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: see above

/** The data format checks' codes (src/data/format-checks); docs/data.md describes each. */
export const DATA_CODES = [
  "data-invalid-json",
  "data-not-object",
  "data-missing-key",
  "data-unknown-key",
  "data-invalid-field",
  "data-invalid-message",
  "data-missing-role",
  "data-invalid-role",
  "data-unknown-message-key",
  "data-missing-content",
  "data-invalid-content",
  "data-invalid-weight",
  "data-invalid-tool-call",
  "data-missing-tool-call-id",
  "data-missing-assistant",
  "data-invalid-special-token",
  "data-invalid-preference",
  "data-over-token-limit",
  "data-too-few-examples",
  "data-more-problems",
  "data-template-missing-field",
  "data-template-row",
] as const;

/** Codes of the evaluation settings' checks (src/eval). */
export const EVAL_CODES = [
  "eval-duplicate-candidate",
  "eval-few-shot-short",
  "eval-no-checkpoints",
  "eval-no-fine-tuned-model",
  "eval-prompt-missing-var",
  "eval-prompt-row",
] as const;

/** Codes of reading the lockfile (src/engine/lockfile). */
export const LOCKFILE_CODES = [
  "lockfile-conflict",
  "lockfile-invalid",
  "lockfile-syntax",
  "lockfile-unreadable",
  "lockfile-version",
] as const;

/** Codes of the provider settings (src/providers/resolve.ts and kinds/). */
export const PROVIDER_CODES = [
  "provider-config",
  "provider-credentials",
  "provider-unknown",
  /** `provider: auto` chose another provider than the one the lockfile records training on. */
  "provider-switch",
  /** A setting the chosen provider does not have (e.g. `training.lora` on OpenAI), with the alternatives. */
  "unsupported-setting",
  /** Warning: the provider stops taking new fine-tuning jobs within 90 days, or already has. */
  "provider-closing",
] as const;

/** Codes of a selection that cannot run (src/engine/plan.ts). */
export const PLAN_CODES = ["stage-disabled", "upstream-stale"] as const;

/** Every code a diagnostic can carry: a closed list, so a new code is added here (and documented) on purpose. */
export type DiagnosticCode =
  | keyof typeof LOADING_CODES
  | (typeof DATA_CODES)[number]
  | (typeof EVAL_CODES)[number]
  | (typeof LOCKFILE_CODES)[number]
  | (typeof PROVIDER_CODES)[number]
  | (typeof PLAN_CODES)[number];
