import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical-json.js";
import { changedParts, computeFingerprint } from "../../src/engine/fingerprint.js";
import { fingerprintStage } from "../../src/engine/plan.js";
import { loadedPipeline, testStage } from "./fixtures.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth, keeps array order, drops undefined members, has no whitespace", () => {
    const a = canonicalJson({ b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: "x", gone: undefined } });
    expect(a).toBe('{"a":{"c":"x","d":[3,1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: { c: "x", d: [3, 1, { y: 2, z: 1 }] }, b: 1 })).toBe(a);
  });

  it("is the same for any key order and round-trips through JSON.parse (property)", () => {
    const reversed = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(reversed);
      if (v !== null && typeof v === "object") {
        return Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .reverse()
            .map(([k, x]) => [k, reversed(x)]),
        );
      }
      return v;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reversed(value))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(text).not.toMatch(/^\s|\s$/);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("refuses values without a faithful JSON form instead of colliding", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

describe("computeFingerprint", () => {
  const base = {
    stage: "train" as const,
    version: 1,
    input: { config: { hyperparameters: { n_epochs: 3, batch_size: "auto" }, suffix: "elle" } },
    upstream: { prepare: "a".repeat(64), upload: "b".repeat(64) },
  };

  it("is stable: a pinned value for a pinned input, whatever the key order", () => {
    const fp = computeFingerprint(base);
    // Pinned so that an accidental change of the canonical form (which would make every user's stages stale) fails.
    expect(fp.value).toBe(
      computeFingerprint({
        ...base,
        input: { config: { suffix: "elle", hyperparameters: { batch_size: "auto", n_epochs: 3 } } },
      }).value,
    );
    // sha256 of {"config":{"hyperparameters":{"batch_size":"auto","n_epochs":3},"suffix":"elle"},"files":{},
    // "provider":null,"stage":"train","upstream":{...},"version":1}, computed independently with node:crypto.
    expect(fp.value).toBe("26fab78afa87cd678655e32aed4cf0bc82d141a848c48fd02b99d9fb7362c81a");
  });

  it("changes with the config, the version, the files, the upstream and the provider, and names the part", () => {
    const fp = computeFingerprint(base);
    const variants = {
      "config.hyperparameters": {
        ...base,
        input: { config: { ...base.input.config, hyperparameters: { n_epochs: 4 } } },
      },
      version: { ...base, version: 2 },
      "file:data/train.jsonl": { ...base, input: { ...base.input, files: { "data/train.jsonl": "c".repeat(64) } } },
      "upstream.upload": { ...base, upstream: { ...base.upstream, upload: "d".repeat(64) } },
      provider: { ...base, provider: { kind: "local" as const, base_url: "http://127.0.0.1:1/v1" } },
    };
    for (const [part, material] of Object.entries(variants)) {
      const other = computeFingerprint(material);
      expect(other.value, part).not.toBe(fp.value);
      expect(changedParts(fp.parts, other.parts), part).toEqual([part]);
    }
  });

  it("refuses absolute file keys, which would differ between clones", () => {
    expect(() =>
      computeFingerprint({ ...base, input: { config: {}, files: { "/home/me/x.jsonl": "e".repeat(64) } } }),
    ).toThrow(/must be relative/);
  });

  it("lists own changes before upstream ones, upstream in stage order", () => {
    expect(
      changedParts(
        { "config.a": "1", "upstream.upload": "1", "upstream.prepare": "1" },
        { "config.a": "2", "upstream.upload": "2", "upstream.prepare": "2" },
      ),
    ).toEqual(["config.a", "upstream.prepare", "upstream.upload"]);
  });
});

describe("fingerprintStage", () => {
  it("cascades down: an upstream fingerprint change changes the stage; the provider counts only with usesProvider", async () => {
    const pipeline = loadedPipeline("/somewhere/else");
    const plain = testStage("evaluate", { config: { prompts: 1 } });
    const remote = testStage("upload", { config: { purpose: "fine-tune" }, usesProvider: true });
    const local = { kind: "local" as const, base_url: "http://127.0.0.1:9/v1" };
    const openai = { kind: "openai" as const, base_url: "https://api.openai.com/v1" };
    const up1 = { prepare: "1".repeat(64) };
    const up2 = { prepare: "2".repeat(64) };

    const e1 = await fingerprintStage(plain, pipeline, {}, up1, local);
    expect((await fingerprintStage(plain, pipeline, {}, up1, openai)).value).toBe(e1.value);
    expect((await fingerprintStage(plain, pipeline, {}, up2, local)).value).not.toBe(e1.value);

    const u1 = await fingerprintStage(remote, pipeline, {}, up1, local);
    const u2 = await fingerprintStage(remote, pipeline, {}, up1, openai);
    expect(u2.value).not.toBe(u1.value);
    expect(changedParts(u1.parts, u2.parts)).toEqual(["provider"]);
  });

  it("does not depend on where the project lives (no absolute paths)", async () => {
    const stage = testStage("prepare", { config: { train: "data/train.jsonl" } });
    const a = await fingerprintStage(stage, loadedPipeline("/tmp/a"), {}, {}, undefined);
    const b = await fingerprintStage(stage, loadedPipeline("/var/other/b"), {}, {}, undefined);
    expect(a).toEqual(b);
  });
});
