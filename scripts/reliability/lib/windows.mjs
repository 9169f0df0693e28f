/**
 * The kill windows: instants inside a stage where one of its side effects is half done. Each window names the
 * child's NDJSON event (`run --json`) that opens it and a seeded random delay after that event; the suite SIGKILLs
 * the runner when the delay has passed. Where the kill lands is decided afterwards, from what the child printed
 * and from the lockfile (lib/landing.mjs), never assumed from the plan.
 *
 * A window may also set the local server's fault injection (TUNEFILE_LOCAL_FAULTS) for the killed run only: a
 * `lost-create` fault makes the server create the object and drop the response, which is the instant between a
 * create returning and its id being recorded, too narrow for a kill to hit from outside. The kill then lands on
 * the retry that follows, with the object on the server and its id nowhere in the lockfile.
 */

/** Draws an integer in [lo, hi] with `rng`. */
const between = (rng, lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));

const isStage = (event, stage) => event.stage === stage;

/**
 * Every window. `make(rng, opts)` draws one plan: `fires(event)` is told each event of the run in order and says
 * when the window opens; `delayMs` is how long after that the kill is sent; `env` is added to the killed run's
 * environment.
 */
export const WINDOWS = [
  {
    name: "prepare:transform",
    stage: "prepare",
    // Prepare reads, transforms and checks the data, then commits train.jsonl and validation.jsonl: about 90 ms
    // after this event on the crash project (in 400 trials at d9a39bb every kill up to 86 ms landed in prepare,
    // every one from 92 ms after it), so the delay stays well inside.
    make: (rng) => ({
      delayMs: between(rng, 0, 60),
      fires: (e) => e.type === "stage-progress" && isStage(e, "prepare"),
    }),
  },
  {
    name: "upload:between-parts",
    stage: "upload",
    // The crash project sends its files in 1 KB parts (4 for train, 2 for validation): the kill follows the k-th
    // part accepted in this run (k = 0: the upload's start), or the last part of the validation file, whichever
    // comes first, so a run that continues an earlier upload is killed too.
    make: (rng) => {
      const k = between(rng, 0, 5);
      let parts = 0;
      return {
        // Parts follow each other about 10 ms apart on an idle machine.
        delayMs: between(rng, 0, 5),
        fires: (e) => {
          if (e.type !== "stage-progress" || !isStage(e, "upload")) return false;
          if (k === 0 && / uploading /.test(e.message)) return true;
          if (e.step === undefined) return false;
          parts += 1;
          return parts >= k || (e.message.startsWith("validation:") && e.step === e.totalSteps);
        },
      };
    },
  },
  {
    name: "upload:lost-create",
    stage: "upload",
    // POST /uploads creates the upload and loses the response; the kill follows the retry.
    make: (rng, { seed }) => ({
      delayMs: between(rng, 0, 20),
      env: { TUNEFILE_LOCAL_FAULTS: `rate=1,seed=${seed},kinds=lost-create,paths=/uploads` },
      fires: (e) => e.type === "retry" && isStage(e, "upload"),
    }),
  },
  {
    name: "train:lost-create",
    stage: "train",
    // POST /fine_tuning/jobs creates the job and loses the response; the kill follows the retry.
    make: (rng, { seed }) => ({
      delayMs: between(rng, 0, 20),
      env: { TUNEFILE_LOCAL_FAULTS: `rate=1,seed=${seed},kinds=lost-create,paths=/fine_tuning/jobs` },
      fires: (e) => e.type === "retry" && isStage(e, "train") && /fine_tuning\.jobs\.create/.test(e.reason),
    }),
  },
  {
    name: "train:monitoring",
    stage: "train",
    // From the moment the job id is recorded (created, adopted or re-attached) to about the end of training.
    make: (rng, { stepMs }) => ({
      delayMs: between(rng, 0, 30 * stepMs + 600),
      fires: (e) => e.type === "stage-log" && isStage(e, "train") && /^(created|adopted|re-attached)/.test(e.message),
    }),
  },
  {
    name: "evaluate:answers",
    stage: "evaluate",
    // After n answers of the total (drawn from 1 to total - 1 at the first answer), with part of them cached.
    make: (rng) => {
      const u = rng();
      let n;
      return {
        delayMs: between(rng, 0, 3),
        fires: (e) => {
          if (e.type !== "stage-progress" || !isStage(e, "evaluate") || e.step === undefined) return false;
          n ??= 1 + Math.floor(u * Math.max(1, e.totalSteps - 1));
          return e.step >= n;
        },
      };
    },
  },
  {
    name: "deploy:write",
    stage: "deploy",
    // Deploy reads deployments/<name>.json, writes it atomically, then the lockfile records it: a few ms in all.
    make: (rng) => ({
      delayMs: between(rng, 0, 4),
      fires: (e) => e.type === "stage-start" && isStage(e, "deploy"),
    }),
  },
];

export const STAGES = ["prepare", "upload", "train", "evaluate", "deploy"];
