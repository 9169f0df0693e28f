import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import { badRequest } from "./http.js";

/** A multipart/form-data body: text fields, and file parts with their bytes. */
export interface MultipartBody {
  fields: Record<string, string>;
  files: { field: string; filename: string; mimeType: string; data: Buffer }[];
}

/** Largest single file the real API accepts. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Parses a multipart request as the SDKs send it (Node and Python alike: RFC 7578, one part per field). */
export function readMultipart(req: IncomingMessage): Promise<MultipartBody> {
  const type = req.headers["content-type"] ?? "";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    return Promise.reject(badRequest("Expected a multipart/form-data request body."));
  }
  return new Promise((resolve, reject) => {
    const body: MultipartBody = { fields: {}, files: [] };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_FILE_BYTES } });
    } catch {
      reject(badRequest("Malformed multipart/form-data body."));
      return;
    }
    parser.on("field", (name, value) => {
      body.fields[name] = value;
    });
    parser.on("file", (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("limit", () => reject(badRequest("File exceeds the maximum size of 512 MB.", field)));
      stream.on("end", () => {
        body.files.push({
          field,
          filename: info.filename ?? "upload",
          mimeType: info.mimeType,
          data: Buffer.concat(chunks),
        });
      });
    });
    parser.on("error", () => reject(badRequest("Malformed multipart/form-data body.")));
    parser.on("close", () => resolve(body));
    req.pipe(parser);
  });
}
