import type { Route, ServerContext } from "../context.js";
import { badRequest, notFound, readJsonObject, sendJson } from "../http.js";
import type { DeploymentObject } from "../records.js";
import { lookupModel } from "./models.js";

/**
 * Azure-style deployments, just enough for the deploy stage: `PUT/GET /openai/deployments/{name}` or the ARM path
 * `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{acct}/deployments/{name}`
 * with `api-version`, body `{sku, properties:{model:{format,name,version}}}`. A deployed name then
 * works as `model` in chat completions. Deployments succeed at once.
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

const armName = (params: string[]) => decodeURIComponent(params[3] ?? "");

export const deploymentRoutes: Route[] = [
  {
    method: "PUT",
    pattern: /^\/deployments\/([^/]+)$/,
    handler: async (ctx, { req, res, params, query }) => {
      requireApiVersion(query);
      const name = decodeURIComponent(params[0] ?? "");
      sendJson(res, 200, await put(ctx, name, `/deployments/${name}`, await readJsonObject(req)));
    },
  },
  {
    method: "GET",
    pattern: /^\/deployments\/([^/]+)$/,
    handler: async (ctx, { res, params, query }) => {
      requireApiVersion(query);
      sendJson(res, 200, get(ctx, decodeURIComponent(params[0] ?? "")));
    },
  },
  {
    method: "PUT",
    pattern: ARM,
    handler: async (ctx, { req, res, params, query }) => {
      requireApiVersion(query);
      const id = `/subscriptions/${params[0]}/resourceGroups/${params[1]}/providers/Microsoft.CognitiveServices/accounts/${params[2]}/deployments/${params[3]}`;
      sendJson(res, 200, await put(ctx, armName(params), id, await readJsonObject(req)));
    },
  },
  {
    method: "GET",
    pattern: ARM,
    handler: async (ctx, { res, params, query }) => {
      requireApiVersion(query);
      sendJson(res, 200, get(ctx, armName(params)));
    },
  },
];
