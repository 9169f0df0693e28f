import { findModel, MODEL_CATALOG, type ModelFamily } from "../../core/catalog/models.js";
import { isFineTunedName, servedFamily } from "../open-models.js";
import type { Route, ServerContext } from "../context.js";
import { ApiError, apiFailure, badRequest, modelNotFound, sendJson } from "../http.js";
import type { ModelObject } from "../records.js";
import type { ModelSnapshot } from "../trainer/types.js";

/** Models: the fine-tunable base models, plus every fine-tuned and checkpoint model trained here. */

/** The base models' `created`: their snapshot date where the name carries one, else the catalog's date. */
function baseModelObject(id: string, snapshot: string): ModelObject {
  const date = /(\d{4})-(\d{2})-(\d{2})$/.exec(snapshot);
  const created = date ? Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) / 1000 : 1_698_969_600;
  return { id, object: "model", created, owned_by: "system" };
}

/** The model object for a name, or a 404 `model_not_found` like the real API. */
export function lookupModel(ctx: ServerContext, name: string): ModelObject {
  return ctx.store.models.get(name)?.model ?? baseModelObject(name, baseFamily(name).snapshot);
}

function baseFamily(name: string): ModelFamily {
  const family = isFineTunedName(name) ? undefined : servedFamily(name);
  if (!family) throw modelNotFound(name);
  return family;
}

/** The parameters behind a model name: a stored snapshot, or the base model (built once per snapshot). */
export function snapshotFor(ctx: ServerContext, name: string): { id: string; snapshot: ModelSnapshot } {
  const stored = ctx.store.models.get(name);
  if (stored) return { id: name, snapshot: stored.snapshot };
  const family = baseFamily(name);
  let snapshot = ctx.baseSnapshots.get(family.snapshot);
  if (!snapshot) {
    snapshot = ctx.trainer.baseModel(family.snapshot);
    ctx.baseSnapshots.set(family.snapshot, snapshot);
  }
  return { id: family.snapshot, snapshot };
}

export const modelRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/models$/,
    handler: async (ctx, { res }) => {
      const base = MODEL_CATALOG.flatMap((m) =>
        [m.snapshot, ...m.aliases].map((id) => baseModelObject(id, m.snapshot)),
      );
      const trained = [...ctx.store.models.values()].map((m) => m.model);
      sendJson(res, 200, { object: "list", data: [...base, ...trained] });
    },
  },
  {
    method: "GET",
    pattern: /^\/models\/(.+)$/,
    handler: async (ctx, { res, params }) => {
      sendJson(res, 200, lookupModel(ctx, decodeURIComponent(params[0] ?? "")));
    },
  },
  {
    method: "DELETE",
    pattern: /^\/models\/(.+)$/,
    handler: async (ctx, { res, params }) => {
      const name = decodeURIComponent(params[0] ?? "");
      const stored = ctx.store.models.get(name);
      if (!stored) {
        if (!isFineTunedName(name) && findModel(name)) {
          const message =
            "You have insufficient permissions for this operation: only fine-tuned models can be deleted.";
          throw new ApiError(apiFailure(403, message, { param: "model" }));
        }
        throw modelNotFound(name);
      }
      if (stored.kind === "checkpoint") {
        throw badRequest(`Model ${name} is a checkpoint; delete the fine-tuned model of its job instead.`, "model");
      }
      await ctx.store.deleteModel(name);
      sendJson(res, 200, { id: name, object: "model", deleted: true });
    },
  },
];
