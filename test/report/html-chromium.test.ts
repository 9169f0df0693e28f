import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html.js";
import { parseMetricsCsv } from "../../src/report/metrics.js";
import { launchChromium } from "../helpers/chromium.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/temp-dir.js";
import { fixedResults } from "./fixture.js";

const METRICS = parseMetricsCsv(
  [
    "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy",
    "1,3.2,0.10,,",
    "2,2.5,0.20,2.6,0.20",
    "3,1.9,0.35,,",
    "4,1.2,0.50,1.3,0.45",
    "5,0.8,0.70,,",
    "6,0.5,0.80,0.7,0.70",
  ].join("\n"),
);

describe("report.html in a real headless Chromium", () => {
  it("shows the side-by-side table, the gate and the SVG charts, with no external request", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "report.html");
    await writeFile(file, renderHtml(fixedResults(), METRICS));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);

      // Side by side: one column per candidate, one row per prompt, each grader's result in the cell.
      const headers = await page.locator("#side-by-side thead th").allInnerTexts();
      expect(headers).toEqual(["Prompt", "base", "fine_tuned"]);
      expect(await page.locator("#side-by-side tbody tr").count()).toBe(3);
      const neonFineTuned = await page.locator("#side-by-side tbody tr").first().locator("td").nth(1).textContent();
      expect(neonFineTuned).toContain("Neon glows red - In tubes it is fed");
      expect(neonFineTuned).toContain('✓ lines 5..5 split " - ": 5 lines');

      // The gate verdict and the summary with the interval and the p-value.
      expect(await page.locator("#gate").getAttribute("class")).toBe("gate failed");
      expect(await page.locator("#summary tbody tr").nth(1).textContent()).toContain("+2 −0, p = 0.5000");
      expect(await page.locator("#costs tbody tr").count()).toBe(2);

      // Loss and accuracy curves as inline SVG, drawn with the real series.
      const charts = page.locator("svg.chart");
      expect(await charts.count()).toBe(2);
      expect(
        await page
          .locator("svg.chart polyline.series")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-series"))),
      ).toEqual(["train loss", "validation loss", "train accuracy", "validation accuracy"]);
      const box = await charts.first().boundingBox();
      expect(box?.width).toBeGreaterThan(300);

      // Self-contained: the only request is the page itself.
      expect(requests).toEqual([pathToFileURL(file).href]);

      const artifacts = path.join(REPO_ROOT, "test-artifacts");
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, "report.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
