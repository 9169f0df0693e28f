import { stat } from "node:fs/promises";
import path from "node:path";
import type { StageContext, StageDefinition, StageOutcome, StageRecord } from "../engine/stage.js";
import { type MultipartJournal, type RemoteFile, uploadSettings } from "../providers/files.js";
import { type Provider, type ProviderIdentity, sameProvider } from "../providers/provider.js";
import { makeRemoteCall, providerFailure, type RemoteCall } from "../providers/remote-call.js";
import {
  checkpointOf,
  outputsOf,
  type UploadCheckpoint,
  type UploadedFile,
  type UploadOutputs,
} from "../engine/stage-io.js";

type Role = "train" | "validation";

/** One prepared file as the prepare stage records it (paths relative to the project root). */
interface PreparedFile {
  role: Role;
  path: string;
  sha256: string;
}

/** The upload stage: keyed by content sha256, a file that is still on the provider is never uploaded twice. */
export const uploadStage: StageDefinition<UploadOutputs> = {
  name: "upload",
  version: 1,
  usesProvider: true,
  // An existing fine-tuned model needs no data on the provider.
  enabled: (pipeline) => !pipeline.config.training?.fine_tuned_model,
  fingerprintInput: async (_pipeline, upstream) => {
    const files: Record<string, string> = {};
    for (const f of preparedFiles(upstream.prepare)) files[f.role] = f.sha256;
    // Part sizes change how bytes travel, not what arrives, so no config feeds the fingerprint.
    return { config: {}, files };
  },
  // One request, as a fresh stage allows: the training file. The validation file was uploaded with it, and a
  // missing one would surface as the provider's own error when a job is next created.
  verifyFresh: async (ctx, record) => {
    const outputs = outputsOf("upload", record);
    const train = Object.values(outputs?.files ?? {}).find((f) => f.role === "train");
    if (!train) return false;
    try {
      const provider = await ctx.provider();
      return await provider.files.stillExists(makeRemoteCall(ctx), train.id, train.bytes);
    } catch (err) {
      // Unable to check (revoked key, network down): run the stage, which reports the provider's own error.
      if (ctx.signal.aborted) throw err;
      return false;
    }
  },
  run: (ctx) => uploadAll(ctx).catch((err) => ({ kind: "failed", error: providerFailure(err, ctx) })),
};

async function uploadAll(ctx: StageContext): Promise<StageOutcome<UploadOutputs>> {
  const prepared = preparedFiles(ctx.upstream.prepare);
  const train = prepared.find((f) => f.role === "train");
  if (!train) {
    return { kind: "failed", error: { code: "no-prepared-data", message: "prepare recorded no training file" } };
  }
  const provider = await ctx.provider();
  const call = makeRemoteCall(ctx);
  const known = knownFiles(ctx.previous, provider.identity);
  await ctx.saveCheckpoint({ provider: provider.identity });

  const files: Record<string, UploadedFile> = {};
  for (const file of prepared) {
    files[file.sha256] = await ensureUploaded(ctx, provider, call, file, known);
    // Only this data's files: the checkpoint does not grow with every past version of the data.
    const inFlight = Object.fromEntries(
      Object.entries(known.parts).filter(([sha]) => prepared.some((f) => f.sha256 === sha)),
    );
    await ctx.saveCheckpoint({ files: { ...files }, parts: inFlight });
  }
  const validation = prepared.find((f) => f.role === "validation");
  const validationId = validation && files[validation.sha256]?.id;
  const outputs: UploadOutputs = {
    files,
    train_file_id: files[train.sha256]?.id ?? "",
    ...(validationId ? { validation_file_id: validationId } : {}),
  };
  return { kind: "succeeded", outputs };
}

