#!/usr/bin/env node
// A reference point between the baseline and the CLI: the shared format checks and token counting
// (validateTrainingLines from dist/, the code the local provider runs at `validating_files`) on one thread,
// with no CLI, no config loading and no worker threads. It shows what one core does per MB.
//
// Usage: node bench/check-lines.mjs FILE   (prints the verdict as JSON)

import { createReadStream } from "node:fs";

const file = process.argv[2];
const { validateTrainingLines } = await import(new URL("../dist/data/format-checks/index.js", import.meta.url).href);

// A generator, not readline: readline starts emitting before the consumer attaches and would drop lines while
// validateTrainingLines awaits its tokenizer import.
async function* lines() {
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const parts = (rest + decoder.decode(chunk, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    yield* parts;
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}

const verdict = await validateTrainingLines(lines(), {
  method: "supervised",
  model: "gpt-4o-mini-2024-07-18",
  purpose: "training",
});
console.log(JSON.stringify({ ok: verdict.ok, examples: verdict.examples, tokens: verdict.tokens }));
if (!verdict.ok) process.exitCode = 1;
