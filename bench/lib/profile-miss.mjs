// When a row misses its target, profile the command once more under `node --cpu-prof` and attach the summary
// (top frames by self time, self time per file) to the row, so RESULTS.md can say why with a measured profile.

import { formatSummary, profileCommand } from "../profile.mjs";

/** Profiles `tunefile <args>` in `cwd` if `r` missed its target and profiling is on (off with --quick). */
export function profileIfMissed(ctx, r, args, cwd, env) {
  if (!ctx.profileMisses || r.targetMet !== false) return;
  ctx.log(`target missed: profiling tunefile ${args.join(" ")}`);
  const { code, summaries } = profileCommand(args, { cwd, top: 12, bin: ctx.bin, ...(env ? { env } : {}) });
  r.profile = { command: `tunefile ${args.join(" ")}`, exitCode: code, threads: summaries };
  for (const s of summaries) ctx.log(formatSummary(s, s.file).replaceAll("\n", "\n  "));
}
