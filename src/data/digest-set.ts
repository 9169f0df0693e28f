/**
 * A set of 128-bit digests (the first 16 bytes of a sha256) in one typed array with open addressing: 16 to 32
 * bytes a member, against about 70 for a Set of strings. Dedupe of a large file keeps one per example.
 */
export class DigestSet {
  private table = new Uint32Array(4 * 1024);
  private used = 0;
  /** Whether the all-zero digest was added; zero marks an empty slot in the table. */
  private hasZero = false;

  /** Adds the digest's first 16 bytes; returns false when they were already present. */
  add(digest: Uint8Array): boolean {
    const view = new DataView(digest.buffer, digest.byteOffset, 16);
    const a = view.getUint32(0);
    const b = view.getUint32(4);
    const c = view.getUint32(8);
    const d = view.getUint32(12);
    if ((a | b | c | d) === 0) {
      const fresh = !this.hasZero;
      this.hasZero = true;
      return fresh;
    }
    if ((this.used + 1) * 4 > (this.table.length / 4) * 3) this.grow();
    return this.insert(this.table, a, b, c, d);
  }

  private insert(table: Uint32Array, a: number, b: number, c: number, d: number): boolean {
    const mask = table.length / 4 - 1;
    // sha256 bits are uniform: the first word is as good a hash as any.
    let slot = a & mask;
    for (;;) {
      const at = slot * 4;
      if ((table[at]! | table[at + 1]! | table[at + 2]! | table[at + 3]!) === 0) {
        table[at] = a;
        table[at + 1] = b;
        table[at + 2] = c;
        table[at + 3] = d;
        if (table === this.table) this.used++;
        return true;
      }
      if (table[at] === a && table[at + 1] === b && table[at + 2] === c && table[at + 3] === d) return false;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const table = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 4) {
      if ((old[at]! | old[at + 1]! | old[at + 2]! | old[at + 3]!) !== 0) {
        this.insert(table, old[at]!, old[at + 1]!, old[at + 2]!, old[at + 3]!);
      }
    }
    this.table = table;
  }
}
