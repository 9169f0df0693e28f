"""The official openai Python SDK against `tunefile serve`: a 5-request batch, as a new user would run it.

Usage: python batch.py <base_url>. Prints one JSON line with what it saw; exits non-zero on any surprise.
"""
import io
import json
import sys
import time

from openai import OpenAI

client = OpenAI(base_url=sys.argv[1], api_key="test", max_retries=0)
lines = [
    json.dumps({
        "custom_id": f"req-{i}",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Tell me about element {i}"}], "max_tokens": 8},
    })
    for i in range(5)
]
batch_file = client.files.create(file=("input.jsonl", io.BytesIO("\n".join(lines).encode())), purpose="batch")
batch = client.batches.create(input_file_id=batch_file.id, endpoint="/v1/chat/completions", completion_window="24h")
deadline = time.time() + 60
while batch.status not in ("completed", "failed", "cancelled", "expired"):
    if time.time() > deadline:
        sys.exit(f"batch still {batch.status} after 60 s")
    time.sleep(0.05)
    batch = client.batches.retrieve(batch.id)
output = client.files.content(batch.output_file_id).text.strip().split("\n")
ids = sorted(json.loads(line)["custom_id"] for line in output)
print(json.dumps({"status": batch.status, "counts": batch.request_counts.model_dump(), "custom_ids": ids}))
