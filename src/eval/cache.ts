import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { canonicalSha256 } from "../core/canonical-json.js";
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
 * The cache key: sha256 of the canonical JSON of {provider, model, messages, params}. The provider identity keeps the
 * same model name on two services apart; the local provider's names its state directory, not its port.
 */
export function cacheKey(request: CacheRequest): string {
  return canonicalSha256(request);
}

/** The JSON value of each non-blank line; a line that does not parse (torn or damaged) is skipped. */
export function parseJsonLines(text: string): unknown[] {
  return text.split("\n").flatMap((line) => {
    if (line.trim() === "") return [];
    try {
      return [JSON.parse(line) as unknown];
    } catch {
      return [];
    }
  });
}

/** More logs than this are compacted into one when the cache is opened. */
const COMPACT_ABOVE_LOGS = 8;

/**
 * Responses on disk as append-only logs under `<workDir>/cache/`: each evaluation that writes gets its own log file
 * (`<time>-<random>.jsonl`), one line per answer, appended with a single write. Opening reads every log into memory.
 *
 * Crash safety: a SIGKILL loses at most the answer being written, whose torn line is skipped on the next open. Lines
 * are not fsynced one by one (too slow): a power loss may drop the last answers, which are then asked again, never
 * wrongly recorded. Older caches of one `<key>.json` file per answer are still read.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  /** This run's log, opened by the first put: requests run concurrently, so all of them wait for the one open. */
  private log: Promise<FileHandle> | undefined;

  private constructor(readonly dir: string) {}

  /**
   * Loads every log. `compact`: merge the logs when there are many; only for the evaluate stage, which holds the
   * run lock (plan reads the cache without it, while a run may be appending).
   */
  static async open(dir: string, opts: { compact?: boolean } = {}): Promise<ResponseCache> {
    const cache = new ResponseCache(dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    const logs = names.filter((n) => n.endsWith(".jsonl")).sort();
    for (const name of logs) cache.load(await readFile(path.join(dir, name), "utf8"));
    for (const name of names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n))) {
      const legacy = await readFile(path.join(dir, name), "utf8").catch(() => "");
      cache.load(legacy.replace(/\s*\n\s*/g, " "));
    }
    if (opts.compact && logs.length > COMPACT_ABOVE_LOGS) await cache.compact(logs);
    return cache;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    return this.entries.get(key);
  }

  async put(key: string, request: CacheRequest, response: CachedResponse): Promise<void> {
    this.entries.set(key, response);
    this.log ??= mkdir(this.dir, { recursive: true }).then(() =>
      // Time first, so that logs sort oldest first (a later answer for a key wins); a random tail keeps names apart.
      open(path.join(this.dir, `${Date.now()}-${randomBytes(4).toString("hex")}.jsonl`), "a"),
    );
    // The request is stored beside the answer so that a log line can be understood on its own.
    const { provider: _provider, ...rest } = request;
    await (await this.log).write(`${JSON.stringify({ key, request: rest, response })}\n`);
  }

  /** Flushes and closes this run's log. */
  async close(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    await (await log?.catch(() => undefined))?.close();
  }

  /** Reads log text; a line that does not parse (the torn last one of a killed writer) is asked again. */
  private load(text: string): void {
    for (const value of parseJsonLines(text)) {
      const entry = value as { key?: unknown; response?: CachedResponse } | null;
      if (typeof entry?.key === "string" && typeof entry.response?.content === "string") {
        this.entries.set(entry.key, entry.response);
      }
    }
  }

  /** Rewrites every entry into one log (atomically), then removes the logs it replaces. */
  private async compact(logs: string[]): Promise<void> {
    const lines = [...this.entries].map(([key, response]) => JSON.stringify({ key, response }));
    await writeFileAtomic(path.join(this.dir, `${Date.now()}-compacted.jsonl`), `${lines.join("\n")}\n`);
    for (const name of logs) await rm(path.join(this.dir, name), { force: true });
  }
}
