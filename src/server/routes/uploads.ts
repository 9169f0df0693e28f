import { createReadStream, createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { nowSeconds, type Route, type ServerContext } from "../context.js";
import { badRequest, notFound, readJsonObject, sendJson } from "../http.js";
import { newId } from "../ids.js";
import { readMultipart } from "../multipart.js";
import type { FileObject, UploadRecord } from "../records.js";
import { checkPurpose, createFile } from "./files.js";

/** Uploads API: a file sent in parts, assembled in `part_ids` order on completion. */

const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
const MAX_PART_BYTES = 64 * 1024 ** 2;
const UPLOAD_LIFETIME_S = 3600;

/** The upload, which must still be pending; `expired` is applied lazily once its hour is over. */
async function pendingUpload(ctx: ServerContext, id: string): Promise<UploadRecord> {
  const record = ctx.store.uploads.get(id);
  if (!record) throw notFound(`No such Upload object: ${id}`, "upload_id");
  const { upload } = record;
  if (upload.status === "pending" && nowSeconds(ctx.clock) >= upload.expires_at) {
    upload.status = "expired";
    await ctx.store.saveUpload(record);
    await ctx.store.dropUploadParts(id);
  }
  if (upload.status !== "pending") {
    const message = `Upload ${id} has status '${upload.status}'; only pending uploads accept this request.`;
    throw badRequest(message, "upload_id");
  }
  return record;
}

export const uploadRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/uploads$/,
    creates: true,
    handler: async (ctx, { req, res }) => {
      const body = await readJsonObject(req);
      for (const key of ["bytes", "filename", "mime_type", "purpose"]) {
        if (body[key] === undefined) throw badRequest(`Missing required parameter: '${key}'.`, key);
      }
      const bytes = body.bytes;
      if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 0 || bytes > MAX_UPLOAD_BYTES) {
        throw badRequest("Invalid 'bytes': expected an integer between 0 and 8 GB.", "bytes");
      }
      if (typeof body.filename !== "string" || body.filename === "")
        throw badRequest("Invalid 'filename'.", "filename");
      if (typeof body.mime_type !== "string") throw badRequest("Invalid 'mime_type'.", "mime_type");
      const purpose = checkPurpose(String(body.purpose));
      const created = nowSeconds(ctx.clock);
      const record: UploadRecord = {
        upload: {
          id: newId.upload(),
          object: "upload",
          bytes,
          created_at: created,
          expires_at: created + UPLOAD_LIFETIME_S,
          filename: body.filename,
          purpose,
          status: "pending",
        },
        mimeType: body.mime_type,
        parts: [],
      };
      await ctx.store.saveUpload(record);
      sendJson(res, 200, record.upload);
    },
  },
  {
    method: "POST",
    pattern: /^\/uploads\/([^/]+)\/parts$/,
    handler: async (ctx, { req, res, params }) => {
      const record = await pendingUpload(ctx, params[0] ?? "");
      const body = await readMultipart(req, () => ctx.store.spoolPath());
      const data = body.files.find((f) => f.field === "data");
      const part = { id: newId.part(), bytes: data?.bytes ?? 0, created_at: nowSeconds(ctx.clock) };
      try {
        if (!data) throw badRequest("Missing required parameter: 'data'.", "data");
        if (data.bytes > MAX_PART_BYTES) throw badRequest("Each part may be at most 64 MB.", "data");
        await ctx.store.putUploadPartFrom(record.upload.id, part.id, data.path);
      } finally {
        await body.discard();
      }
      record.parts.push(part);
      await ctx.store.saveUpload(record);
      sendJson(res, 200, {
        id: part.id,
        object: "upload.part",
        created_at: part.created_at,
        upload_id: record.upload.id,
      });
    },
  },
  {
    method: "POST",
    pattern: /^\/uploads\/([^/]+)\/complete$/,
    // It makes the file: a lost answer here is a lost create (fault injection).
    creates: true,
    handler: async (ctx, { req, res, params }) => {
      const record = await pendingUpload(ctx, params[0] ?? "");
      const body = await readJsonObject(req);
      const ids = body.part_ids;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) {
        throw badRequest("Missing required parameter: 'part_ids'.", "part_ids");
      }
      const parts = (ids as string[]).map((id) => {
        const part = record.parts.find((p) => p.id === id);
        if (!part) throw badRequest(`No such part: ${id}`, "part_ids");
        return part;
      });
      const total = parts.reduce((sum, p) => sum + p.bytes, 0);
      if (total !== record.upload.bytes) {
        throw badRequest(
          `The number of bytes uploaded (${total}) does not match the number of bytes specified when creating the upload (${record.upload.bytes}).`,
          "part_ids",
        );
      }
      // The parts are joined on disk, one stream after another, so a 512 MB upload never sits in memory.
      const joined = ctx.store.spoolPath();
      let file: FileObject;
      try {
        await concatFiles(
          parts.map((p) => ctx.store.uploadPartPath(record.upload.id, p.id)),
          joined,
        );
        file = await createFile(ctx, record.upload.filename, record.upload.purpose, { path: joined, bytes: total });
      } finally {
        await rm(joined, { force: true });
      }
      record.upload.status = "completed";
      record.upload.file = file;
      await ctx.store.saveUpload(record);
      await ctx.store.dropUploadParts(record.upload.id);
      sendJson(res, 200, record.upload);
    },
  },
  {
    method: "POST",
    pattern: /^\/uploads\/([^/]+)\/cancel$/,
    handler: async (ctx, { res, params }) => {
      const record = await pendingUpload(ctx, params[0] ?? "");
      record.upload.status = "cancelled";
      await ctx.store.saveUpload(record);
      await ctx.store.dropUploadParts(record.upload.id);
      sendJson(res, 200, record.upload);
    },
  },
];

/** One pipeline into one write stream: piping each part into it in turn added listeners per part (a warning past 10). */
async function concatFiles(sources: string[], target: string): Promise<void> {
  await pipeline(async function* () {
    for (const source of sources) yield* createReadStream(source);
  }, createWriteStream(target));
}
