#!/usr/bin/env node
// The baseline for data throughput: a plain streaming read of a JSONL file, one JSON.parse per line, nothing else.
// Whatever validate or prepare does beyond this (format checks, token counting, writing) shows as the ratio to it.
//
// Usage: node bench/baseline-parse.mjs FILE   (prints "<lines> <bytes>")

import { createReadStream } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node bench/baseline-parse.mjs FILE");
  process.exit(2);
}

const decoder = new TextDecoder("utf-8");
let rest = "";
let lines = 0;
let bytes = 0;
for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
  bytes += chunk.length;
  const text = rest + decoder.decode(chunk, { stream: true });
  const parts = text.split("\n");
  rest = parts.pop() ?? "";
  for (const line of parts) {
    if (line.length === 0) continue;
    JSON.parse(line);
    lines++;
  }
}
rest += decoder.decode();
if (rest.trim().length > 0) {
  JSON.parse(rest);
  lines++;
}
console.log(`${lines} ${bytes}`);
