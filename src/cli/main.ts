import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { readProcessEnv } from "../core/env.js";
import { type CliIo, EXIT } from "./io.js";

/**
 * The command table. Each command lives in its own thin file and is imported only when it runs, so
 * `tunefile --version` stays fast (no SDK, no ajv, no listr2 loaded). The flags' types are inferred from these
 * definitions (@commander-js/extra-typings) and checked against each command's own argument type.
 */
const VERSION = "0.1.0";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("tunefile")
    .description("Declarative, resumable fine-tuning pipelines for chat models")
    .version(VERSION, "-v, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  program
    .command("init")
    .description("write a commented starter pipeline")
    .argument("[file]", "where to write it", "pipelines/pipeline.yaml")
    .option("--force", "overwrite an existing file")
    .action(async (file, opts) => setExit(await (await import("./init.js")).default({ file, ...opts }, io)));

  program
    .command("validate")
    .description("check the pipeline file and its data; print dataset statistics")
    .argument("<pipeline>")
    .option("--json", "print diagnostics and statistics as JSON")
    .option("-S, --set <key=value>", "override a pipeline value (repeatable)", collect)
    .action(async (pipeline, opts) =>
      setExit(await (await import("./validate.js")).default({ pipeline, ...opts }, io)),
    );

  program
    .command("plan")
    .description("show what run would do per stage, and why, with the cost estimate")
    .argument("<pipeline>")
    .option("--json", "print the plan as JSON")
    .option("--provider <kind>", "override the provider")
    .option("-S, --set <key=value>", "override a pipeline value (repeatable)", collect)
    .action(async (pipeline, opts) => setExit(await (await import("./plan.js")).default({ pipeline, ...opts }, io)));

  program
    .command("run")
    .description("run the stale stages")
    .argument("<pipeline>")
    .addOption(new Option("--only <stage>", "run only this stage"))
    .addOption(new Option("--from <stage>", "rerun from this stage on"))
    .option("--force", "rerun stages even when fresh")
    .option("--detach", "return once the training job exists")
    .option("--provider <kind>", "override the provider")
    .option("-S, --set <key=value>", "override a pipeline value (repeatable)", collect)
    .option("--yes", "proceed past the budget prompt")
    .option("--json", "print NDJSON events")
    .action(async (pipeline, opts) => setExit(await (await import("./run.js")).default({ pipeline, ...opts }, io)));

  program
    .command("status")
    .description("show the state of each stage (and remote progress)")
    .argument("<pipeline>")
    .option("--json", "print as JSON")
    .option("--provider <kind>", "override the provider")
    .action(async (pipeline, opts) => setExit(await (await import("./status.js")).default({ pipeline, ...opts }, io)));

  program
    .command("watch")
    .description("re-attach to a running training job or evaluation batches")
    .argument("<pipeline>")
    .option("--provider <kind>", "override the provider")
    .option("-S, --set <key=value>", "override a pipeline value, as given to run (repeatable)", collect)
    .option("--json", "print NDJSON events")
    .action(async (pipeline, opts) => setExit(await (await import("./watch.js")).default({ pipeline, ...opts }, io)));

  program
    .command("cancel")
    .description("cancel the remote training job and record it")
    .argument("<pipeline>")
    .option("--provider <kind>", "override the provider")
    .action(async (pipeline, opts) => setExit(await (await import("./cancel.js")).default({ pipeline, ...opts }, io)));

  program
    .command("report")
    .description("write the reports again from recorded results")
    .argument("<pipeline>")
    .option("--open", "open report.html in a browser")
    .action(async (pipeline, opts) => setExit(await (await import("./report.js")).default({ pipeline, ...opts }, io)));

  program
    .command("rollback")
    .description("move the deploy alias back one step")
    .argument("<pipeline>")
    .action(async (pipeline) => setExit(await (await import("./rollback.js")).default({ pipeline }, io)));

  program
    .command("serve")
    .description("run the built-in OpenAI-compatible local provider")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0: any free port)", "8787")
    .option("--state <dir>", "state directory", ".tunefile/local")
    .option("--api-key <key>", "accept only this API key")
    .option("--step-ms <ms>", "minimum wall time per training step (TUNEFILE_LOCAL_STEP_MS)")
    .option("--batch-ms <ms>", "minimum wall time per request of a batch in progress (TUNEFILE_LOCAL_BATCH_MS)")
    .option(
      "--batch-tokens <n>",
      "enqueued-token limit per model for batches, 0 for none (TUNEFILE_LOCAL_BATCH_TOKENS)",
    )
    .option("--faults <spec>", "fault injection, e.g. rate=0.2,seed=7,kinds=429|500 (TUNEFILE_LOCAL_FAULTS)")
    .action(async (opts) => setExit(await (await import("./serve.js")).default(opts, io)));

  program
    .command("schema")
    .description("print the pipeline JSON Schema")
    .option("--lockfile", "print the lockfile schema instead")
    .action(async (opts) => setExit(await (await import("./schema.js")).default(opts, io)));

  return program;
}

/** Entry point: the only place that sets the process exit code. */
export async function main(argv: string[]): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts += 1;
    // The first signal asks for a clean stop (lockfile consistent, remote job left running); a second one forces.
    if (interrupts > 1) process.exit(EXIT.interrupted);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const io: CliIo = {
    cwd: process.cwd(),
    env: readProcessEnv(),
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdout.isTTY),
    signal: controller.signal,
  };
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; usage errors with 1, which we map to 2.
      exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.invalid;
    } else {
      io.stderr.write(`tunefile: internal error, please report: ${(err as Error)?.stack ?? String(err)}\n`);
      exitCode = EXIT.failure;
    }
  }
  process.removeListener("SIGINT", onSignal);
  process.removeListener("SIGTERM", onSignal);
  process.exitCode = exitCode;
}
