/** The p-th percentile (0–100) of latencies sorted ascending; 0 for none. Shared by every bench layer. */
export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
