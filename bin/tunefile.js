#!/usr/bin/env node
// The published entry point. It loads the compiled CLI from dist/, which `npm install` builds through the
// package's own `prepare` script, so a fresh clone needs no separate build step.
import { main } from "../dist/cli/main.js";

main(process.argv);
