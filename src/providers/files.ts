import { open, readFile, stat } from "node:fs/promises";
import { BadRequestError, type OpenAI, toFile } from "openai";
import type { FileObject } from "openai/resources/files";
import { unlessNotFound } from "./errors.js";
import type { RemoteCall } from "./remote-call.js";

const MB = 1024 * 1024;

/** A file known to be on the provider. */
export interface RemoteFile {
  id: string;
  filename: string;
  bytes: number;
}

/** How large files travel. */
export interface UploadSettings {
  /** Files larger than this many bytes go through the Uploads API in parts. Default: 64 MB. */
  multipartAboveBytes: number;
  /** Part size in bytes, at most 64 MB. Default: 32 MB. */
  partBytes: number;
}

export function uploadSettings(
  config: { multipart_above_mb?: number; part_size_mb?: number } | undefined,
): UploadSettings {
  return {
    multipartAboveBytes: Math.floor((config?.multipart_above_mb ?? 64) * MB),
    // Whole bytes, at least one: the schema allows fractions of a megabyte.
    partBytes: Math.max(1, Math.floor(Math.min(64, config?.part_size_mb ?? 32) * MB)),
  };
}

/** Hooks to record progress of a multipart upload, so a rerun continues it instead of starting over. */
export interface MultipartJournal {
  /** Parts already accepted by a previous attempt of this upload. */
  resume?: { uploadId: string; partIds: string[] };
  onStarted(uploadId: string): Promise<void>;
  onPart(uploadId: string, partIds: string[]): Promise<void>;
}

/**
 * The slowest uplink a request that sends a body is given time for: 64 KiB/s (about 0.5 Mbit/s). Such a request
 * gets the client's timeout plus its body's size at that rate. The client's timeout alone (120 s) cut off every
 * attempt to send a 32 MB part below about 2.2 Mbit/s, and a 200 MB batch input file below 14 Mbit/s, so on a slow
 * link the upload could never finish.
 */
const SLOWEST_UPLINK_BYTES_PER_S = 64 * 1024;

/** Request options for a request that sends `bytes`: the client's timeout plus the time to send them slowly. */
export function sendingOptions(client: OpenAI, bytes: number, signal: AbortSignal) {
  return { signal, timeout: client.timeout + Math.ceil((bytes / SLOWEST_UPLINK_BYTES_PER_S) * 1000) };
}

/** Uploads a local file for fine-tuning, in one request or in parts, and returns the remote file. */
export async function uploadFile(
  client: OpenAI,
  call: RemoteCall,
  localPath: string,
  filename: string,
  settings: UploadSettings,
  journal: MultipartJournal,
): Promise<RemoteFile> {
  const { size } = await stat(localPath);
  // The Files API takes no idempotency key: an attempt whose answer was lost may have stored the file, so a retry of
  // a request that makes one looks for it first.
  const storedBefore = (attempt: number) => (attempt > 1 ? findUploaded(client, call, filename, size) : undefined);
  if (size <= settings.multipartAboveBytes) {
    return call("files.create", async (signal, attempt) => {
      const stored = await storedBefore(attempt);
      if (stored) return stored;
      // A fresh read per attempt: a retried request must send the whole body again.
      const upload = await toFile(await readFile(localPath), filename);
      const file = await client.files.create(
        { file: upload, purpose: "fine-tune" },
        sendingOptions(client, size, signal),
      );
      return { id: file.id, filename, bytes: file.bytes };
    });
  }
  let uploadId = journal.resume?.uploadId;
  const partIds = [...(journal.resume?.partIds ?? [])];
  if (!uploadId) {
    const upload = await call("uploads.create", (signal) =>
      client.uploads.create({ bytes: size, filename, mime_type: "text/jsonl", purpose: "fine-tune" }, { signal }),
    );
    uploadId = upload.id;
    await journal.onStarted(uploadId);
  }
  const id = uploadId;
  const handle = await open(localPath);
  try {
    for (let offset = partIds.length * settings.partBytes; offset < size; offset += settings.partBytes) {
      const length = Math.min(settings.partBytes, size - offset);
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, offset);
      const part = await call("uploads.parts.create", async (signal) =>
        client.uploads.parts.create(
          id,
          { data: await toFile(chunk, `${filename}.part`) },
          sendingOptions(client, length, signal),
        ),
      );
      partIds.push(part.id);
      await journal.onPart(id, [...partIds]);
    }
  } finally {
    await handle.close();
  }
  return call("uploads.complete", async (signal, attempt) => {
    const stored = await storedBefore(attempt);
    if (stored) return stored;
    const done = await client.uploads.complete(id, { part_ids: partIds }, { signal });
    if (!done.file) throw new Error(`internal error, please report: upload ${id} completed without a file`);
    return { id: done.file.id, filename, bytes: done.file.bytes };
  });
}

/** The newest usable fine-tune file with this name and size, from the first page of the listing. */
async function findUploaded(
  client: OpenAI,
  call: RemoteCall,
  filename: string,
  bytes: number,
): Promise<RemoteFile | undefined> {
  const list = (signal: AbortSignal) =>
    client.files.list({ purpose: "fine-tune", limit: 100, order: "desc" }, { signal });
  const page = await call("files.list", list).catch((err) => {
    // A service that rejects these list parameters only loses this shortcut; uploading again is always safe.
    if (err instanceof BadRequestError) return undefined;
    throw err;
  });
  const match = page?.data.find((f) => f.filename === filename && f.bytes === bytes && usable(f));
  return match ? { id: match.id, filename, bytes } : undefined;
}

/** A provider's file storage, as the upload stage uses it. */
export interface FileApi {
  /** Whether `id` still names a usable file of `bytes` bytes: one request. */
  stillExists(call: RemoteCall, id: string, bytes?: number): Promise<boolean>;
  /**
   * A file uploaded earlier under the same content-derived name and size (newest page of the listing): it catches an
   * upload whose response, or whose lockfile write, was lost to a crash.
   */
  findUploaded(call: RemoteCall, filename: string, bytes: number): Promise<RemoteFile | undefined>;
  upload(
    call: RemoteCall,
    localPath: string,
    filename: string,
    settings: UploadSettings,
    journal: MultipartJournal,
  ): Promise<RemoteFile>;
}

/** The OpenAI API's Files and Uploads endpoints (OpenAI, Azure, compatible services, Nebius, the local provider). */
export function openaiFiles(client: OpenAI): FileApi {
  return {
    stillExists: async (call, id, bytes) => {
      const file = await unlessNotFound(call("files.retrieve", (signal) => client.files.retrieve(id, { signal })));
      return file !== undefined && usable(file) && (bytes === undefined || file.bytes === bytes);
    },
    findUploaded: (call, filename, bytes) => findUploaded(client, call, filename, bytes),
    upload: (call, localPath, filename, settings, journal) =>
      uploadFile(client, call, localPath, filename, settings, journal),
  };
}

function usable(file: FileObject): boolean {
  const status: string = file.status;
  return status !== "error" && status !== "deleted";
}
