#!/usr/bin/env node
// Deterministic generator of chat fine-tuning JSONL for the benchmarks.
//
// The text is deliberately not all ASCII (accents, Cyrillic, CJK, Arabic, Devanagari, emoji with ZWJ sequences and
// flags, JSON escapes), because tokenizers and UTF-8 decoding are slower on such text than on English, and a
// benchmark on ASCII alone would flatter the pipeline. Every example is valid in the OpenAI chat format
// (plain turns, multi-turn with `weight`, content-part arrays, and tool calls).
//
// Usage: node bench/gen-jsonl.mjs --mb 50 [--seed 1] [--out file.jsonl] [--simple]
// Without --out, the file goes to the bench cache in the OS temp dir (see benchCacheDir) and is reused.

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Bump when the output changes, so cached files from an older generator are not reused. */
export const GENERATOR_VERSION = 1;

/** Where generated data is cached between runs (never inside the repository). */
export function benchCacheDir() {
  const dir = join(tmpdir(), "tunefile-bench");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** mulberry32: tiny, fast and deterministic; quality is ample for picking words. */
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = {
  en: "the element metal gas atom bond energy electron proton water carbon gold silver reacts quickly under pressure with bright flame noble stable heavy light table group period".split(
    " ",
  ),
  fr: "élément métal où déjà été château garçon cœur naïve français réaction forêt hôpital île Noël façade".split(" "),
  de: "Größe Straße über schön Mädchen Bäume Wärme Säure Lösung Übung Schlüssel fließen".split(" "),
  es: "niño año corazón mañana ¿qué? ¡hola! oxígeno número química reacción pequeño".split(" "),
  ru: "привет мир химия элемент золото серебро водород кислород реакция металл".split(" "),
  ja: "こんにちは 元素 金属 水素 ありがとう 周期表 化学反応 酸素 ナトリウム".split(" "),
  zh: "你好 化学 元素 氧气 黄金 周期表 金属 反应 稳定 原子".split(" "),
  ar: "مرحبا عنصر كيمياء ذهب ماء تفاعل".split(" "),
  hi: "नमस्ते तत्व रसायन सोना पानी अभिक्रिया".split(" "),
  emoji: "🧪 ⚗️ 🔥 💧 ✨ 👩‍🔬 🇫🇷 🇯🇵 😀 🧲 ☢️ 🌍".split(" "),
  sym: 'H₂O CO₂ 3.14 1e-9 Na⁺ Cl⁻ 25°C ≈ → ½ "quoted" back\\slash tab\there'.split(" "),
};
const LANGS = Object.keys(WORDS);
// Mostly English, like real data, with a steady share of everything else.
const LANG_WEIGHTS = [0.45, 0.08, 0.06, 0.06, 0.07, 0.06, 0.06, 0.03, 0.03, 0.05, 0.05];

function pickLang(rng) {
  let r = rng();
  for (let i = 0; i < LANGS.length; i++) {
    r -= LANG_WEIGHTS[i];
    if (r <= 0) return LANGS[i];
  }
  return "en";
}

function sentence(rng, minWords, maxWords) {
  const n = minWords + Math.floor(rng() * (maxWords - minWords + 1));
  const parts = [];
  let lang = pickLang(rng);
  for (let i = 0; i < n; i++) {
    if (rng() < 0.15) lang = pickLang(rng);
    const pool = WORDS[lang];
    parts.push(pool[Math.floor(rng() * pool.length)]);
  }
  // Newlines inside content exercise JSON escapes and the " - " line splitting graders use.
  return `${parts.join(" ")}${rng() < 0.2 ? "\n" : "."}`;
}

function paragraph(rng, sentences) {
  const out = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(rng, 4, 16));
  return out.join(" ");
}

const TOOLS = [
  {
    type: "function",
    function: {
      name: "lookup_element",
      description: "Look up a chemical element's properties",
      parameters: { type: "object", properties: { symbol: { type: "string" } }, required: ["symbol"] },
    },
  },
];

/**
 * One example. `simple` gives only string content and system/user/assistant roles (what the trainer accepts);
 * otherwise about 1 in 5 examples uses multi-turn weights, content-part arrays or tool calls.
 */