async function ensureUploaded(
  ctx: StageContext,
  provider: Provider,
  call: RemoteCall,
  file: PreparedFile,
  known: Required<Pick<UploadCheckpoint, "files" | "parts">>,
): Promise<UploadedFile> {
  const localPath = path.resolve(ctx.pipeline.paths.root, file.path);
  const filename = `${ctx.pipeline.config.name}-${file.role}-${file.sha256.slice(0, 12)}.jsonl`;
  const progress = (message: string, steps?: { step: number; totalSteps: number }) =>
    ctx.emit({ type: "stage-progress", stage: "upload", message: `${file.role}: ${message}`, ...steps });
  const previous = known.files[file.sha256];
  if (previous && (await provider.files.stillExists(call, previous.id, previous.bytes))) {
    progress(`reusing ${previous.id}`);
    return { ...previous, role: file.role };
  }
  const { size } = await stat(localPath);
  const found = await provider.files.findUploaded(call, filename, size);
  if (found) {
    progress(`found ${found.id} from an earlier run`);
    return { ...found, role: file.role };
  }
  progress(`uploading ${formatBytes(size)}`);
  const settings = uploadSettings(ctx.pipeline.config.upload);
  // Parts are cut at multiples of the part size: continue only an upload cut the same way.
  const recorded = known.parts[file.sha256];
  const inFlight = recorded?.part_bytes === settings.partBytes ? recorded : undefined;
  const parts = Math.ceil(size / settings.partBytes);
  const journal = (resume: boolean): MultipartJournal => ({
    ...(resume && inFlight ? { resume: { uploadId: inFlight.upload_id, partIds: inFlight.part_ids } } : {}),
    onStarted: async (uploadId) => {
      known.parts[file.sha256] = { upload_id: uploadId, part_ids: [], part_bytes: settings.partBytes };
      await ctx.saveCheckpoint({ parts: { ...known.parts } });
    },
    onPart: async (uploadId, partIds) => {
      known.parts[file.sha256] = { upload_id: uploadId, part_ids: partIds, part_bytes: settings.partBytes };
      progress(`part ${partIds.length} of ${parts}`, { step: partIds.length, totalSteps: parts });
      await ctx.saveCheckpoint({ parts: { ...known.parts } });
    },
  });
  let remote: RemoteFile;
  try {
    remote = await provider.files.upload(call, localPath, filename, settings, journal(true));
  } catch (err) {
    // An upload left by a crash expires after an hour; when continuing it fails, start a fresh one, unless it
    // completed after all (its answer lost): then its file is there.
    if (!inFlight || ctx.signal.aborted) throw err;
    delete known.parts[file.sha256];
    remote =
      (await provider.files.findUploaded(call, filename, size)) ??
      (await provider.files.upload(call, localPath, filename, settings, journal(false)));
  }
  delete known.parts[file.sha256];
  return { ...remote, role: file.role };
}

/** Files recorded by an earlier attempt or run on the same provider: candidates for reuse. */
function knownFiles(
  previous: StageRecord | undefined,
  identity: ProviderIdentity,
): Required<Pick<UploadCheckpoint, "files" | "parts">> {
  const checkpoint = checkpointOf("upload", previous);
  if (!sameProvider(checkpoint.provider, identity)) return { files: {}, parts: {} };
  const outputs: Partial<UploadOutputs> = outputsOf("upload", previous) ?? {};
  return { files: { ...outputs.files, ...checkpoint.files }, parts: { ...checkpoint.parts } };
}

/** The prepared train and validation files from prepare's outputs. */
function preparedFiles(prepare: StageRecord | undefined): PreparedFile[] {
  const outputs = (prepare?.outputs ?? {}) as Record<string, unknown>;
  const files: PreparedFile[] = [];
  for (const role of ["train", "validation"] as const) {
    const entry = outputs[role] as { path?: unknown; sha256?: unknown } | undefined;
    if (typeof entry?.path === "string" && typeof entry.sha256 === "string") {
      files.push({ role, path: entry.path, sha256: entry.sha256 });
    }
  }
  return files;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
