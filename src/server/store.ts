import { randomBytes } from "node:crypto";
import { open, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import writeFileAtomic from "write-file-atomic";
import { newId } from "./ids.js";
import type { BatchObject, DeploymentObject, FileObject, JobRecord, ModelRecord, UploadRecord } from "./records.js";

/**
 * The local provider's state: everything in memory for fast reads, every change written to `stateDir` atomically
 * (write-file-atomic), so a crash leaves either the old or the new document. One directory per collection, plus
 * spool/ for request bodies being received (emptied on open: they belonged to requests that never finished).
 */
export class Store {
  readonly files = new Map<string, FileObject>();
  readonly uploads = new Map<string, UploadRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly models = new Map<string, ModelRecord>();
  readonly deployments = new Map<string, DeploymentObject>();
  readonly batches = new Map<string, BatchObject>();
  /** Responses API objects, as answered (stored ones only). */
  readonly responses = new Map<string, { id: string }>();
  private readonly writers = new Map<string, CoalescingWriter>();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<Store> {
    const store = new Store(dir);
    await rm(path.join(dir, "spool"), { recursive: true, force: true });
    for (const sub of ["files", "uploads", "jobs", "models", "deployments", "batches", "responses", "spool"]) {
      await mkdir(path.join(dir, sub), { recursive: true });
    }
    for (const f of await readDocs<FileObject>(path.join(dir, "files"))) store.files.set(f.id, f);
    for (const u of await readDocs<UploadRecord>(path.join(dir, "uploads"))) store.uploads.set(u.upload.id, u);
    for (const j of await readDocs<JobRecord>(path.join(dir, "jobs"))) store.jobs.set(j.job.id, j);
    // A model file holds its whole snapshot (about 0.4 MB, four models per training run), so it is parsed on first
    // use: a start that answers one existence check (a fresh rerun's upload stage) then costs the same however
    // many models were trained. The file name is the encoded model id (saveModel).
    for (const { name, text } of await readTexts(path.join(dir, "models"))) {
      store.models.set(decodeURIComponent(name.slice(0, -".json".length)), parsedOnUse(text));
    }
    for (const d of await readDocs<DeploymentObject>(path.join(dir, "deployments"))) store.deployments.set(d.name, d);
    for (const b of await readDocs<BatchObject>(path.join(dir, "batches"))) store.batches.set(b.id, b);
    for (const r of await readDocs<{ id: string }>(path.join(dir, "responses"))) store.responses.set(r.id, r);
    return store;
  }

  /** Stores a file the server made itself (a job's results, a batch's output), `processed` at once. */
  async addFile(
    filename: string,
    purpose: FileObject["purpose"],
    created_at: number,
    bytes: Buffer,
  ): Promise<FileObject> {
    const file: FileObject = {
      id: newId.file(),
      object: "file",
      bytes: bytes.length,
      created_at,
      filename,
      purpose,
      status: "processed",
    };
    await writeFileAtomic(this.fileBytesPath(file.id), bytes);
    await this.write(path.join(this.dir, "files", `${file.id}.json`), file);
    this.files.set(file.id, file);
    return file;
  }

  /** Stores a file whose bytes were spooled to disk (an upload): the bytes are synced and moved, never read. */
  async putFileFrom(file: FileObject, spooled: string): Promise<void> {
    await moveDurably(spooled, this.fileBytesPath(file.id));
    await this.write(path.join(this.dir, "files", `${file.id}.json`), file);
    this.files.set(file.id, file);
  }

  /** A fresh temp path for a request body being received; on the same file system as the store, so moves are renames. */
  spoolPath(): string {
    return path.join(this.dir, "spool", `${randomBytes(8).toString("hex")}.tmp`);
  }

  fileBytesPath(id: string): string {
    return path.join(this.dir, "files", `${id}.bin`);
  }

  async fileBytes(id: string): Promise<Buffer> {
    return readFile(this.fileBytesPath(id));
  }

  async deleteFile(id: string): Promise<void> {
    this.files.delete(id);
    await rm(path.join(this.dir, "files", `${id}.json`), { force: true });
    await rm(this.fileBytesPath(id), { force: true });
  }

  uploadPartPath(uploadId: string, partId: string): string {
    return path.join(this.dir, "uploads", uploadId, `${partId}.bin`);
  }

  async putUploadPartFrom(uploadId: string, partId: string, spooled: string): Promise<void> {
    await mkdir(path.join(this.dir, "uploads", uploadId), { recursive: true });
    await moveDurably(spooled, this.uploadPartPath(uploadId, partId));
  }

  async saveUpload(record: UploadRecord): Promise<void> {
    this.uploads.set(record.upload.id, record);
    await this.write(path.join(this.dir, "uploads", `${record.upload.id}.json`), record);
  }

  async dropUploadParts(uploadId: string): Promise<void> {
    await rm(path.join(this.dir, "uploads", uploadId), { recursive: true, force: true });
  }

  /** Saves a job; during training this is called every step, so writes coalesce (at most one queued behind one in flight). */
  saveJob(record: JobRecord): Promise<void> {
    this.jobs.set(record.job.id, record);
    return this.write(path.join(this.dir, "jobs", `${record.job.id}.json`), record);
  }

  async saveModel(record: ModelRecord): Promise<void> {
    await this.write(path.join(this.dir, "models", `${encodeURIComponent(record.model.id)}.json`), record);
    this.models.set(record.model.id, record);
  }

  async deleteModel(id: string): Promise<void> {
    this.models.delete(id);
    await rm(path.join(this.dir, "models", `${encodeURIComponent(id)}.json`), { force: true });
  }

  async saveDeployment(d: DeploymentObject): Promise<void> {
    await this.write(path.join(this.dir, "deployments", `${encodeURIComponent(d.name)}.json`), d);
    this.deployments.set(d.name, d);
  }

  async deleteDeployment(name: string): Promise<void> {
    this.deployments.delete(name);
    await rm(path.join(this.dir, "deployments", `${encodeURIComponent(name)}.json`), { force: true });
  }

  /** Saves a batch; its request counts change with every request, so writes coalesce like a job's. */
  saveBatch(batch: BatchObject): Promise<void> {
    this.batches.set(batch.id, batch);
    return this.write(path.join(this.dir, "batches", `${batch.id}.json`), batch);
  }

  async saveResponse(response: { id: string }): Promise<void> {
    await this.write(path.join(this.dir, "responses", `${response.id}.json`), response);
    this.responses.set(response.id, response);
  }

  /** Waits for every pending write (called on close). */
  async flush(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.idle()));
  }

  private write(file: string, value: unknown): Promise<void> {
    const writer = this.writers.get(file) ?? new CoalescingWriter(file);
    this.writers.set(file, writer);
    return writer.write(value);
  }
}

