import { CL100K_TOKEN_SPLIT_REGEX, O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import type { Encoding } from "../../core/catalog/models.js";
import { RankReader, type RankTable } from "./rank-table.js";

/**
 * Counts a text's tokens the way tiktoken encodes it, special tokens counted as ordinary text: split by the
 * encoding's pre-tokenization pattern (gpt-tokenizer's copy of tiktoken's), then each piece is one token when its
 * UTF-8 bytes are one, else byte-pair merged by rank (tiktoken's `_byte_pair_merge`: repeatedly merge the
 * adjacent pair of lowest rank, leftmost first). Only the count is kept, never the tokens.
 */
export function bpeCounter(encoding: Encoding, table: RankTable): (text: string) => number {
  const reader = new RankReader(table);
  // A private copy: exec() moves lastIndex, and the shared regex may be in use elsewhere on this thread.
  const split = new RegExp(encoding === "o200k_base" ? O200K_TOKEN_SPLIT_REGEX : CL100K_TOKEN_SPLIT_REGEX);
  let scratch = new Uint8Array(1024);
  let starts = new Int32Array(1024);
  let ranks = new Int32Array(1024);

  const mergeCount = (length: number): number => {
    if (starts.length < length + 1) {
      starts = new Int32Array(length * 2);
      ranks = new Int32Array(length * 2);
    }
    const pairRank = (i: number, parts: number): number =>
      i + 2 < parts ? rankOrMax(reader, scratch, starts[i]!, starts[i + 2]!) : MAX;
    let parts = length + 1;
    for (let i = 0; i < parts; i++) starts[i] = i;
    for (let i = 0; i < parts; i++) ranks[i] = pairRank(i, parts);
    while (parts > 1) {
      let lowest = MAX;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        if (ranks[i]! < lowest) {
          lowest = ranks[i]!;
          at = i;
        }
      }
      if (at === -1) break;
      starts.copyWithin(at + 1, at + 2, parts);
      ranks.copyWithin(at, at + 1, parts);
      parts--;
      ranks[at] = pairRank(at, parts);
      if (at > 0) ranks[at - 1] = pairRank(at - 1, parts);
    }
    return parts - 1;
  };

  return (text) => {
    let count = 0;
    split.lastIndex = 0;
    for (let m = split.exec(text); m !== null; m = split.exec(text)) {
      const piece = m[0];
      if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
      const length = utf8Into(piece, scratch);
      count += reader.rank(scratch, 0, length) >= 0 ? 1 : mergeCount(length);
    }
    return count;
  };
}

const MAX = 0x7fffffff;

function rankOrMax(reader: RankReader, bytes: Uint8Array, start: number, end: number): number {
  const rank = reader.rank(bytes, start, end);
  return rank < 0 ? MAX : rank;
}

/** UTF-8 bytes of `s` into `out` (large enough: 3 bytes per UTF-16 unit); a lone surrogate becomes U+FFFD. */
function utf8Into(s: string, out: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = s.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 63);
          out[n++] = 0x80 | ((c >> 6) & 63);
          out[n++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}
