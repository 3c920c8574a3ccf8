/**
 * Scrapes a gateway's `/metrics` and reads it back through a Prometheus text-format parser (so every
 * test also checks that the exposition parses), with helpers to read one series or sum several.
 *
 * The parser folds the series of a labelled histogram into one (it keeps their buckets in one map and
 * drops their labels), so a histogram's per-series observation counts are read from its `_count`
 * sample lines instead.
 */
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format';

interface CountLine {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function countLines(text: string): CountLine[] {
  const out: CountLine[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)_count(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

export class Scrape {
  readonly families: PrometheusFamily[];
  private readonly counts: CountLine[];

  constructor(readonly text: string) {
    this.families = parsePrometheusTextFormat(text);
    this.counts = countLines(text);
  }

  family(name: string): PrometheusFamily | undefined {
    return this.families.find((f) => f.name === name);
  }

  private samples(name: string, labels: Record<string, string>): PrometheusSample[] {
    return (this.family(name)?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  }

  /** Sum of the counter or gauge samples whose labels include `labels` (0 when none). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples(name, labels).reduce((n, m) => n + Number(m.value ?? 0), 0);
  }

  /** Sum of the observation counts of the histogram series whose labels include `labels`. */
  count(name: string, labels: Record<string, string> = {}): number {
    if (this.family(name)?.type !== 'HISTOGRAM') throw new Error(`${name} is not a histogram`);
    return this.counts.filter((c) => c.name === name && Object.entries(labels).every(([k, v]) => c.labels[k] === v)).reduce((n, c) => n + c.value, 0);
  }

  /** Label values present for `label` in `name`. */
  labelValues(name: string, label: string): string[] {
    return [...new Set((this.family(name)?.metrics ?? []).map((m) => m.labels?.[label]).filter((v): v is string => v !== undefined))];
  }
}

export async function scrape(baseUrl: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  if (!(res.headers.get('content-type') ?? '').startsWith('text/plain')) throw new Error(`/metrics content-type ${res.headers.get('content-type')}`);
  return new Scrape(await res.text());
}