export function makeExample(rng, index, simple = false) {
  const messages = [];
  if (rng() < 0.6) messages.push({ role: "system", content: paragraph(rng, 1) });
  const kind = simple ? 0 : rng();
  if (kind < 0.8) {
    messages.push({ role: "user", content: paragraph(rng, 1 + Math.floor(rng() * 2)) });
    messages.push({ role: "assistant", content: paragraph(rng, 2 + Math.floor(rng() * 6)) });
    return { messages };
  }
  if (kind < 0.9) {
    const turns = 2 + Math.floor(rng() * 3);
    for (let t = 0; t < turns; t++) {
      messages.push({ role: "user", content: paragraph(rng, 1) });
      const last = t === turns - 1;
      messages.push({ role: "assistant", content: paragraph(rng, 2), weight: last ? 1 : rng() < 0.5 ? 0 : 1 });
    }
    return { messages };
  }
  if (kind < 0.95) {
    messages.push({
      role: "user",
      content: [
        { type: "text", text: paragraph(rng, 1) },
        { type: "text", text: paragraph(rng, 1) },
      ],
    });
    messages.push({ role: "assistant", content: paragraph(rng, 3) });
    return { messages };
  }
  const callId = `call_${index.toString(36)}`;
  messages.push({ role: "user", content: paragraph(rng, 1) });
  messages.push({
    role: "assistant",
    tool_calls: [
      {
        id: callId,
        type: "function",
        function: { name: "lookup_element", arguments: JSON.stringify({ symbol: "Au" }) },
      },
    ],
  });
  messages.push({ role: "tool", tool_call_id: callId, content: JSON.stringify({ name: "金 gold", number: 79 }) });
  messages.push({ role: "assistant", content: paragraph(rng, 2) });
  return { messages, tools: TOOLS };
}

/** `count` examples as objects (for the trainer benchmark, which needs no file). */
export function generateExamples(count, { seed = 1, simple = true } = {}) {
  const rng = makeRng(seed);
  const out = [];
  for (let i = 0; i < count; i++) out.push(makeExample(rng, i, simple));
  return out;
}

/**
 * Writes at least `bytes` bytes of JSONL (whole lines) to `path`, atomically (temp file, rename).
 * Returns { path, bytes, examples }.
 */
export function writeJsonl(path, bytes, { seed = 1, simple = false } = {}) {
  const rng = makeRng(seed);
  const tmp = `${path}.partial-${process.pid}`;
  const fd = openSync(tmp, "w");
  const CHUNK = 4 * 1024 * 1024;
  let pending = [];
  let pendingBytes = 0;
  let written = 0;
  let examples = 0;
  try {
    while (written + pendingBytes < bytes) {
      const line = `${JSON.stringify(makeExample(rng, examples, simple))}\n`;
      examples++;
      pending.push(line);
      pendingBytes += Buffer.byteLength(line);
      if (pendingBytes >= CHUNK) {
        written += writeSync(fd, pending.join(""));
        pending = [];
        pendingBytes = 0;
      }
    }
    if (pending.length > 0) written += writeSync(fd, pending.join(""));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path, bytes: written, examples };
}

/** The cached file for (megabytes, seed), generated on first use. */
export function cachedJsonl(megabytes, { seed = 1, simple = false } = {}) {
  const base = join(benchCacheDir(), `chat-${megabytes}mb-seed${seed}${simple ? "-simple" : ""}-v${GENERATOR_VERSION}`);
  const path = `${base}.jsonl`;
  const metaPath = `${base}.meta.json`;
  if (existsSync(path) && existsSync(metaPath)) return JSON.parse(readFileSync(metaPath, "utf8"));
  const meta = writeJsonl(path, megabytes * 1024 * 1024, { seed, simple });
  writeFileSync(metaPath, JSON.stringify(meta));
  return meta;
}

function parseArgs(argv) {
  const args = { mb: 50, seed: 1, out: undefined, simple: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--mb") args.mb = Number(argv[++i]);
    else if (a === "--seed") args.seed = Number(argv[++i]);
    else if (a === "--out") args.out = argv[++i];
    else if (a === "--simple") args.simple = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const meta = args.out
    ? writeJsonl(args.out, args.mb * 1024 * 1024, { seed: args.seed, simple: args.simple })
    : cachedJsonl(args.mb, { seed: args.seed, simple: args.simple });
  const secs = (performance.now() - started) / 1000;
  console.log(`${meta.path}: ${meta.examples} examples, ${(meta.bytes / 1e6).toFixed(1)} MB in ${secs.toFixed(1)} s`);
}
