import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Encoding } from "../../core/catalog/models.js";

/**
 * An encoding's byte-pair ranks as one flat, read-only table in a SharedArrayBuffer: built once per process from
 * the `.tiktoken` file that gpt-tokenizer ships (the same file tiktoken downloads), then handed to every worker
 * thread, which reads it in place. Compiling gpt-tokenizer's own tables cost each worker about half a second and
 * tens of MB of heap; this table is about 4.5 MB for o200k_base, shared, and outside every heap.
 *
 * Layout, in 32-bit words: [ranks, slotBits] header, then `2^slotBits` hash slots (rank + 1, 0 = empty), then
 * `ranks + 1` byte offsets into the token bytes that follow (token `r` is bytes[offsets[r], offsets[r + 1])).
 */
export type RankTable = SharedArrayBuffer;

const HEADER_WORDS = 2;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const built = new Map<Encoding, RankTable>();

/** The table of an encoding, built on first use in this thread (workers get theirs through {@link adoptRankTable}). */
export function rankTable(encoding: Encoding): RankTable {
  let table = built.get(encoding);
  if (!table) {
    table = buildRankTable(readTiktokenFile(encoding));
    built.set(encoding, table);
  }
  return table;
}

/** Uses a table built by another thread instead of building one here (the first one given, for good). */
export function adoptRankTable(encoding: Encoding, table: RankTable): void {
  if (!built.has(encoding)) built.set(encoding, table);
}

function readTiktokenFile(encoding: Encoding): Buffer {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve(`gpt-tokenizer/data/${encoding}.tiktoken`));
}

/** Parses `base64 rank` lines into a table. */
function buildRankTable(file: Uint8Array): RankTable {
  // Typed columns, not an object per token: 200,000 small objects cost more in garbage collection than the parse.
  let lines = 1;
  for (let at = file.indexOf(0x0a); at !== -1; at = file.indexOf(0x0a, at + 1)) lines++;
  const starts = new Int32Array(lines);
  const ends = new Int32Array(lines);
  const ranksOf = new Int32Array(lines);
  let count = 0;
  let maxRank = -1;
  for (let at = 0; at < file.length; ) {
    let lineEnd = file.indexOf(0x0a, at);
    if (lineEnd === -1) lineEnd = file.length;
    const space = file.indexOf(0x20, at);
    if (space !== -1 && space < lineEnd) {
      let rank = 0;
      for (let i = space + 1; i < lineEnd; i++) rank = rank * 10 + (file[i]! - 48);
      starts[count] = at;
      ends[count] = space;
      ranksOf[count++] = rank;
      if (rank > maxRank) maxRank = rank;
    }
    at = lineEnd + 1;
  }
  const ranks = maxRank + 1;
  const lengths = new Uint32Array(ranks);
  let tokenBytes = 0;
  for (let e = 0; e < count; e++) {
    const length = decodedLength(file, starts[e]!, ends[e]!);
    lengths[ranksOf[e]!] = length;
    tokenBytes += length;
  }
  let slotBits = 1;
  while (1 << slotBits < count * 2.5) slotBits++;
  const slotCount = 1 << slotBits;
  const words = HEADER_WORDS + slotCount + ranks + 1;
  const sab = new SharedArrayBuffer(words * 4 + tokenBytes);
  const header = new Uint32Array(sab, 0, words);
  header[0] = ranks;
  header[1] = slotBits;
  // Offsets by rank, so each token's bytes are found from its rank alone; ranks without a token stay empty.
  const offsets = new Uint32Array(sab, (HEADER_WORDS + slotCount) * 4, ranks + 1);
  for (let r = 0; r < ranks; r++) offsets[r + 1] = offsets[r]! + lengths[r]!;
  const bytes = new Uint8Array(sab, words * 4);
  const slots = new Uint32Array(sab, HEADER_WORDS * 4, slotCount);
  for (let e = 0; e < count; e++) {
    const rank = ranksOf[e]!;
    const from = offsets[rank]!;
    decodeBase64(file, starts[e]!, ends[e]!, bytes, from);
    let slot = hashBytes(bytes, from, offsets[rank + 1]!) & (slotCount - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (slotCount - 1);
    slots[slot] = rank + 1;
  }
  return sab;
}

/** Reads a {@link RankTable}: the rank of a byte string, or -1. */
export class RankReader {
  private readonly slots: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly bytes: Uint8Array;
  private readonly mask: number;

  constructor(table: RankTable) {
    const header = new Uint32Array(table, 0, HEADER_WORDS);
    const ranks = header[0]!;
    const slotCount = 1 << header[1]!;
    this.mask = slotCount - 1;
    this.slots = new Uint32Array(table, HEADER_WORDS * 4, slotCount);
    this.offsets = new Uint32Array(table, (HEADER_WORDS + slotCount) * 4, ranks + 1);
    this.bytes = new Uint8Array(table, (HEADER_WORDS + slotCount + ranks + 1) * 4);
  }

  rank(key: Uint8Array, start: number, end: number): number {
    const length = end - start;
    for (let slot = hashBytes(key, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      const from = this.offsets[entry - 1]!;
      if (this.offsets[entry]! - from !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (this.bytes[from + i] !== key[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return entry - 1;
    }
  }
}

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash >>> 0;
}

const BASE64 = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
})();

function decodedLength(src: Uint8Array, start: number, end: number): number {
  let padding = 0;
  if (src[end - 1] === 0x3d) padding++;
  if (src[end - 2] === 0x3d) padding++;
  return ((end - start) / 4) * 3 - padding;
}

function decodeBase64(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void {
  let bits = 0;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = BASE64[src[i]!]!;
    if (digit < 0) break;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >>> bits) & 0xff;
    }
  }
}
