#!/usr/bin/env node
// Measures, from a run's results.json, whether its comparison says something: how many few-shot answers differ
// from the base model's, how many base answers are distinct once the prompt's subject is masked, the same for the
// fine-tuned model, and each candidate's pass rate.
//
//   npx tunefile run pipelines/elle.yaml && node scripts/measure-local-model.mjs reports/elle/results.json
//
// The subject is each prompt's vars (e.g. {{element}}): every value of every var is replaced by "X", case-insensitively,
// so "Zinc is a metal" and "Iron is a metal" count as one answer.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "reports/elle/results.json";
const results = JSON.parse(readFileSync(file, "utf8"));
const prompts = new Map(results.prompts.map((p) => [p.id, p]));
const byCandidate = new Map();
for (const cell of results.cells) {
  if (!byCandidate.has(cell.candidate)) byCandidate.set(cell.candidate, new Map());
  byCandidate.get(cell.candidate).set(cell.prompt, cell);
}

const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function masked(cell) {
  let text = cell.output ?? "";
  for (const value of Object.values(prompts.get(cell.prompt)?.vars ?? {})) {
    if (String(value).trim()) text = text.replace(new RegExp(literal(String(value)), "gi"), "X");
  }
  return text;
}

const base = byCandidate.get("base");
const n = prompts.size;
console.log(`${file}: ${n} prompts, provider ${results.provider?.kind ?? "?"}`);
for (const [label, cells] of byCandidate) {
  const list = [...cells.values()];
  const passed = list.filter((c) => c.pass).length;
  const distinct = new Set(list.map(masked)).size;
  let line = `  ${label.padEnd(12)} pass ${passed}/${list.length}; distinct answers with the subject masked: ${distinct}/${list.length}`;
  if (base && label !== "base") {
    const differ = list.filter((c) => base.get(c.prompt)?.output !== c.output).length;
    line += `; differ from base: ${differ}/${list.length}`;
  }
  console.log(line);
}
