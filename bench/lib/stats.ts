/** Percentiles and number formatting for the tables. */

/** Nearest-rank percentile of unsorted values (p in 0..100); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface Summary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export function summarize(values: readonly number[]): Summary {
  let max: number | null = null;
  let sum = 0;
  for (const v of values) {
    sum += v;
    if (max === null || v > max) max = v;
  }
  return {
    count: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max,
    mean: values.length ? sum / values.length : null,
  };
}

/** Milliseconds with sensible precision: 0.42, 3.1, 27, 1234. */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v < 1) return v.toFixed(2);
  if (v < 10) return v.toFixed(1);
  return Math.round(v).toString();
}

/** A count or rate, rounded, with thousands separators. */
export function num(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function ratio(a: number | null | undefined, b: number | null | undefined, digits = 2): string {
  if (!a || !b) return '–';
  return `${(a / b).toFixed(digits)}×`;
}

export function kib(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
