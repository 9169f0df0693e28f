/**
 * What happens to a training job on the built-in local provider when tunefile stops watching it: the provider runs
 * inside this process, so its training stops with it, and the next `run` or `watch` (which starts the provider
 * again) trains the job again from step 1. Remote providers, and `tunefile serve` reached as openai-compatible,
 * keep training without us.
 */
export const LOCAL_JOB_STOPS =
  "the built-in local provider trains only while tunefile runs: the next `tunefile run` or `tunefile watch` trains the job again from step 1 (to train in the background, run `tunefile serve` and use provider openai-compatible)";

/** The same for evaluation batches: they run in the in-process provider, so they start over when it does. */
export const LOCAL_BATCHES_STOP =
  "the built-in local provider runs batches only while tunefile runs: the next `tunefile run` or `tunefile watch` runs them again from their first request (to run them in the background, run `tunefile serve` and use provider openai-compatible)";
