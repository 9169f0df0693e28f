import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import { badRequest } from "./http.js";

/** A file part of a multipart body, already on disk: the server never holds an upload in memory. */
export interface SpooledFile {
  field: string;
  filename: string;
  mimeType: string;
  /** A temp file in the store's spool directory; move it into place or call `discard`. */
  path: string;
  bytes: number;
}

/** A multipart/form-data body: text fields, and file parts spooled to disk. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: SpooledFile[];
  /** Deletes the spooled files that were not moved into the store. Safe to call after a move. */
  discard(): Promise<void>;
}

/** Largest single file the real API accepts. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * Parses a multipart request as the SDKs send it (RFC 7578), streaming each file part to a temp file named by
 * `spoolPath`, so memory stays bounded whatever the upload's size. On failure the temp files are removed.
 */
export async function readMultipart(req: IncomingMessage, spoolPath: () => string): Promise<MultipartBody> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    throw badRequest("Expected a multipart/form-data request body.");
  }
  const files: SpooledFile[] = [];
  const discard = async () => {
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
  };
  try {
    const fields = await parse(req, spoolPath, files);
    return { fields, files, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

function parse(req: IncomingMessage, spoolPath: () => string, files: SpooledFile[]): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      // busboy reports "limit" when a part reaches fileSize, so one byte more lets a file of exactly 512 MB through.
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_FILE_BYTES + 1 } });
    } catch {
      reject(badRequest("Malformed multipart/form-data body."));
      return;
    }
    // Each part's write to disk; the body is complete only when the parser has closed and every write has ended.
    const writes: Promise<void>[] = [];
    let failure: unknown;
    parser.on("field", (name, value) => {
      fields[name] = value;
    });
    parser.on("file", (field, stream, info) => {
      const spooled: SpooledFile = {
        field,
        filename: info.filename ?? "upload",
        mimeType: info.mimeType,
        path: spoolPath(),
        bytes: 0,
      };
      files.push(spooled);
      stream.on("data", (chunk: Buffer) => {
        spooled.bytes += chunk.length;
      });
      stream.on("limit", () => {
        failure ??= badRequest("File exceeds the maximum size of 512 MB.", field);
      });
      writes.push(
        pipeline(stream, createWriteStream(spooled.path)).catch((error: unknown) => {
          failure ??= error;
        }),
      );
    });
    parser.on("error", () => reject(badRequest("Malformed multipart/form-data body.")));
    parser.on("close", () => {
      Promise.all(writes).then(() => (failure === undefined ? resolve(fields) : reject(failure)), reject);
    });
    req.pipe(parser);
  });
}
