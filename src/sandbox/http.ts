/**
 * AfterShip's envelope, meta codes and messages (REFERENCE §3, examples/errors.catalog.json).
 * Handlers throw `ApiError`; the server turns it into `{ meta: {code, message, type}, data: {} }`.
 */
import { API_VERSION } from '../aftership/wire-types.js';

type MetaType = 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'TooManyRequests' | 'InternalError';

const MESSAGES: Record<number, string> = {
  400: 'The request was invalid or cannot be otherwise served.',
  4001: 'Invalid JSON data.',
  4003: 'Tracking already exists.',
  4004: 'Tracking does not exist.',
  4005: 'The value of tracking_number is invalid.',
  4006: 'tracking object is required.',
  4007: 'tracking_number is required.',
  4008: 'The value of [field_name] is invalid.',
  4009: '[field_name] is required.',
  4010: 'The value of slug is invalid.',
  4011: 'Missing or invalid value of the required fields for this courier. Besides tracking_number, also required: [field_name]',
  4012: "Unable to import shipment as we don't recognize the carrier from this tracking number.",
  4013: 'Retrack is not allowed. You can only retrack an inactive tracking.',
  4015: 'The value of id is invalid.',
  4016: 'Retrack is not allowed. You can only retrack each shipment once.',
  4017: 'The format of tracking_number is invalid.',
  401: 'The API Key is invalid.',
  403: 'The request is understood, but it has been refused or access is not allowed.',
  404: 'The URI requested is invalid or the resource requested does not exist.',
  429: 'You have exceeded the API call rate limit. The default limit is 10 requests per second.',
  500: "Something went wrong on AfterShip's end.",
  502: "Something went wrong on AfterShip's end.",
  503: "Something went wrong on AfterShip's end.",
  504: "Something went wrong on AfterShip's end.",
};

/** The five 4012 messages AfterShip documents. */
export const BAD_COURIER_MESSAGES = {
  notApproved:
    'Unable to import shipment as the carrier is not on your approved list for carrier auto-detection. Add the carrier here: https://admin.aftership.com/settings/couriers',
  notRecognised: "Unable to import shipment as we don't recognize the carrier from this tracking number.",
  badFormat: 'Unable to import shipment as the tracking number has an invalid format.',
  unsupported: 'Unable to import shipment as this carrier is no longer supported.',
  notInGroup: 'Unable to import shipment as the tracking number does not belong to a carrier in that group.',
} as const;

function httpStatusOf(metaCode: number): number {
  if (metaCode === 4004) return 404;
  if (metaCode >= 4000) return 400;
  return metaCode;
}

function metaTypeOf(status: number): MetaType {
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status === 429) return 'TooManyRequests';
  if (status >= 500) return 'InternalError';
  return 'BadRequest';
}

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly metaCode: number,
    message?: string,
  ) {
    super(message ?? MESSAGES[metaCode] ?? 'Error');
    this.status = httpStatusOf(metaCode);
  }
}

/** 4008 for a named field, with AfterShip's wording. */
export const invalid = (field: string, detail?: string): ApiError =>
  new ApiError(4008, `The value of ${field} is invalid.${detail ? ' ' + detail : ''}`);
/** 4009 for a named field. */
export const required = (field: string): ApiError => new ApiError(4009, `${field} is required.`);

export interface ApiResult {
  status: number;
  data: unknown;
}

export const ok = (data: unknown, status = 200): ApiResult => ({ status, data });

export function baseHeaders(): Headers {
  return new Headers({ 'content-type': 'application/json; charset=utf-8', 'as-api-version': API_VERSION });
}

export function successBody(result: ApiResult): string {
  return JSON.stringify({ meta: { code: result.status }, data: result.data });
}

export function errorBody(metaCode: number, message?: string): { status: number; body: string } {
  const status = httpStatusOf(metaCode);
  const meta = { code: metaCode, message: message ?? MESSAGES[metaCode] ?? 'Error', type: metaTypeOf(status) };
  return { status, body: JSON.stringify({ meta, data: {} }) };
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON body; empty means `{}`. Anything but an object is 4001, like AfterShip's "Invalid JSON data." */
export function parseJsonBody(text: string): JsonObject {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(4001);
  }
  if (!isObject(value)) throw new ApiError(4001);
  return value;
}
