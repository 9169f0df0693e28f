#!/usr/bin/env node
// The published entry point. It loads the compiled CLI from dist/, which `npm install` builds through the
// package's own `prepare` script, so a fresh clone needs no separate build step.
import { setFlagsFromString } from "node:v8";

// Node's fetch (under the openai SDK) parses HTTP with a WebAssembly build of llhttp. After a few requests V8
// recompiles it with its optimizing tier on a background thread, and the process cannot exit before that job ends:
// about 110 ms on 2 cores, paid by every command that makes a request, a no-op rerun included. V8's baseline tier
// parses a response's few kilobytes fast enough. The CLI is imported after, so that no wasm is compiled before.
setFlagsFromString("--liftoff-only");

const { main } = await import("../dist/cli/main.js");
main(process.argv);
