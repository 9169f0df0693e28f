"""The official openai Python SDK against `tunefile serve`: chat.completions.parse with a pydantic model, and a
tool call with tool_choice="required". Usage: python structured.py <base_url>. Prints one JSON line."""
import json
import sys

from openai import OpenAI
from pydantic import BaseModel

client = OpenAI(base_url=sys.argv[1], api_key="test", max_retries=0)
messages = [{"role": "user", "content": "Tell me about Neon"}]


class Fact(BaseModel):
    topic: str
    detail: str


class Element(BaseModel):
    name: str
    symbol: str
    atomic_number: int
    noble_gas: bool
    facts: list[Fact]


parsed = client.chat.completions.parse(model="gpt-4o-mini", messages=messages, response_format=Element)
element = parsed.choices[0].message.parsed

tools = [{
    "type": "function",
    "function": {
        "name": "lookup_element",
        "strict": True,
        "parameters": {
            "type": "object",
            "properties": {"symbol": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "kelvin"]}},
            "required": ["symbol", "unit"],
            "additionalProperties": False,
        },
    },
}]
called = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools, tool_choice="required")
call = called.choices[0].message.tool_calls[0]
print(json.dumps({
    "parsed_type": type(element).__name__,
    "parsed": element.model_dump(),
    "tool_finish": called.choices[0].finish_reason,
    "tool_name": call.function.name,
    "tool_args": json.loads(call.function.arguments),
}))

response = client.responses.create(model="gpt-4o-mini", input="Tell me about Neon", max_output_tokens=16)
print(json.dumps({"output_text": response.output_text, "status": response.status}))
