import { summarise } from "../../src/eval/stats/summary.js";
import type { EvalCandidate, EvalCell, EvalPrompt, EvalResults } from "../../src/eval/types.js";
import { parseMetricsCsv } from "../../src/report/metrics.js";
import { trainingFacts } from "../../src/report/training-facts.js";

/** Six logged steps where validation loss bottoms out at step 4 and then rises (made-up rendering data). */
export const FIXTURE_METRICS = parseMetricsCsv(
  "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,3.2,0.1,3.4,0.1\n2,2.5,0.2,2.6,0.2\n3,1.9,0.35,1.8,0.3\n4,1.2,0.5,1.3,0.45\n5,0.8,0.7,2.2,0.4\n6,0.5,0.8,2.9,0.4\n",
);

/**
 * A fixed evaluation: three prompts, base vs fine_tuned, graded by icontains and lines, one prompt found in the
 * training data, and a training run. The statistics and training facts are computed by the real code from these
 * cells and records; only the answers, latencies and records are made up (it is a report-rendering fixture).
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
  const ft = "ft:gpt-4o-mini-2024-07-18:local:elle:abc123";
  const training = trainingFacts({
    config: { version: 1, name: "elle", model: "gpt-4o-mini-2024-07-18", dataset: { train: "data/elle/train.jsonl" } },
    train: {
      fingerprint: "t".repeat(64),
      status: "succeeded",
      attempts: 1,
      started_at: "2026-11-30T10:00:00.000Z",
      finished_at: "2026-11-30T10:05:00.000Z",
      checkpoint: { provider: { kind: "local", base_url: "local:.tunefile/local" }, job_id: "ftjob-abc" },
      outputs: {
        job_id: "ftjob-abc",
        status: "succeeded",
        base_model: "gpt-4o-mini-2024-07-18",
        fine_tuned_model: ft,
        trained_tokens: 2358,
        checkpoints: [`${ft}:ckpt-step-3`, `${ft}:ckpt-step-6`],
        checkpoint_steps: [
          { model: `${ft}:ckpt-step-3`, step: 3, metrics: { step: 3, train_loss: 1.9, valid_loss: 1.8 } },
          { model: `${ft}:ckpt-step-6`, step: 6, metrics: { step: 6, train_loss: 0.5, valid_loss: 2.9 } },
        ],
        hyperparameters: { n_epochs: 3, batch_size: 1, learning_rate_multiplier: 2 },
        estimated_usd: 0.007074,
        created_at: "2026-11-30T10:00:01.000Z",
        finished_at: "2026-11-30T10:04:13.000Z",
      },
    },
    provider: { kind: "local", base_url: "http://127.0.0.1:1/v1" },
    metrics: FIXTURE_METRICS,
  });
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
    training_overlap: {
      file: ".tunefile/elle/train.jsonl",
      examples: 10,
      prompts: 3,
      matches: [
        {
          prompt: "tell-me-about-gold",
          user: "Tell me about Gold",
          match: "normalised",
          training: { file: ".tunefile/elle/train.jsonl", line: 4 },
        },
      ],
    },
    training,
  };
}
