import { createHash } from "node:crypto";
import path from "node:path";
import type { ProviderIdentity } from "../providers/provider.js";
import { canonicalJson } from "../core/canonical-json.js";
import { type FingerprintInput, STAGE_NAMES, type StageName } from "./stage.js";

/** Everything a stage's fingerprint is made of. Nothing else (no time, no secret, no absolute path) goes in. */
export interface FingerprintMaterial {
  stage: StageName;
  /** The stage definition's version: bumping it makes old results stale. */
  version: number;
  input: FingerprintInput;
  /** Fingerprints of the enabled upstream stages, so a change cascades down (and never up). */
  upstream: Partial<Record<StageName, string>>;
  /** Only for stages that declare `usesProvider`: switching provider makes their results stale. */
  provider?: ProviderIdentity;
}

export interface Fingerprint {
  /** sha256 hex of the canonical JSON of the material. */
  value: string;
  /**
   * A short hash per component ("config.hyperparameters", "file:data/x.jsonl", "upstream.prepare", "provider",
   * "version"), stored in the lockfile so that the next plan can say *what* changed, not only that something did.
   */
  parts: Record<string, string>;
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** 12 hex digits: enough to tell components apart in a diff, short enough to read. */
function shortHash(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, 12);
}

export function computeFingerprint(material: FingerprintMaterial): Fingerprint {
  for (const name of Object.keys(material.input.files ?? {})) {
    // Absolute paths differ between machines and would make every clone see every stage as stale.
    if (path.isAbsolute(name)) {
      throw new Error(`stage ${material.stage}: fingerprint file key must be relative, got an absolute path`);
    }
  }
  const value = sha256Hex(
    canonicalJson({
      stage: material.stage,
      version: material.version,
      config: material.input.config,
      files: material.input.files ?? {},
      upstream: material.upstream,
      provider: material.provider ?? null,
    }),
  );
  return { value, parts: fingerprintParts(material) };
}

function fingerprintParts(material: FingerprintMaterial): Record<string, string> {
  const parts: Record<string, string> = { version: String(material.version) };
  const config = material.input.config;
  if (config !== null && typeof config === "object" && !Array.isArray(config)) {
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
      if (value !== undefined) parts[`config.${key}`] = shortHash(value);
    }
  } else {
    parts.config = shortHash(config ?? null);
  }
  for (const [name, hash] of Object.entries(material.input.files ?? {})) parts[`file:${name}`] = hash.slice(0, 12);
  for (const [stage, fp] of Object.entries(material.upstream)) {
    if (fp !== undefined) parts[`upstream.${stage}`] = fp.slice(0, 12);
  }
  if (material.provider) parts.provider = `${material.provider.kind} ${material.provider.base_url}`;
  return parts;
}

/**
 * Names the components that differ between a recorded fingerprint's parts and the current ones, in a stable order,
 * e.g. ["config.hyperparameters", "upstream.prepare"]. Empty when the record has no parts (an older lockfile).
 */
export function changedParts(previous: Record<string, string> | undefined, current: Record<string, string>): string[] {
  if (!previous) return [];
  const keys = new Set([...Object.keys(previous), ...Object.keys(current)]);
  return [...keys].filter((k) => previous[k] !== current[k]).sort(partOrder);
}

/** Own changes first (version, config, files, provider), then upstream: the root cause reads first. */
function partOrder(a: string, b: string): number {
  const rank = (k: string) =>
    k.startsWith("upstream.") ? 1 + STAGE_NAMES.indexOf(k.slice("upstream.".length) as StageName) : 0;
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
