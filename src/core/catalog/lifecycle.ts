/**
 * When providers stop taking new fine-tuning jobs, with sources. OpenAI is winding down self-serve fine-tuning:
 * after 2027-01-06 nobody can create a job; existing fine-tuned models keep serving until their base model retires.
 * Azure OpenAI, Together and Nebius go on.
 */
export interface Closing {
  provider: string;
  /** The last day new jobs are accepted (YYYY-MM-DD, UTC). */
  lastDay: string;
  source: string;
  as_of: string;
  alternatives: readonly string[];
}

export const CLOSINGS: readonly Closing[] = [
  {
    provider: "openai",
    lastDay: "2027-01-06",
    source: "https://platform.openai.com/docs/deprecations",
    as_of: "2026-12-02",
    // The first is the one suggested: open models on Together need no Azure subscription and deployments.
    alternatives: ["together", "azure", "nebius"],
  },
];

/** How far ahead a closing is announced in validate, plan and status. */
export const WARN_DAYS = 90;

const DAY_MS = 24 * 3600 * 1000;

export type Lifecycle = { kind: "open" } | { kind: "closing"; message: string } | { kind: "closed"; message: string };

/** Whether `provider` still takes new fine-tuning jobs on `now`, and what to say about it. */
export function fineTuningLifecycle(provider: string, now: Date): Lifecycle {
  const closing = CLOSINGS.find((c) => c.provider === provider);
  if (!closing) return { kind: "open" };
  const end = Date.parse(`${closing.lastDay}T23:59:59Z`);
  const [first, ...others] = closing.alternatives;
  const or = others.length > 0 ? ` (or ${others.join(", ")})` : "";
  const how = `switch with \`provider: { kind: ${first} }\`${or}; docs/migrating-from-openai.md shows how (source: ${closing.source}, as of ${closing.as_of})`;
  if (now.getTime() > end) {
    return { kind: "closed", message: `${provider} takes no new fine-tuning jobs since ${closing.lastDay}; ${how}` };
  }
  const days = Math.ceil((end - now.getTime()) / DAY_MS);
  if (days > WARN_DAYS) return { kind: "open" };
  return {
    kind: "closing",
    message: `${provider} takes no new fine-tuning jobs after ${closing.lastDay} (in ${days} days); existing fine-tuned models keep serving until their base model retires; ${how}`,
  };
}
