import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { startTestServer } from "./server-fixture.js";

const messages = [{ role: "user" as const, content: "Tell me about Neon" }];

const ELEMENT = {
  type: "object",
  properties: {
    name: { type: "string" },
    period: { type: "integer", minimum: 1, maximum: 7 },
    state: { enum: ["gas", "liquid", "solid"] },
    noble: { type: "boolean" },
    isotopes: { type: "array", items: { $ref: "#/$defs/Isotope" }, minItems: 2 },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
  },
  required: ["name", "period", "state", "noble", "isotopes", "note"],
  additionalProperties: false,
  $defs: {
    Isotope: {
      type: "object",
      properties: { mass: { type: "number" }, label: { type: "string" } },
      required: ["mass", "label"],
      additionalProperties: false,
    },
  },
};

describe("local provider: structured outputs and tool calls by constrained decoding", () => {
  it("json_schema answers parse and validate, for greedy and sampled decoding and a fine-tuned-sized context", async () => {
    const server = await startTestServer();
    try {
      const validate = new Ajv().compile(ELEMENT);
      for (const temperature of [0, 0.9]) {
        const completion = await server.client.chat.completions.create({
          model: "gpt-4o-mini",
          messages,
          temperature,
          seed: 3,
          response_format: { type: "json_schema", json_schema: { name: "element", strict: true, schema: ELEMENT } },
        });
        const value = JSON.parse(completion.choices[0]?.message.content ?? "");
        expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
        expect(value.isotopes).toHaveLength(2);
        // The string values are the model's own words, not a placeholder.
        expect(value.name.length).toBeGreaterThan(0);
      }
      const object = await server.client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        response_format: { type: "json_object" },
      });
      expect(typeof JSON.parse(object.choices[0]?.message.content ?? "")).toBe("object");
    } finally {
      await server.close();
    }
  }, 60_000);

  it("tool_choice required or named makes a tool call whose arguments satisfy the parameters; auto answers in text", async () => {
    const server = await startTestServer();
    try {
      const parameters = {
        type: "object",
        properties: { symbol: { type: "string" }, unit: { enum: ["celsius", "kelvin"] } },
        required: ["symbol", "unit"],
        additionalProperties: false,
      };
      const tools = [
        { type: "function" as const, function: { name: "first_tool", parameters } },
        { type: "function" as const, function: { name: "lookup_element", parameters } },
      ];
      const validate = new Ajv().compile(parameters);
      const required = await server.client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        tools,
        tool_choice: "required",
      });
      expect(required.choices[0]?.finish_reason).toBe("tool_calls");
      const call = required.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === "function" && call.function.name).toBe("first_tool");
      expect(validate(JSON.parse(call?.type === "function" ? call.function.arguments : ""))).toBe(true);

      const named = await server.client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        tools,
        tool_choice: { type: "function", function: { name: "lookup_element" } },
      });
      const namedCall = named.choices[0]?.message.tool_calls?.[0];
      expect(namedCall?.type === "function" && namedCall.function.name).toBe("lookup_element");

      const auto = await server.client.chat.completions.create({
        model: "gpt-4o-mini",
        messages,
        tools,
        max_tokens: 12,
      });
      expect(auto.choices[0]?.message.tool_calls).toBeUndefined();
      expect(auto.choices[0]?.message.content?.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("refuses a schema it cannot honour with a 400 naming the feature", async () => {
    const server = await startTestServer();
    try {
      await expect(
        server.client.chat.completions.create({
          model: "gpt-4o-mini",
          messages,
          response_format: {
            type: "json_schema",
            json_schema: { name: "x", schema: { type: "object", patternProperties: { "^a": { type: "string" } } } },
          },
        }),
      ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("patternProperties") });
    } finally {
      await server.close();
    }
  }, 60_000);
});
