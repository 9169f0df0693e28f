// Loads a pool's TypeScript worker module through tsx, for runs from the sources (see worker-pool.ts). Worker
// threads take no --import flag, so tsx is registered here, in the thread, before the module is imported.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const module = await import(workerData.tsModule);
export default module.default;
