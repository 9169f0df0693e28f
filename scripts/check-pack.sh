#!/usr/bin/env bash
# The README's "Add tunefile to your repository" path, for real: pack this checkout (npm pack runs `prepare`, which
# builds dist/), install the tarball into a new empty project outside the clone (dependencies come from the npm
# registry), then `npx tunefile init` and `npx tunefile run` on the starter, offline on the local provider.
# Exit 0 when the starter's run exits 0. test/cli/pack.test.ts checks the same without the registry.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/tunefile-pack-XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/project" && cd "$work/project"
npm init -y >/dev/null
npm install --save-dev --no-audit --no-fund "$work/$tarball" >/dev/null
npx tunefile init
env -u OPENAI_API_KEY -u AZURE_OPENAI_API_KEY npx tunefile run pipelines/pipeline.yaml
echo "check-pack: npm pack, install, init and run exited 0 in $work/project"
