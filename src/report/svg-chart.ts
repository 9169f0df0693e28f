import type { Series } from "./metrics.js";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea"];

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** About five round tick values (1, 2 or 5 × 10^k apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const n = (x: number) => (Math.round(x * 10) / 10).toString();

/**
 * A self-contained SVG line chart (no script, no external assets), drawn here rather than by a library so that the
 * report has no dependency and the output is byte-for-byte deterministic for the same data.
 */
export function lineChartSvg(all: readonly Series[], options: { title: string; yLabel?: string }): string {
  const [width, height] = [560, 260];
  const m = { top: 32, right: 16, bottom: 40, left: 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const points = all.flatMap((s) => s.points);
  const title = `<text x="${m.left}" y="20" class="chart-title" font-size="14" font-weight="600">${escapeXml(options.title)}</text>`;
  if (points.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${title}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666">no data</text></svg>`;
  }
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  if (xMax === xMin) [xMin, xMax] = [xMin - 1, xMax + 1];
  if (yMax === yMin) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const yTicks = niceTicks(yMin, yMax);
  yMin = Math.min(yMin, yTicks[0]!);
  yMax = Math.max(yMax, yTicks[yTicks.length - 1]!);
  const xTicks = niceTicks(xMin, xMax).filter((t) => Number.isInteger(t));
  const sx = (x: number) => m.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => m.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="${escapeXml(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    title,
    `<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="#ddd"/>`,
  ];
  for (const t of yTicks) {
    parts.push(
      `<line x1="${m.left}" x2="${m.left + plotW}" y1="${n(sy(t))}" y2="${n(sy(t))}" stroke="#e5e5e5"/>`,
      `<text x="${m.left - 6}" y="${n(sy(t) + 4)}" text-anchor="end" fill="#444">${t}</text>`,
    );
  }
  for (const t of xTicks) {
    parts.push(`<text x="${n(sx(t))}" y="${m.top + plotH + 16}" text-anchor="middle" fill="#444">${t}</text>`);
  }
  parts.push(`<text x="${m.left + plotW / 2}" y="${height - 6}" text-anchor="middle" fill="#444">step</text>`);
  if (options.yLabel) {
    parts.push(
      `<text x="14" y="${m.top + plotH / 2}" text-anchor="middle" fill="#444" transform="rotate(-90 14 ${m.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`,
    );
  }
  all.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const path = s.points.map((p) => `${n(sx(p.x))},${n(sy(p.y))}`).join(" ");
    parts.push(
      `<polyline class="series" data-series="${escapeXml(s.name)}" fill="none" stroke="${color}" stroke-width="2" points="${path}"/>`,
    );
    if (s.points.length <= 40) {
      for (const p of s.points) parts.push(`<circle cx="${n(sx(p.x))}" cy="${n(sy(p.y))}" r="2.5" fill="${color}"/>`);
    }
    // The legend sits on the title line, right of the title, so it never hides a curve.
    const lx = m.left + options.title.length * 8 + 24 + i * 135;
    const ly = 20;
    parts.push(
      `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 24}" y="${ly}" fill="#222">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
