import { findModel, MODEL_CATALOG } from "../../core/catalog/models.js";
import { findOpenModel, OPEN_MODELS, type OpenProvider } from "../../core/catalog/open-models.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../core/did-you-mean.js";
import { at, type Locator, type Rule } from "./context.js";

const ALL_NAMES = MODEL_CATALOG.flatMap((m) => [m.snapshot, ...m.aliases]);

/**
 * `unknown-model`: the base model must be one the provider can fine-tune. OpenAI, Azure (by its own spellings,
 * which the catalog lists as aliases) and the local provider accept the catalog; an OpenAI-compatible service may
 * serve anything, so its model names are not checked. `ft:` names (continued fine-tuning) are accepted, and so is
 * any model when `training.fine_tuned_model` skips training.
 *
 * `dpo-unsupported-model`: DPO needs a model whose catalog entry lists it.
 */
export const modelRule: Rule = async ({ value, kind, locate }) => {
  const model = at(value, "model");
  if (typeof model !== "string" || model === "") return [];
  if (kind === "openai-compatible" || at(value, "training", "fine_tuned_model") !== undefined) return [];
  if (kind === "together" || kind === "nebius") return openModelRule(kind, model, value, locate);
  const family = findModel(model);
  const out: Diagnostic[] = [];
  if (!family && !model.startsWith("ft:")) {
    const close = didYouMean(model, ALL_NAMES);
    out.push({
      severity: "error",
      code: "unknown-model",
      message: `\`${model}\` is not a model the ${kind === "auto" ? "" : `${kind} `}provider can fine-tune`,
      span: locate.span(["model"]),
      hint:
        close !== undefined
          ? `did you mean \`${close}\`?`
          : `fine-tunable models: ${MODEL_CATALOG.map((m) => m.snapshot).join(", ")}; an openai-compatible provider accepts any name`,
    });
  }
  if (family && at(value, "training", "method") === "dpo" && !family.methods.includes("dpo")) {
    const dpoModels = MODEL_CATALOG.filter((m) => m.methods.includes("dpo")).map((m) => m.snapshot);
    out.push({
      severity: "error",
      code: "dpo-unsupported-model",
      message: `\`${model}\` cannot be trained with dpo`,
      span: locate.span(["training", "method"]),
      hint: `dpo works with ${dpoModels.join(", ")}`,
    });
  }
  return out;
};

/**
 * Together and Nebius fine-tune open models, named as each provider spells them. What the model's row says it
 * takes is checked here, before anything is uploaded: DPO, and full weights on Nebius, which trains them when
 * `training.lora` is absent (Together trains a LoRA adapter then).
 */
function openModelRule(provider: OpenProvider, model: string, value: unknown, locate: Locator): Diagnostic[] {
  if (model.startsWith("ft:")) return [];
  const known = findOpenModel(provider, model);
  if (known) {
    const out: Diagnostic[] = [];
    if (at(value, "training", "method") === "dpo" && !known.methods.includes("dpo")) {
      out.push({
        severity: "error",
        code: "dpo-unsupported-model",
        message: `\`${model}\` cannot be trained with dpo on ${provider}`,
        span: locate.span(["training", "method"]),
        hint: `dpo works on ${provider} with ${
          OPEN_MODELS.filter((m) => m.provider === provider && m.methods.includes("dpo"))
            .map((m) => m.name)
            .join(", ") || "none of its models"
        }`,
      });
    }
    if (provider === "nebius" && !known.full && at(value, "training", "lora") === undefined) {
      out.push({
        severity: "error",
        code: "lora-required-model",
        message: `\`${model}\` is trained only as a LoRA adapter on ${provider}, and without \`training.lora\` tunefile asks for full weights`,
        span: locate.span(["model"]),
        hint: "add `lora: {}` under `training:` (the provider's default rank and alpha), or choose a model that takes full fine-tuning",
      });
    }
    return out;
  }
  const names = OPEN_MODELS.filter((m) => m.provider === provider).map((m) => m.name);
  const close = didYouMean(model, names);
  return [
    {
      severity: "error",
      code: "unknown-model",
      message: `\`${model}\` is not a model the ${provider} provider can fine-tune`,
      span: locate.span(["model"]),
      hint: close !== undefined ? `did you mean \`${close}\`?` : `fine-tunable on ${provider}: ${names.join(", ")}`,
    },
  ];
}
