import type { Bounds } from "../../core/pipeline.generated.js";

/** `min..max`, `≥ min` or `≤ max`, for grader names. */
export function describeBounds(bounds: Bounds): string {
  if (bounds.min !== undefined && bounds.max !== undefined) return `${bounds.min}..${bounds.max}`;
  if (bounds.min !== undefined) return `>= ${bounds.min}`;
  if (bounds.max !== undefined) return `<= ${bounds.max}`;
  return "any";
}

export function withinBounds(n: number, bounds: Bounds): boolean {
  return (bounds.min === undefined || n >= bounds.min) && (bounds.max === undefined || n <= bounds.max);
}
