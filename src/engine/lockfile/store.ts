import { readFile } from "node:fs/promises";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { ProviderIdentity } from "../../providers/provider.js";
import type { StageName, StageRecord } from "../stage.js";
import { writeFileAtomic } from "../../core/atomic-write.js";
import { parseLockfile } from "./parse.js";
import { serializeLockfile } from "./serialize.js";
import { emptyLockfile, type Lockfile } from "./types.js";

/** A lockfile that could not be used, with its text (when readable) so the CLI can underline the problem. */
export interface LockfileFailure {
  ok: false;
  diagnostics: Diagnostic[];
  text?: string;
}

export type OpenLockfileResult = { ok: true; store: LockfileStore } | LockfileFailure;

/**
 * Reads a lockfile: a missing file is an empty state; an unreadable, corrupt, invalid or newer one is a diagnostic
 * (and the store is never created, so nothing can overwrite it).
 */
export async function readLockfile(
  file: string,
  displayFile: string,
  pipelineName: string,
): Promise<{ ok: true; lockfile: Lockfile; existed: boolean; text?: string } | LockfileFailure> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      return { ok: true, lockfile: emptyLockfile(pipelineName), existed: false };
    }
    return {
      ok: false,
      diagnostics: [
        {
          severity: "error",
          code: "lockfile-unreadable",
          message: `cannot read the lockfile ${displayFile}: ${(err as Error).message}`,
        },
      ],
    };
  }
  const parsed = parseLockfile(text, displayFile);
  if (!parsed.ok) return { ...parsed, text };
  return { ok: true, lockfile: parsed.lockfile, existed: true, text };
}

/**
 * The lockfile in memory plus its file. Every change is written through at once, atomically, and writes are
 * serialized: a stage saving a checkpoint while the engine records a status never interleaves two writes.
 */
export class LockfileStore {
  private writes: Promise<void> = Promise.resolve();
  /** What the file holds now, as far as we know: a write of the same bytes is skipped (a fresh run writes nothing). */
  private lastContent: string | undefined;

  private constructor(
    readonly file: string,
    private state: Lockfile,
  ) {}

  /** `root`: the project root to record, relative to the lockfile's directory (see projectRoot in src/config). */
  static async open(
    file: string,
    displayFile: string,
    pipelineName: string,
    root?: string,
  ): Promise<OpenLockfileResult> {
    const read = await readLockfile(file, displayFile, pipelineName);
    if (!read.ok) return read;
    // A renamed pipeline keeps its records; the name follows the pipeline file.
    const store = new LockfileStore(file, {
      ...read.lockfile,
      pipeline: pipelineName,
      ...(root !== undefined ? { root } : {}),
    });
    // The file as read: when tunefile wrote it, an unchanged state serializes to exactly these bytes and is not
    // written again; a hand-formatted file is rewritten on the first change, which is harmless.
    store.lastContent = read.text;
    return { ok: true, store };
  }

  /** A deep copy: callers cannot change the state except through the write-through methods. */
  snapshot(): Lockfile {
    return structuredClone(this.state);
  }

  record(stage: StageName): StageRecord | undefined {
    const record = this.state.stages[stage];
    return record ? structuredClone(record) : undefined;
  }

  /** Replaces a stage's record and writes the lockfile before resolving. */
  async putStage(stage: StageName, record: StageRecord): Promise<void> {
    this.state.stages[stage] = structuredClone(record);
    await this.flush();
  }

  /** Records the run's provider and overrides (before any remote work, so the record names who did it). */
  async setRunContext(provider: ProviderIdentity | undefined, overrides: Record<string, unknown>): Promise<void> {
    if (provider) this.state.provider = { kind: provider.kind, base_url: provider.base_url };
    if (Object.keys(overrides).length > 0) this.state.overrides = structuredClone(overrides);
    else delete this.state.overrides;
    await this.flush();
  }

  private flush(): Promise<void> {
    const content = serializeLockfile(this.state);
    if (content === this.lastContent) return this.writes;
    this.lastContent = content;
    const write = this.writes.then(() => writeFileAtomic(this.file, content));
    // A failed write must not wedge later ones; the failure still reaches this caller.
    this.writes = write.catch(() => {
      this.lastContent = undefined;
    });
    return write;
  }
}
