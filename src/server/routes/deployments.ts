import type { Route, ServerContext } from "../context.js";
import { badRequest, notFound, readJsonObject, sendJson } from "../http.js";
import type { DeploymentObject } from "../records.js";
import { lookupModel } from "./models.js";

/**
 * Azure-style deployments, just enough for the deploy and evaluate stages: PUT/GET/DELETE by name or ARM path, with
 * `api-version`. A deployed name then works as `model` in chat completions. Deployments succeed at once.
 */

const ARM =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.CognitiveServices\/accounts\/([^/]+)\/deployments\/([^/]+)$/;

function requireApiVersion(query: URLSearchParams): void {
  if (!query.get("api-version")) {
    throw badRequest("Missing required query parameter: 'api-version'.", "api-version", "MissingApiVersionParameter");
  }
}

async function put(
  ctx: ServerContext,
  name: string,
  id: string,
  body: Record<string, unknown>,
): Promise<DeploymentObject> {
  const sku = body.sku as Record<string, unknown> | undefined;
  const model = (body.properties as Record<string, unknown> | undefined)?.model as Record<string, unknown> | undefined;
  if (typeof sku?.name !== "string") throw badRequest("Missing required property: 'sku.name'.", "sku.name");
  if (typeof model?.name !== "string") {
    throw badRequest("Missing required property: 'properties.model.name'.", "properties.model.name");
  }
  lookupModel(ctx, model.name);
  const deployment: DeploymentObject = {
    id,
    name,
    type: "Microsoft.CognitiveServices/accounts/deployments",
    sku: { name: sku.name, capacity: typeof sku.capacity === "number" ? sku.capacity : 1 },
    properties: {
      model: {
        format: typeof model.format === "string" ? model.format : "OpenAI",
        name: model.name,
        version: typeof model.version === "string" ? model.version : "1",
      },
      provisioningState: "Succeeded",
    },
  };
  await ctx.store.saveDeployment(deployment);
  return deployment;
}

function get(ctx: ServerContext, name: string): DeploymentObject {
  const deployment = ctx.store.deployments.get(name);
  if (!deployment) throw notFound(`The deployment ${name} does not exist.`, "deployment", "DeploymentNotFound");
  return deployment;
}

/** A deployment's two addresses: its name (Azure OpenAI) and its ARM path, each with the name and the `id`. */
const ADDRESSES: { pattern: RegExp; name: (p: string[]) => string; id: (p: string[]) => string }[] = [
  {
    pattern: /^\/deployments\/([^/]+)$/,
    name: (p) => decodeURIComponent(p[0] ?? ""),
    id: (p) => `/deployments/${decodeURIComponent(p[0] ?? "")}`,
  },
  {
    pattern: ARM,
    name: (p) => decodeURIComponent(p[3] ?? ""),
    id: (p) =>
      `/subscriptions/${p[0]}/resourceGroups/${p[1]}/providers/Microsoft.CognitiveServices/accounts/${p[2]}/deployments/${p[3]}`,
  },
];

export const deploymentRoutes: Route[] = ADDRESSES.flatMap(({ pattern, name, id }): Route[] => [
  {
    method: "PUT",
    pattern,
    handler: async (ctx, { req, res, params, query }) => {
      requireApiVersion(query);
      sendJson(res, 200, await put(ctx, name(params), id(params), await readJsonObject(req)));
    },
  },
  {
    method: "GET",
    pattern,
    handler: async (ctx, { res, params, query }) => {
      requireApiVersion(query);
      sendJson(res, 200, get(ctx, name(params)));
    },
  },
  {
    method: "DELETE",
    pattern,
    handler: async (ctx, { res, params, query }) => {
      requireApiVersion(query);
      get(ctx, name(params)); // 404 when there is none, as ARM answers
      await ctx.store.deleteDeployment(name(params));
      res.writeHead(200).end();
    },
  },
]);
