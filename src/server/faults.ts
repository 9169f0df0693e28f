import { type Random, seededRandom } from "../core/prng.js";
import { type ApiFailure, apiFailure } from "./http.js";
import type { FailStage } from "./records.js";

/**
 * Fault injection for reliability tests, seeded so a failing run replays exactly. Spec text (`--faults`,
 * TUNEFILE_LOCAL_FAULTS): `key=value` pairs, e.g. `rate=0.3,seed=7,kinds=429|500|reset,slow-ms=2000`. Kinds:
 * - `429`: rate limited, with `retry-after` and `retry-after-ms` (retryable).
 * - `500`: server error (retryable).
 * - `reset`: the connection is destroyed before any response.
 * - `slow`: the response is delayed by `slow-ms`, past a client timeout.
 * - `lost-create`: on create endpoints, the object is created and then the connection dropped without a response.
 * - `400`, `401`, `quota`: permanent failures (bad request, invalid key, `insufficient_quota` 429 with
 *   `x-should-retry: false`).
 */
export const FAULT_KINDS = ["429", "500", "reset", "slow", "lost-create", "400", "401", "quota"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** Probability in [0, 1] that a request gets a fault. */
  rate: number;
  /** Seed of the fault sequence. Default 1. */
  seed: number;
  /** Faults to draw from, uniformly. */
  kinds: FaultKind[];
  /** Delay of a `slow` fault in ms. Default 30,000. */
  slowMs: number;
  /** `retry-after-ms` sent with a `429` fault. Default 100 (`retry-after` is the same, rounded up to seconds). */
  retryAfterMs: number;
  /** Only requests whose path (after /v1) starts with one of these get faults. Default: all. */
  paths?: string[];
  /**
   * `fail-jobs=training` or `fail-jobs=validation:<suffix>`: jobs created from now on fail on purpose at that stage;
   * with a suffix, only jobs created with that `suffix`.
   */
  failJobs?: { stage: FailStage; suffix?: string };
}

const INTEGER_SETTINGS = { seed: "seed", "slow-ms": "slowMs", "retry-after-ms": "retryAfterMs" } as const;

export type ParsedFaults = { ok: true; spec: FaultSpec } | { ok: false; message: string };

export function parseFaultSpec(text: string): ParsedFaults {
  const spec: FaultSpec = { rate: 0, seed: 1, kinds: [], slowMs: 30_000, retryAfterMs: 100 };
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    switch (key) {
      case "rate": {
        const rate = Number(value);
        if (!(rate >= 0 && rate <= 1))
          return { ok: false, message: `faults: rate must be between 0 and 1, got "${value}"` };
        spec.rate = rate;
        break;
      }
      case "seed":
      case "slow-ms":
      case "retry-after-ms": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0)
          return { ok: false, message: `faults: ${key} must be a non-negative integer, got "${value}"` };
        spec[INTEGER_SETTINGS[key]] = n;
        break;
      }
      case "kinds": {
        const kinds = value.split("|").filter((k) => k !== "");
        const unknown = kinds.find((k) => !(FAULT_KINDS as readonly string[]).includes(k));
        if (unknown !== undefined) {
          return { ok: false, message: `faults: unknown kind "${unknown}" (known: ${FAULT_KINDS.join(", ")})` };
        }
        spec.kinds = kinds as FaultKind[];
        break;
      }
      case "paths":
        spec.paths = value.split("|").filter((p) => p !== "");
        break;
      case "fail-jobs": {
        const [stage, ...suffix] = value.split(":");
        if (stage !== "validation" && stage !== "training") {
          return { ok: false, message: `faults: fail-jobs must be validation or training[:suffix], got "${value}"` };
        }
        spec.failJobs = suffix.length > 0 ? { stage, suffix: suffix.join(":") } : { stage };
        break;
      }
      default:
        return {
          ok: false,
          message: `faults: unknown setting "${key}" (known: rate, seed, kinds, slow-ms, retry-after-ms, paths, fail-jobs)`,
        };
    }
  }
  if (spec.rate > 0 && spec.kinds.length === 0) return { ok: false, message: "faults: kinds is empty" };
  return { ok: true, spec };
}

/** Draws faults from the spec's seeded sequence, one draw per eligible request. */
export class FaultInjector {
  private readonly next: Random;

  constructor(readonly spec: FaultSpec) {
    this.next = seededRandom(spec.seed);
  }

  /** The fault for this request, if any. `lost-create` only applies where the route creates something. */
  draw(path: string, creates: boolean): FaultKind | undefined {
    if (this.spec.rate <= 0) return undefined;
    if (this.spec.paths && !this.spec.paths.some((p) => path.startsWith(p))) return undefined;
    const hit = this.next() < this.spec.rate;
    const kinds = this.spec.kinds.filter((k) => k !== "lost-create" || creates);
    const pick = this.next();
    if (!hit || kinds.length === 0) return undefined;
    return kinds[Math.floor(pick * kinds.length)];
  }

  /** Where a new job with this suffix must fail on purpose, if `fail-jobs` selects it. */
  failStageFor(suffix: string | null): FailStage | undefined {
    const rule = this.spec.failJobs;
    if (!rule || (rule.suffix !== undefined && rule.suffix !== suffix)) return undefined;
    return rule.stage;
  }

  /** The error response of a fault that answers with one. */
  failure(kind: "429" | "500" | "400" | "401" | "quota"): ApiFailure {
    const retryAfterMs = this.spec.retryAfterMs;
    switch (kind) {
      case "429":
        return apiFailure(
          429,
          "Rate limit reached for requests (injected by tunefile serve --faults). Please try again shortly.",
          {
            type: "requests",
            code: "rate_limit_exceeded",
            headers: { "retry-after": String(Math.ceil(retryAfterMs / 1000)), "retry-after-ms": String(retryAfterMs) },
          },
        );
      case "500":
        return apiFailure(
          500,
          "The server had an error while processing your request. Sorry about that! (injected fault)",
          { type: "server_error" },
        );
      case "400":
        return apiFailure(400, "Invalid request (injected by tunefile serve --faults).");
      case "401":
        return apiFailure(401, "Incorrect API key provided (injected by tunefile serve --faults).", {
          code: "invalid_api_key",
        });
      case "quota":
        return apiFailure(429, "You exceeded your current quota, please check your plan and billing details.", {
          type: "insufficient_quota",
          code: "insufficient_quota",
          headers: { "x-should-retry": "false" },
        });
    }
  }
}
