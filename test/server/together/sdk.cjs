// The official together-ai SDK, from CommonJS (its upload helper fails from ES modules), against the local server's
// Together dialect: upload through the redirect flow, create a LoRA job, follow it to `completed`, list its events,
// and chat with its output_name. Usage: node sdk.cjs <base> <training.jsonl>. Prints one JSON line.
//
// The upload is the documented redirect flow done here with fetch: the SDK's own helper (files.upload, and
// lib/upload) also fails from CommonJS on Node 20, sending a file stream without `duplex` ("RequestInit: duplex
// option is required when sending a body"). The file is then read back with the SDK.
const { readFileSync } = require("node:fs");
const path = require("node:path");
const Together = require("together-ai").default;

async function upload(client, base, file) {
  const params = new URLSearchParams({ file_name: path.basename(file), file_type: "jsonl", purpose: "fine-tune" });
  const started = await fetch(`${base}/files?${params}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Bearer ${client.apiKey}` },
    body: params.toString(),
    redirect: "manual",
  });
  const id = started.headers.get("x-together-file-id");
  if (started.status !== 302 || !id) throw new Error(`upload step 1 answered ${started.status}`);
  const put = await fetch(started.headers.get("location"), { method: "PUT", body: readFileSync(file) });
  if (put.status !== 200) throw new Error(`upload step 2 answered ${put.status}`);
  return client.files.retrieve(id);
}

const [base, file] = process.argv.slice(2);
const client = new Together({ apiKey: "together-key", baseURL: base, maxRetries: 0 });

async function main() {
  const uploaded = await upload(client, base, file);
  const created = await client.fineTuning.create({
    model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
    training_file: uploaded.id,
    n_epochs: 2,
    suffix: "sdk",
    training_type: { type: "Lora", lora_r: 8, lora_alpha: 16 },
  });
  const deadline = Date.now() + 120_000;
  let job = created;
  while (!["completed", "error", "cancelled"].includes(job.status)) {
    if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
    job = await client.fineTuning.retrieve(created.id);
  }
  const events = await client.fineTuning.listEvents(job.id);
  const model = job.output_name ?? job.model_output_name;
  const chat = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: "Tell me about Neon" }],
    max_tokens: 20,
  });
  console.log(
    JSON.stringify({
      file: uploaded.id,
      bytes: uploaded.bytes,
      created: created.status,
      status: job.status,
      model,
      events: events.data.length,
      answer: chat.choices[0].message.content,
    }),
  );
}
main().catch((err) => {
  console.error(err && err.message ? err.message : JSON.stringify(err));
  process.exit(1);
});
