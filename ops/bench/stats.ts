/** Latency summary of repeated runs, in milliseconds. */
export interface LatencySummary {
  readonly runs: number;
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { runs: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), mean: round(mean) };
}

/** Runs `body` `warmup` times untimed, then `iterations` times timed. */
export async function time(iterations: number, body: () => Promise<unknown>, warmup = 3): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i += 1) await body();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await body();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
