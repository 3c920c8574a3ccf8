/**
 * One tracking as one row of an export: NDJSON (AfterShip's own tracking object, one per line) or
 * CSV (RFC 4180, fixed columns, a header line first). Rows are built one at a time, so an export
 * holds a slice of rows, never the whole account.
 */
import type { Tracking } from '../aftership/wire-types.js';
import { dayOf } from './dates.js';
import { destinationOf, directionOf } from './filter.js';
import { eddAccurateOf, exceptionSubtagsOf, onTimeOf, promisedDayOf, transitDaysOf } from './figures.js';

export type ExportFormat = 'ndjson' | 'csv';

/** A line of NDJSON: the tracking as AfterShip sends it, without its checkpoints unless asked. */
export function ndjsonRow(t: Tracking, withCheckpoints: boolean): string {
  if (withCheckpoints) return `${JSON.stringify(t)}\n`;
  const { checkpoints: _omitted, ...rest } = t;
  return `${JSON.stringify(rest)}\n`;
}

type Cell = string | number | boolean | null | undefined;

/** The CSV columns, in order, each with how it is read off a tracking (figures as deliveryStats defines them). */
const COLUMNS: readonly (readonly [string, (t: Tracking) => Cell])[] = [
  ['id', (t) => t.id],
  ['tracking_number', (t) => t.tracking_number],
  ['slug', (t) => t.slug],
  ['tag', (t) => t.tag],
  ['subtag', (t) => t.subtag],
  ['title', (t) => t.title],
  ['order_id', (t) => t.order_id],
  ['created_at', (t) => t.created_at],
  ['updated_at', (t) => t.updated_at],
  ['origin_country_region', (t) => t.origin_country_region],
  ['destination_country_region', (t) => destinationOf(t)],
  ['shipment_direction', (t) => directionOf(t)],
  ['shipment_tags', (t) => (t.shipment_tags ?? []).join(';')],
  ['shipment_pickup_date', (t) => t.shipment_pickup_date],
  ['shipment_delivery_date', (t) => t.shipment_delivery_date],
  ['transit_days', (t) => transitDaysOf(t)],
  ['promised_date', (t) => promisedDayOf(t)],
  ['on_time', (t) => onTimeOf(t)],
  ['aftership_estimated_delivery_date', (t) => dayOf(t.aftership_estimated_delivery_date?.estimated_delivery_date)],
  ['edd_within_1_day', (t) => eddAccurateOf(t)],
  ['failed_delivery_attempts', (t) => t.failed_delivery_attempts],
  ['exception_subtags', (t) => [...exceptionSubtagsOf(t)].join(';')],
  ['return_to_sender', (t) => t.return_to_sender],
  ['checkpoints', (t) => t.checkpoints?.length ?? 0],
];

export const CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

const NEEDS_QUOTES = /[",\r\n]/;
/** Text a spreadsheet would run as a formula (CSV injection): shown as text instead. */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

export function csvRow(t: Tracking): string {
  return `${COLUMNS.map(([, read]) => csvCell(read(t))).join(',')}\r\n`;
}
