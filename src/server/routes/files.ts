import { type ServerContext, nowSeconds, type Route } from "../context.js";
import { badRequest, notFound, parseLimit, sendJson, sendPage } from "../http.js";
import { newId } from "../ids.js";
import { readMultipart } from "../multipart.js";
import type { FileObject, FilePurpose } from "../records.js";

/** Files API: multipart create, retrieve, list, delete, content. */

const CREATE_PURPOSES: readonly FilePurpose[] = ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"];

export function getFile(ctx: ServerContext, id: string): FileObject {
  const file = ctx.store.files.get(id);
  if (!file) throw notFound(`No such File object: ${id}`, "id");
  return file;
}

export function checkPurpose(purpose: string | undefined): FilePurpose {
  if (purpose === undefined || purpose === "") throw badRequest("Missing required parameter: 'purpose'.", "purpose");
  if (!CREATE_PURPOSES.includes(purpose as FilePurpose)) {
    throw badRequest(
      `'${purpose}' is not one of ${CREATE_PURPOSES.map((p) => `'${p}'`).join(", ")} - 'purpose'`,
      "purpose",
      "invalid_value",
    );
  }
  return purpose as FilePurpose;
}

/** Checks and stores a new file; shared by `POST /files` and upload completion. */
export async function createFile(
  ctx: ServerContext,
  filename: string,
  purpose: FilePurpose,
  /** The bytes, already on disk in the store's spool directory; moved into place. */
  spooled: { path: string; bytes: number },
  /** `expires_after[seconds]`, anchored at creation. */
  expiresAfterSeconds?: number,
  /** An id announced before the bytes arrived (Together's two-step upload). Default: a new one. */
  id: string = newId.file(),
): Promise<FileObject> {
  if (purpose === "fine-tune" && !filename.toLowerCase().endsWith(".jsonl")) {
    throw badRequest(`Invalid file format for Fine-Tuning API. Must be .jsonl`, "file", "invalid_file_format");
  }
  const file: FileObject = {
    id,
    object: "file",
    bytes: spooled.bytes,
    created_at: nowSeconds(ctx.clock),
    filename,
    purpose,
    status: "processed",
  };
  if (expiresAfterSeconds !== undefined) file.expires_at = file.created_at + expiresAfterSeconds;
  await ctx.store.putFileFrom(file, spooled.path);
  return file;
}

export const fileRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/files$/,
    creates: true,
    handler: async (ctx, { req, res }) => {
      const body = await readMultipart(req, () => ctx.store.spoolPath());
      try {
        const purpose = checkPurpose(body.fields.purpose);
        const part = body.files.find((f) => f.field === "file");
        if (!part) throw badRequest("Missing required parameter: 'file'.", "file");
        let expiresAfter: number | undefined;
        if (body.fields["expires_after[anchor]"] !== undefined) {
          expiresAfter = Number(body.fields["expires_after[seconds]"]);
          if (!Number.isInteger(expiresAfter) || expiresAfter < 3600 || expiresAfter > 2_592_000) {
            throw badRequest(
              "Invalid 'expires_after[seconds]': must be between 3600 and 2592000.",
              "expires_after.seconds",
            );
          }
        }
        const file = await createFile(ctx, part.filename, purpose, part, expiresAfter);
        sendJson(res, 200, file);
      } finally {
        await body.discard();
      }
    },
  },
  {
    method: "GET",
    pattern: /^\/files$/,
    handler: async (ctx, { res, query }) => {
      const limit = parseLimit(query, 10_000, 10_000);
      const order = query.get("order") ?? "desc";
      if (order !== "asc" && order !== "desc") {
        throw badRequest(`Invalid 'order': expected 'asc' or 'desc', got '${order}'.`, "order");
      }
      const purpose = query.get("purpose");
      const all = [...ctx.store.files.values()]
        .filter((f) => purpose === null || f.purpose === purpose)
        // A stable sort on the second-resolution created_at: files made in the same second keep the order they were
        // made in (the store's insertion order), as the service lists them, instead of a random id order.
        .sort((a, b) => a.created_at - b.created_at);
      if (order === "desc") all.reverse();
      sendPage(res, query, all, limit);
    },
  },
  {
    method: "GET",
    pattern: /^\/files\/([^/]+)$/,
    handler: async (ctx, { res, params }) => {
      sendJson(res, 200, getFile(ctx, params[0] ?? ""));
    },
  },
  {
    method: "DELETE",
    pattern: /^\/files\/([^/]+)$/,
    handler: async (ctx, { res, params }) => {
      const file = getFile(ctx, params[0] ?? "");
      await ctx.store.deleteFile(file.id);
      sendJson(res, 200, { id: file.id, object: "file", deleted: true });
    },
  },
  {
    method: "GET",
    pattern: /^\/files\/([^/]+)\/content$/,
    handler: async (ctx, { res, params }) => {
      const file = getFile(ctx, params[0] ?? "");
      const bytes = await ctx.store.fileBytes(file.id);
      // Raw bytes, like the real service; the SDK returns a fetch Response for content, so no JSON here.
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
      res.end(bytes);
    },
  },
];
