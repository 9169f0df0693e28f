// (f) The local server's memory while it receives a 512 MB file (`POST /v1/files`, multipart, the largest file the
// real API accepts). `tunefile serve` runs as a child; the upload is streamed from disk over raw HTTP so that only
// the server's memory is measured. Figure: the server's peak RSS (VmHWM) minus its RSS when idle before the upload.

import { spawn } from "node:child_process";
import { createReadStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { offlineEnv } from "./lib/measure.mjs";
import { row } from "./lib/result.mjs";

export const name = "server-upload";
export const description = "tunefile serve receiving a 512 MB file: server RSS above idle (VmHWM - idle VmRSS)";

/** A JSONL-looking file of exactly `mb` MiB (the last line may be cut): the server stores it without reading it. */
function writeFile(path, mb) {
  const line = `${JSON.stringify({
    messages: [
      { role: "user", content: "x".repeat(200) },
      { role: "assistant", content: "y".repeat(200) },
    ],
  })}\n`;
  const block = Buffer.from(line.repeat(Math.ceil((1024 * 1024) / line.length)));
  const fd = openSync(path, "w");
  const target = mb * 1024 * 1024;
  let written = 0;
  while (written < target) written += writeSync(fd, block, 0, Math.min(block.length, target - written));
  closeSync(fd);
}

function statusKB(pid, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : Number.NaN;
}

function startServer(ctx, stateDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ctx.bin, "serve", "--port", "0", "--state", stateDir], {
      env: offlineEnv(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) resolve({ child, url });
    });
    child.on("exit", (code) => reject(new Error(`tunefile serve exited ${code} before listening`)));
  });
}

function upload(url, file) {
  const boundary = `----tunefile-bench-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nfine-tune\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = statSync(file).size;
  return new Promise((resolve, reject) => {
    const req = request(
      `${url.replace(/\/$/, "")}/files`,
      {
        method: "POST",
        headers: {
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": head.length + size + tail.length,
          authorization: "Bearer local",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () =>
          res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode} ${body}`)),
        );
      },
    );
    req.on("error", reject);
    req.write(head);
    const stream = createReadStream(file);
    stream.on("error", reject);
    stream.on("end", () => req.end(tail));
    stream.pipe(req, { end: false });
  });
}

export async function run(ctx) {
  const mb = ctx.quick ? 64 : 512;
  const runs = ctx.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), "tunefile-bench-upload-"));
  const file = join(dir, "big.jsonl");
  try {
    writeFile(file, mb);
    const above = [];
    const wall = [];
    for (let i = 0; i < runs; i++) {
      const { child, url } = await startServer(ctx, join(dir, `state-${i}`));
      try {
        const idleKB = statusKB(child.pid, "VmRSS");
        const started = performance.now();
        const stored = await upload(url, file);
        wall.push(performance.now() - started);
        if (stored.bytes !== statSync(file).size)
          throw new Error(`stored ${stored.bytes} bytes, sent ${statSync(file).size}`);
        above.push((statusKB(child.pid, "VmHWM") - idleKB) / 1024);
        ctx.log(
          `run ${i + 1}: idle ${(idleKB / 1024).toFixed(0)} MB, peak ${(statusKB(child.pid, "VmHWM") / 1024).toFixed(0)} MB`,
        );
      } finally {
        child.kill("SIGTERM");
      }
    }
    return [
      row({
        label: `server RSS above idle during a ${mb} MB upload`,
        unit: "MB",
        values: above,
        target: { op: "<", value: 100 },
      }),
      row({ label: `${mb} MB upload wall time (for reference)`, unit: "ms", values: wall }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
