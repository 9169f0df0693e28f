import { summarise } from "../../src/eval/summarise.js";
import type { EvalCandidate, EvalCell, EvalPrompt, EvalResults } from "../../src/eval/types.js";

/**
 * A fixed evaluation: three prompts, base vs fine_tuned, graded by icontains and lines. The statistics are computed
 * by the real code from these cells; only the answers and latencies are made up (it is a report-rendering fixture).
 */
export function fixedResults(): EvalResults {
  const candidates: EvalCandidate[] = [
    { label: "base", kind: "base", model: "gpt-4o-mini-2024-07-18" },
    { label: "fine_tuned", kind: "fine_tuned", model: "ft:gpt-4o-mini-2024-07-18:local:elle:abc123" },
  ];
  const graders = (element: string) => [
    { config: { icontains: element }, group: 'icontains "{{element}}"' },
    { config: { lines: { min: 5, max: 5, split: " - " } }, group: 'lines 5..5 split " - "' },
  ];
  const prompts: EvalPrompt[] = ["Neon", "Zinc", "Gold"].map((element) => ({
    id: `tell-me-about-${element.toLowerCase()}`,
    user: `Tell me about ${element}`,
    system: "Elle answers with a limerick",
    vars: { element },
    weight: element === "Gold" ? 2 : 1,
    graders: graders(element),
  }));
  const answers: Record<string, [string, string]> = {
    Neon: [
      "Neon is a noble gas | used in signs.",
      "Neon glows red - In tubes it is fed - A noble gas bright - It shines in the night - Signs light up ahead",
    ],
    Zinc: [
      "Zinc is a metal.",
      "Zinc keeps steel from rust - Galvanised, a must - In pennies it hides - With copper besides - A metal to trust",
    ],
    Gold: ["Gold - is - yellow", "Gold is soft and it shines"],
  };
  const cells: EvalCell[] = [];
  for (const p of prompts) {
    const element = p.vars.element!;
    candidates.forEach((c, i) => {
      const output = answers[element]![i]!;
      const lines = output.split(" - ").filter((l) => l.trim() !== "").length;
      const has = output.toLowerCase().includes(element.toLowerCase());
      const grades = [
        {
          grader: `icontains "${element}"`,
          group: 'icontains "{{element}}"',
          kind: "icontains",
          pass: has,
          reason: has ? `found "${element}"` : `missing "${element}"`,
        },
        {
          grader: 'lines 5..5 split " - "',
          group: 'lines 5..5 split " - "',
          kind: "lines",
          pass: lines === 5,
          reason: `${lines} line${lines === 1 ? "" : "s"}`,
        },
      ];
      cells.push({
        prompt: p.id,
        candidate: c.label,
        output,
        finish_reason: "stop",
        usage: { prompt_tokens: 20 + i, completion_tokens: 10 + 5 * i },
        latency_ms: 100 + 10 * i + output.length,
        cached: false,
        grades,
        pass: grades.every((g) => g.pass),
      });
    });
  }
  return {
    version: 1,
    pipeline: "elle",
    description: "Elle answers questions about chemical elements with a limerick.",
    provider: { kind: "local", base_url: "http://127.0.0.1:1/v1" },
    fingerprint: "f".repeat(64),
    params: { temperature: 0, max_completion_tokens: 120 },
    candidates,
    prompts,
    cells,
    summary: summarise(candidates, prompts, cells, { candidate: "fine_tuned", min_pass_rate: 0.5, must_beat: "base" }),
  };
}
