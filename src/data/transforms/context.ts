import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { DataItem } from "../item.js";
import type { TrainingMethod } from "../../core/catalog/models.js";
import type { TokenCounter } from "../tokens.js";

/** What transforms may use: nothing global, everything passed in. */
export interface TransformContext {
  method: TrainingMethod;
  /** The model's token counter (filter max_tokens). */
  counter: TokenCounter;
  /** An existing directory for spill files (shuffle, sample, split). */
  tempDir: string;
  /** Problems found while transforming (e.g. a template field missing in a row); the row is then dropped. */
  report(diagnostic: Diagnostic): void;
}

/** A transform: a stream of items in, a stream out. */
export type TransformStep = (items: AsyncIterable<DataItem>) => AsyncIterable<DataItem>;
