import type { Env } from "../core/env.js";
import { type FaultSpec, parseFaultSpec } from "./faults.js";

/** The server's test knobs as `tunefile serve`'s flags give them: text, not yet checked. */
export interface KnobFlags {
  stepMs?: string;
  batchMs?: string;
  batchTokens?: string;
  faults?: string;
}

export interface KnobOptions {
  stepMs?: number;
  batchMs?: number;
  batchTokens?: number;
  faults?: FaultSpec;
}

const NUMBERS = [
  ["stepMs", "--step-ms", "TUNEFILE_LOCAL_STEP_MS"],
  ["batchMs", "--batch-ms", "TUNEFILE_LOCAL_BATCH_MS"],
  ["batchTokens", "--batch-tokens", "TUNEFILE_LOCAL_BATCH_TOKENS"],
] as const;

/**
 * The knobs of `tunefile serve` and of the in-process local provider, checked before anything starts: each flag
 * wins over its TUNEFILE_LOCAL_* variable (an empty variable is unset). A bad value comes back as the message to show.
 */
export function parseKnobs(
  flags: KnobFlags,
  env: Env,
): { ok: true; options: KnobOptions } | { ok: false; message: string } {
  const options: KnobOptions = {};
  const given = (flag: string | undefined, variable: string) =>
    flag ?? (env[variable]?.trim() ? env[variable] : undefined);
  for (const [key, flag, variable] of NUMBERS) {
    const text = given(flags[key], variable);
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) {
      return { ok: false, message: `${flag} (${variable}) must be a non-negative integer, got "${text}"` };
    }
    options[key] = value;
  }
  const faults = given(flags.faults, "TUNEFILE_LOCAL_FAULTS");
  if (faults !== undefined && faults !== "") {
    const parsed = parseFaultSpec(faults);
    if (!parsed.ok) {
      return { ok: false, message: `${flags.faults === undefined ? "TUNEFILE_LOCAL_FAULTS: " : ""}${parsed.message}` };
    }
    options.faults = parsed.spec;
  }
  return { ok: true, options };
}
