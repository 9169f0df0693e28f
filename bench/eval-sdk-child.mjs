#!/usr/bin/env node
// The floor for evaluation throughput: the same chat completions the evaluate stage sends (same prompts, models,
// parameters and concurrency), made with the bare `openai` SDK and p-limit, nothing else. The evaluate stage's
// overhead per request is its time beyond this.
//
// Usage: node bench/eval-sdk-child.mjs BASE_URL SPEC_JSON   (prints one JSON line: { requests, wallMs, cpuMs, errors })

import OpenAI from "openai";
import pLimit from "p-limit";

const [baseURL, specJson] = process.argv.slice(2);
/** @type {{ models: string[], system: string, prompts: string[], concurrency: number, params: object }} */
const spec = JSON.parse(specJson);
const client = new OpenAI({ baseURL, apiKey: "bench", maxRetries: 0 });
const limit = pLimit(spec.concurrency);

const tasks = spec.prompts.flatMap((user) => spec.models.map((model) => ({ model, user })));
let errors = 0;
let firstError;
const started = performance.now();
const cpuStart = process.cpuUsage();
await Promise.all(
  tasks.map(({ model, user }) =>
    limit(async () => {
      try {
        const c = await client.chat.completions.create({
          model,
          messages: [
            { role: "system", content: spec.system },
            { role: "user", content: user },
          ],
          ...spec.params,
        });
        if (typeof c.choices[0]?.message.content !== "string") throw new Error("no content");
      } catch (err) {
        errors++;
        firstError ??= String(err?.message ?? err);
      }
    }),
  ),
);
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ requests: tasks.length, wallMs, cpuMs, errors, firstError }));
