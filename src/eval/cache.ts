import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { canonicalJson } from "../core/canonical-json.js";
import type { ProviderIdentity } from "../providers/provider.js";
import type { CallUsage, EvalMessage } from "./types.js";

/** What a chat completion request is, for the cache: everything that decides the answer, and nothing else. */
export interface CacheRequest {
  provider: ProviderIdentity;
  model: string;
  messages: readonly EvalMessage[];
  /** The completion parameters sent (temperature, top_p, max_completion_tokens, seed). */
  params: Record<string, unknown>;
}

/** A stored answer, with what it cost the first time. */
export interface CachedResponse {
  model: string;
  content: string;
  finish_reason: string;
  usage: CallUsage;
  /** Absent for answers that came from a batch, which has no per-request latency. */
  latency_ms?: number;
}

/**
 * The cache key: sha256 of the canonical JSON of {provider, model, messages, params}. The provider identity is its
 * kind and base URL (the same model name on two services is two models); the built-in local provider's identity
 * names its state directory, not its port, so it is stable across runs.
 */
export function cacheKey(request: CacheRequest): string {
  return createHash("sha256").update(canonicalJson(request)).digest("hex");
}

/**
 * Responses on disk, one small JSON file per key under `<workDir>/cache/`, each written atomically (temp file and
 * rename), so a crash mid-evaluation loses at most the answers in flight and a rerun asks only for what is missing.
 */
export class ResponseCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(key), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      const entry = JSON.parse(text) as { response?: CachedResponse };
      return typeof entry.response?.content === "string" ? entry.response : undefined;
    } catch {
      // A damaged entry (a disk that lied about the rename) is a miss: the request is simply made again.
      return undefined;
    }
  }

  async put(key: string, request: CacheRequest, response: CachedResponse): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // The request is stored beside the answer so that a cache entry can be understood on its own.
    const { provider: _provider, ...rest } = request;
    await writeFileAtomic(this.file(key), `${JSON.stringify({ key, request: rest, response }, null, 2)}\n`);
  }
}