/**
 * Writes the latest value of one document. While a write is in flight, newer values replace each other, so a job
 * that changes every training step costs at most one write at a time, never a growing queue.
 */
class CoalescingWriter {
  private pending: { value: unknown; waiters: { resolve: () => void; reject: (e: unknown) => void }[] } | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly file: string) {}

  write(value: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending ??= { value, waiters: [] };
      this.pending.value = value;
      this.pending.waiters.push({ resolve, reject });
      this.running ??= this.drain();
    });
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const batch = this.pending;
      this.pending = undefined;
      try {
        // Serialised here, not at request time: the latest state of the document is what lands on disk.
        await writeFileAtomic(this.file, `${JSON.stringify(batch.value)}\n`);
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        for (const w of batch.waiters) w.reject(error);
      }
    }
    this.running = undefined;
  }
}

async function readTexts(dir: string): Promise<{ name: string; text: string }[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  const texts: { name: string; text: string }[] = [];
  for (const name of names.sort()) texts.push({ name, text: await readFile(path.join(dir, name), "utf8") });
  return texts;
}

/** A model record whose JSON is parsed when a field is first read (own enumerable getters: spreads and JSON work). */
function parsedOnUse(text: string): ModelRecord {
  let parsed: ModelRecord | undefined;
  const parse = () => {
    parsed ??= JSON.parse(text) as ModelRecord;
    return parsed;
  };
  const record = {} as ModelRecord;
  for (const key of ["model", "snapshot", "jobId", "kind"] satisfies (keyof ModelRecord)[]) {
    Object.defineProperty(record, key, { get: () => parse()[key], enumerable: true });
  }
  return record;
}

async function readDocs<T>(dir: string): Promise<T[]> {
  return (await readTexts(dir)).map(({ text }) => JSON.parse(text) as T);
}

/** fsync, then rename: after a crash the target holds either nothing or every byte, like write-file-atomic. */
async function moveDurably(from: string, to: string): Promise<void> {
  const handle = await open(from, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(from, to);
}
