/**
 * The courier registry (fixtures/couriers.json, a copy of the reference list) and detection by
 * each courier's `tracking_number_patterns` (our plausibility rules, REFERENCE §9).
 */
import type { Courier } from '../aftership/wire-types.js';
import rawCouriers from './fixtures/couriers.json' with { type: 'json' };
import { SELECTED_COURIERS, SLUG_GROUPS } from './fixtures/account.js';

export type AdditionalField = NonNullable<Courier['required_fields']>[number];

interface FixtureCourier extends Courier {
  slug: string;
  name: string;
  tracking_number_patterns: string[];
}

export interface CourierEntry {
  slug: string;
  /** The Courier object as the API returns it (no `tracking_number_patterns`). */
  courier: Courier;
  patterns: RegExp[];
  selected: boolean;
  requiredFields: AdditionalField[];
  credentialFields: { name: string; required: boolean }[];
}

export interface CourierRegistry {
  all(): CourierEntry[];
  get(slug: string): CourierEntry | undefined;
  /** Couriers whose formats match the number, in registry order. */
  matching(trackingNumber: string, candidates?: CourierEntry[]): CourierEntry[];
}

/** Upper case without spaces: how numbers are compared with formats. */
export function normaliseNumber(trackingNumber: string): string {
  return trackingNumber.replace(/\s+/g, '').toUpperCase();
}

export function createCourierRegistry(): CourierRegistry {
  const selected = new Set(SELECTED_COURIERS);
  const entries: CourierEntry[] = (rawCouriers as unknown as FixtureCourier[]).map((raw) => {
    const { tracking_number_patterns: patterns, ...courier } = raw;
    return {
      slug: raw.slug,
      courier: courier as Courier,
      patterns: patterns.map((p) => new RegExp(p)),
      selected: selected.has(raw.slug),
      requiredFields: (raw.required_fields ?? []) as AdditionalField[],
      credentialFields: (raw.credentials?.fields ?? []).map((f) => ({ name: f.name ?? '', required: f.required === true })),
    };
  });
  const bySlug = new Map(entries.map((e) => [e.slug, e]));
  return {
    all: () => entries,
    get: (slug) => bySlug.get(slug),
    matching(trackingNumber, candidates = entries) {
      const n = normaliseNumber(trackingNumber);
      return candidates.filter((e) => e.patterns.some((p) => p.test(n)));
    },
  };
}

export function isSlugGroup(group: string): boolean {
  return Object.prototype.hasOwnProperty.call(SLUG_GROUPS, group);
}

export function inSlugGroup(group: string, slug: string): boolean {
  return isSlugGroup(group) && SLUG_GROUPS[group](slug);
}
