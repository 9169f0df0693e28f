// Loaded with `node --import` only where GNU time is missing: the child reports its own peak RSS and CPU time
// in GNU time's "%M %U %S" format (KB, seconds, seconds), so bench/lib/measure.mjs reads one format either way.
import { writeFileSync } from "node:fs";

const file = process.env.TUNEFILE_BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`);
  });
}
