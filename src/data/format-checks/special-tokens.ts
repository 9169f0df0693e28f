/**
 * Special tokens of the cl100k_base and o200k_base encodings. Text that spells one out makes the fine-tuning job
 * fail late with "message contains an invalid token: <|fim_suffix|>", although the cookbook's
 * checks pass it, so we look for them up front.
 */
const PATTERN = /<\|(?:endoftext|fim_prefix|fim_middle|fim_suffix|endofprompt|im_start|im_end|im_sep)\|>/;

/** The first special token spelled out in `text`, if any. A quick `<|` probe skips the regex for almost all text. */
export function findSpecialToken(text: string): string | undefined {
  if (!text.includes("<|")) return undefined;
  return PATTERN.exec(text)?.[0];
}
