#!/usr/bin/env node
// A reference point between the baseline and the CLI: the shared scan (format checks + token counting) as the
// local provider runs it at `validating_files` (validateTrainingFile from dist/), on one thread, with no CLI, no
// config loading and no worker threads. It shows what one core does per MB.
//
// Usage: node bench/check-lines.mjs FILE   (prints the verdict as JSON)

import { readFileSync } from "node:fs";

const file = process.argv[2];
const { validateTrainingFile } = await import(new URL("../dist/data/validate-file.js", import.meta.url).href);

const verdict = await validateTrainingFile(readFileSync(file), {
  method: "supervised",
  model: "gpt-4o-mini-2024-07-18",
  purpose: "training",
});
console.log(JSON.stringify({ ok: verdict.ok, examples: verdict.examples, tokens: verdict.ok ? verdict.tokens : null }));
if (!verdict.ok) process.exitCode = 1;
