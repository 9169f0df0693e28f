import { randomBytes } from "node:crypto";

/** IDs shaped like the real service's: a prefix plus base62 characters. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export function base62(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Name segment of fine-tuned models (`ft:<base>:local:<suffix>:<id>`) and owner of jobs and models. */
export const ORGANIZATION = "local";

export const newId = {
  file: () => `file-${base62(22)}`,
  job: () => `ftjob-${base62(24)}`,
  event: () => `ftevent-${base62(24)}`,
  checkpoint: () => `ftckpt_${base62(24)}`,
  upload: () => `upload_${base62(24)}`,
  part: () => `part_${base62(24)}`,
  chat: () => `chatcmpl-${base62(29)}`,
  toolCall: () => `call_${base62(24)}`,
  response: () => `resp_${randomBytes(24).toString("hex")}`,
  message: () => `msg_${randomBytes(24).toString("hex")}`,
  batch: () => `batch_${randomBytes(16).toString("hex")}`,
  batchRequest: () => `batch_req_${randomBytes(16).toString("hex")}`,
  request: () => `req_${randomBytes(16).toString("hex")}`,
  /** The 8-character id segment of a fine-tuned model name. */
  modelTag: () => base62(8),
};
