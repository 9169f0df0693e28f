import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DigestSet } from "../../src/data/digest-set.js";

const digest = (n: number) => createHash("sha256").update(String(n)).digest();

describe("DigestSet", () => {
  it("adds each digest once, across many growths", () => {
    const set = new DigestSet();
    for (let i = 0; i < 20_000; i++) expect(set.add(digest(i))).toBe(true);
    for (let i = 0; i < 20_000; i += 7) expect(set.add(digest(i))).toBe(false);
    expect(set.add(digest(20_000))).toBe(true);
  });

  it("compares 16 bytes, from any offset of a buffer, and handles the all-zero digest", () => {
    const set = new DigestSet();
    const a = Buffer.alloc(40, 1);
    const b = Buffer.from(a);
    b[20] = 2; // byte 15 of the view at offset 5: differs within the 16 bytes compared
    expect(set.add(a.subarray(5))).toBe(true);
    expect(set.add(b.subarray(5))).toBe(true);
    b[20] = 1;
    b[30] = 9; // beyond the 16 bytes: ignored
    expect(set.add(b.subarray(5))).toBe(false);
    expect([set.add(Buffer.alloc(32)), set.add(Buffer.alloc(32))]).toEqual([true, false]);
  });
});
