/** The `fields` query parameter: a comma list limiting the returned Tracking fields. */
import type { Tracking } from '../../aftership/wire-types.js';
import { invalid } from '../http.js';

/** Allowed names only; undefined when the parameter is absent. */
export function readFields(query: URLSearchParams, allowed: readonly string[]): string[] | undefined {
  const raw = query.get('fields');
  if (raw === null) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!allowed.includes(n)) throw invalid('fields', `Allowed: ${allowed.join(', ')}.`);
  return names;
}

/**
 * `id` plus the requested fields (the id is always kept so results stay addressable: our choice).
 * Not a copy: answers are serialised before anything can change the tracking.
 */
export function projectTracking(t: Tracking, fields: string[] | undefined): Tracking {
  if (!fields) return t;
  const out: Record<string, unknown> = { id: t.id };
  for (const f of fields) out[f] = (t as Record<string, unknown>)[f];
  return out as Tracking;
}
