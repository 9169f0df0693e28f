// The official together-ai SDK, from CommonJS (its upload helper fails from ES modules), against the local server's
// Together dialect: upload through the redirect flow, create a LoRA job, follow it to `completed`, list its events,
// and chat with its model_output_name. Usage: TOGETHER_API_BASE_URL=<base> node sdk.cjs <base> <training.jsonl>.
// Prints one JSON line.
//
// The upload is the SDK's own helper (client.files.upload). On Node 20 it sends a file stream without `duplex`, which
// Node's fetch refuses ("RequestInit: duplex option is required when sending a body"), so the one shim here adds
// `duplex: "half"` to stream bodies; nothing else is changed. The helper reads its base URL from
// TOGETHER_API_BASE_URL, not from the client, so the test sets that variable.
const nodeFetch = globalThis.fetch;
globalThis.fetch = (url, init) =>
  nodeFetch(url, init && init.body && typeof init.body.pipe === "function" ? { ...init, duplex: "half" } : init);
const Together = require("together-ai").default;

const [base, file] = process.argv.slice(2);
const client = new Together({ apiKey: "together-key", baseURL: base, maxRetries: 0 });

async function main() {
  const uploaded = await client.files.upload(file, "fine-tune", false);
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
  const model = job.model_output_name;
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
