import { nowSeconds, type Route, type ServerContext } from "../context.js";
import { badRequest, notFound, readJsonObject, sendJson } from "../http.js";
import { newId } from "../ids.js";
import { chatCompletion } from "./chat.js";

/**
 * The Responses API over chat completions: text or message input, `instructions`, `max_output_tokens`,
 * `temperature` and `text.format`. Stored responses are kept, so `GET /responses/{id}` returns them.
 */

type Message = { role: string; content: string };

function inputMessages(body: Record<string, unknown>): Message[] {
  const messages: Message[] = [];
  if (typeof body.instructions === "string") messages.push({ role: "system", content: body.instructions });
  const input = body.input;
  if (typeof input === "string") messages.push({ role: "user", content: input });
  else if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => {
      const m = item as { role?: unknown; content?: unknown };
      if (typeof m?.role !== "string")
        throw badRequest(`Invalid 'input[${i}]': expected a message with a role.`, `input[${i}]`);
      const content =
        typeof m.content === "string"
          ? m.content
          : Array.isArray(m.content)
            ? m.content.map((part: { text?: unknown }) => (typeof part?.text === "string" ? part.text : "")).join("")
            : "";
      messages.push({ role: m.role === "developer" ? "system" : m.role, content });
    });
  } else throw badRequest("Missing required parameter: 'input'.", "input");
  if (!messages.some((m) => m.role !== "system")) throw badRequest("Invalid 'input': no message to answer.", "input");
  return messages;
}

async function create(ctx: ServerContext, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const format = (body.text as { format?: unknown } | undefined)?.format;
  const maxOutput = body.max_output_tokens;
  const completion = await chatCompletion(ctx, {
    model: body.model,
    messages: inputMessages(body),
    ...(maxOutput !== undefined && maxOutput !== null ? { max_completion_tokens: maxOutput } : {}),
    ...(body.temperature !== undefined && body.temperature !== null ? { temperature: body.temperature } : {}),
    ...(format !== undefined ? { response_format: format } : {}),
  });
  const choice = completion.choices[0];
  const truncated = choice?.finish_reason === "length";
  const created = nowSeconds(ctx.clock);
  const response = {
    id: newId.response(),
    object: "response",
    created_at: created,
    status: truncated ? "incomplete" : "completed",
    completed_at: truncated ? null : created,
    error: null,
    incomplete_details: truncated ? { reason: "max_output_tokens" } : null,
    instructions: typeof body.instructions === "string" ? body.instructions : null,
    max_output_tokens: typeof maxOutput === "number" ? maxOutput : null,
    model: completion.model,
    output: [
      {
        id: newId.message(),
        type: "message",
        role: "assistant",
        status: truncated ? "incomplete" : "completed",
        content: [{ type: "output_text", text: choice?.message.content ?? "", annotations: [], logprobs: [] }],
      },
    ],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: body.store !== false,
    temperature: typeof body.temperature === "number" ? body.temperature : 1,
    text: { format: format ?? { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_p: typeof body.top_p === "number" ? body.top_p : 1,
    truncation: "disabled",
    usage: {
      input_tokens: completion.usage.prompt_tokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: completion.usage.completion_tokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: completion.usage.prompt_tokens + completion.usage.completion_tokens,
    },
    metadata: (body.metadata as Record<string, string> | undefined) ?? {},
  };
  if (response.store) await ctx.store.saveResponse(response);
  return response;
}

export const responseRoutes: Route[] = [
  {
    method: "POST",
    pattern: /^\/responses$/,
    creates: true,
    handler: async (ctx, { req, res }) => sendJson(res, 200, await create(ctx, await readJsonObject(req))),
  },
  {
    method: "GET",
    pattern: /^\/responses\/([^/]+)$/,
    handler: async (ctx, { res, params }) => {
      const id = params[0] ?? "";
      const response = ctx.store.responses.get(id);
      if (!response) throw notFound(`Response with id '${id}' not found.`, "response_id");
      sendJson(res, 200, response);
    },
  },
];
