import type { FilterTransform } from "../../core/pipeline.generated.js";
import { allMessagesOf, messagesOf, roleOf, textOf } from "../item.js";
import { countExampleTokens } from "../tokens.js";
import type { TransformContext, TransformStep } from "./context.js";

type Conditions = FilterTransform["filter"];

/** Keeps the examples that meet every condition given; the conditions are data, not code. */
export function filterStep(conditions: Conditions, ctx: TransformContext): TransformStep {
  const excluded = (conditions.exclude_contains ?? []).map((s) => s.toLowerCase());
  return async function* (items) {
    for await (const item of items) {
      if (keeps(item.value, conditions, excluded, ctx)) yield item;
    }
  };
}

function keeps(value: unknown, c: Conditions, excluded: string[], ctx: TransformContext): boolean {
  const messages = messagesOf(value) ?? [];
  if (c.min_messages !== undefined && messages.length < c.min_messages) return false;
  if (c.max_messages !== undefined && messages.length > c.max_messages) return false;
  const all = allMessagesOf(value);
  if (c.require_roles && !c.require_roles.every((role) => all.some((m) => roleOf(m) === role))) return false;
  if (excluded.length > 0) {
    for (const m of all) {
      const text = textOf(m).toLowerCase();
      if (excluded.some((s) => text.includes(s))) return false;
    }
  }
  if (c.max_tokens !== undefined && countExampleTokens(value, ctx.method, ctx.counter).total > c.max_tokens) {
    return false;
  }
  return true;
}
