import { type Distribution, NumberColumn } from "./distribution.js";
import { allMessagesOf, roleOf } from "./item.js";
import type { ExampleTokens } from "./tokens.js";

/** Statistics of one prepared set (training or validation), the cookbook's and a few more. */
export interface SetStats {
  examples: number;
  messages_per_example: Distribution;
  tokens_per_example: Distribution;
  assistant_tokens_per_example: Distribution;
  /** Σ tokens per example. */
  tokens: number;
  /** Σ assistant tokens (weight-0 turns excluded). */
  assistant_tokens: number;
  /** Σ min(limit, tokens per example): what one epoch bills. */
  billing_tokens: number;
  /** Examples longer than the model's training context; the service truncates them. */
  over_limit: number;
  /** Examples without a system message / without a user message (cookbook warnings). */
  missing_system: number;
  missing_user: number;
  /** Examples whose count treated some value (tool calls, images, tool definitions) as JSON text. */
  approximate_counts: number;
}

/** Accumulates {@link SetStats} one example at a time, in bounded memory (three numbers an example). */
export class StatsAccumulator {
  private readonly messages = new NumberColumn();
  private readonly tokens = new NumberColumn();
  private readonly assistant = new NumberColumn();
  private billing = 0;
  private over = 0;
  private noSystem = 0;
  private noUser = 0;
  private approximate = 0;

  constructor(private readonly maxTokensPerExample: number) {}

  /** Adds one example, from its shape (see {@link shapeOf}, computed by the scan) and its token counts. */
  addCounts(messages: number, system: boolean, user: boolean, tokens: ExampleTokens): void {
    if (!system) this.noSystem++;
    if (!user) this.noUser++;
    this.messages.push(messages);
    this.tokens.push(tokens.total);
    this.assistant.push(tokens.assistant);
    this.billing += Math.min(this.maxTokensPerExample, tokens.total);
    if (tokens.total > this.maxTokensPerExample) this.over++;
    if (tokens.approximate) this.approximate++;
  }

  result(): SetStats {
    return {
      examples: this.tokens.length,
      messages_per_example: this.messages.summarize(),
      tokens_per_example: this.tokens.summarize(),
      assistant_tokens_per_example: this.assistant.summarize(),
      tokens: this.tokens.total,
      assistant_tokens: this.assistant.total,
      billing_tokens: this.billing,
      over_limit: this.over,
      missing_system: this.noSystem,
      missing_user: this.noUser,
      approximate_counts: this.approximate,
    };
  }
}

/** What the statistics need of an example besides its tokens: its number of messages and which roles it has. */
export interface ExampleShape {
  messages: number;
  system: boolean;
  user: boolean;
}

export function shapeOf(example: unknown): ExampleShape {
  const messages = allMessagesOf(example);
  let system = false;
  let user = false;
  for (const m of messages) {
    const role = roleOf(m);
    if (role === "system") system = true;
    else if (role === "user") user = true;
  }
  return { messages: messages.length, system, user };
}
