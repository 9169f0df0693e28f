import { readFile, stat } from "node:fs/promises";
import { APIConnectionError, APIConnectionTimeoutError, APIError, type OpenAI } from "openai";
import { unlessNotFound } from "../errors.js";
import { type FileApi, type RemoteFile, sendingOptions } from "../files.js";
import type { RemoteCall } from "../remote-call.js";

/** A file as Together's /files endpoints describe it. */
interface TogetherFile {
  id: string;
  filename?: string;
  bytes?: number;
}

/**
 * Together AI's files (https://docs.together.ai/reference/upload-file). An upload is three steps: `POST /files`
 * with the name and purpose answers 302 with a signed `Location` and the new id in `x-together-file-id`; the bytes
 * are `PUT` there; the file is then read back. Done here rather than with the SDK's helper, which fails from ES
 * modules. Requests go through the openai SDK's HTTP layer (same retries, timeouts and error classes as every
 * other provider), except the two steps that need a manual redirect, which map their failures to those classes
 * and get the same timeouts: without one, a PUT that the storage never answered held the run forever.
 */
export function togetherFiles(client: OpenAI, apiKey: string): FileApi {
  const base = client.baseURL.replace(/\/+$/, "");
  const retrieve = (call: RemoteCall, id: string) =>
    call("files.retrieve", (signal) => client.get<TogetherFile>(`/files/${id}`, { signal }));
  return {
    stillExists: async (call, id, bytes) => {
      const file = await unlessNotFound(retrieve(call, id));
      return file !== undefined && (bytes === undefined || file.bytes === undefined || file.bytes === bytes);
    },
    findUploaded: async (call, filename, bytes) => {
      const page = await call("files.list", (signal) => client.get<{ data: TogetherFile[] }>("/files", { signal }));
      const found = page.data.find((f) => f.filename === filename && (f.bytes === undefined || f.bytes === bytes));
      return found ? { id: found.id, filename, bytes } : undefined;
    },
    // One request per file: Together takes files up to its own limit in a single PUT, so there are no parts.
    upload: async (call, localPath, filename): Promise<RemoteFile> => {
      const { size } = await stat(localPath);
      const id = await call("files.create", async (signal) => {
        const params = new URLSearchParams({ file_name: filename, file_type: "jsonl", purpose: "fine-tune" });
        const started = await send(`${base}/files?${params}`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${apiKey}` },
          body: params.toString(),
          redirect: "manual",
          ...sendingOptions(client, 0, signal),
        });
        const location = started.headers.get("location");
        const fileId = started.headers.get("x-together-file-id");
        if (started.status !== 302 || !location || !fileId) throw await httpError(started);
        // A fresh read per attempt: a retried request must send the whole body again.
        const body = await readFile(localPath);
        const put = await send(location, {
          method: "PUT",
          headers: { "Content-Type": "application/octet-stream", "Content-Length": String(size) },
          body,
          ...sendingOptions(client, size, signal),
        });
        if (!put.ok) throw await httpError(put);
        return fileId;
      });
      const file = await retrieve(call, id);
      return { id: file.id, filename, bytes: file.bytes ?? size };
    },
  };
}

/**
 * fetch, with a failure to connect as the SDK's connection error and running out of `timeout` as its timeout error
 * (both retried like any other). The caller's signal still aborts at once, as itself.
 */
async function send(
  url: string,
  { signal, timeout, ...init }: RequestInit & { signal: AbortSignal; timeout: number },
): Promise<Response> {
  const timer = AbortSignal.timeout(timeout);
  try {
    return await fetch(url, { ...init, signal: AbortSignal.any([signal, timer]) });
  } catch (err) {
    if (signal.aborted) throw err;
    if (timer.aborted) throw new APIConnectionTimeoutError();
    throw new APIConnectionError({ cause: err instanceof Error ? err : undefined });
  }
}

/** A non-2xx answer as the SDK's error class for its status, so retries and messages work as for SDK calls. */
async function httpError(res: Response): Promise<APIError> {
  const text = await res.text().catch(() => "");
  let body: object | undefined;
  try {
    body = JSON.parse(text) as object;
  } catch {
    body = text ? { message: text.slice(0, 200) } : undefined;
  }
  return APIError.generate(res.status, body, undefined, res.headers);
}
