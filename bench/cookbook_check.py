"""A cookbook-style check of a chat fine-tuning JSONL file, for comparison with `tunefile validate`.

It follows OpenAI's cookbook notebook "Data preparation and analysis for chat model fine-tuning"
(https://cookbook.openai.com/examples/chat_finetuning_data_prep): load every line with json.loads, run the
notebook's format checks, and count tokens with tiktoken (3 per message, the encoded values, 1 per name, 3 for
the reply priming; assistant tokens separately). Two changes so that it runs on data with today's message shapes
and counts what tunefile counts: the `weight` key is not text and is skipped, and values that are not strings
(content parts, tool calls) are counted as their compact JSON, text parts as their text. Special tokens spelled
out in text are counted as text (encode_ordinary).

Usage: python bench/cookbook_check.py FILE [ENCODING]   (prints one JSON line: examples, tokens, errors)
"""

import json
import sys
from collections import defaultdict

import tiktoken


def main() -> None:
    path = sys.argv[1]
    encoding = tiktoken.get_encoding(sys.argv[2] if len(sys.argv) > 2 else "o200k_base")

    def count(value) -> int:
        if isinstance(value, str):
            return len(encoding.encode_ordinary(value))
        return len(encoding.encode_ordinary(json.dumps(value, separators=(",", ":"), ensure_ascii=False)))

    def content_tokens(content) -> int:
        if isinstance(content, list):
            return sum(
                count(p["text"]) if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
                else count(p)
                for p in content
            )
        return count(content)

    with open(path, encoding="utf-8") as f:
        dataset = [json.loads(line) for line in f if line.strip()]

    format_errors = defaultdict(int)
    total_tokens = 0
    assistant_tokens = 0
    for ex in dataset:
        if not isinstance(ex, dict):
            format_errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            format_errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                format_errors["message_missing_key"] += 1
            if any(k not in ("role", "content", "name", "function_call", "tool_calls", "weight") for k in message):
                format_errors["message_unrecognized_key"] += 1
            if message.get("role", None) not in ("system", "user", "assistant", "function", "tool"):
                format_errors["unrecognized_role"] += 1
            content = message.get("content", None)
            if not content and not message.get("function_call") and not message.get("tool_calls"):
                format_errors["missing_content"] += 1
        if not any(message.get("role", None) == "assistant" for message in messages):
            format_errors["example_missing_assistant_message"] += 1

        tokens = 3
        for message in messages:
            tokens += 3
            for key, value in message.items():
                if key == "weight" or value is None:
                    continue
                n = content_tokens(value) if key == "content" else count(value)
                tokens += n
                if key == "name":
                    tokens += 1
                if key == "content" and message.get("role") == "assistant" and message.get("weight") != 0:
                    assistant_tokens += n
        if "tools" in ex:
            tokens += count(ex["tools"])
        total_tokens += tokens

    print(json.dumps({"examples": len(dataset), "tokens": total_tokens, "assistant_tokens": assistant_tokens,
                      "format_errors": dict(format_errors)}))


if __name__ == "__main__":
    main()
