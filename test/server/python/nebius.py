"""The official openai Python SDK pointed at the local server's Nebius dialect: upload, fine-tune
meta-llama/Meta-Llama-3.1-8B-Instruct with LoRA set as Nebius takes it, follow the job, chat with the result.
Usage: python nebius.py <nebius_base_url> <training_file>. Prints one JSON line."""
import json
import sys
import time

from openai import OpenAI

client = OpenAI(base_url=sys.argv[1], api_key="nebius-key", max_retries=0)
with open(sys.argv[2], "rb") as f:
    training = client.files.create(file=f, purpose="fine-tune")
job = client.fine_tuning.jobs.create(
    model="meta-llama/Meta-Llama-3.1-8B-Instruct",
    training_file=training.id,
    hyperparameters={"n_epochs": 2, "learning_rate": 0.00002, "lora": True, "lora_r": 8, "lora_alpha": 16},
)
deadline = time.time() + 120
while job.status not in ("succeeded", "failed", "cancelled"):
    if time.time() > deadline:
        sys.exit(f"job still {job.status}")
    time.sleep(0.1)
    job = client.fine_tuning.jobs.retrieve(job.id)
answer = client.chat.completions.create(
    model=job.fine_tuned_model, messages=[{"role": "user", "content": "Tell me about Neon"}], max_tokens=20
)
print(json.dumps({"status": job.status, "model": job.fine_tuned_model, "answer": answer.choices[0].message.content}))
