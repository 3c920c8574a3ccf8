/**
 * Typed results for the expected failures of mutations. Each class from error-mapping.ts
 * becomes an object type implementing `UserError`; mutation fields list the ones they can
 * produce (Pothos errors plugin), so a client switches on `__typename`.
 */
import { builder } from './builder.js';
import {
  AlreadyExistsError,
  CourierNotDetectedError,
  InvalidInputError,
  InvalidTrackingNumberError,
  NotFoundError,
  RateLimitedError,
  RetrackNotAllowedError,
  UserError,
} from './error-mapping.js';

export const UserErrorInterface = builder.interfaceRef<UserError>('UserError').implement({
  description: 'An expected failure of a mutation. Every result union includes the ones that can happen; select `message` on this interface to show any of them.',
  fields: (t) => ({
    message: t.exposeString('message', { nullable: false, description: 'What went wrong, readable by a person (from AfterShip when it said why).' }),
    code: t.exposeString('code', {
      nullable: false,
      description: 'A stable machine-readable code, e.g. NOT_FOUND, ALREADY_EXISTS, RATE_LIMITED, BAD_USER_INPUT.',
    }),
  }),
});

const simpleErrors: [new (message: string) => UserError, string, string][] = [
  [NotFoundError, 'NotFound', 'The tracking or carrier connection does not exist (or no longer exists) in this AfterShip account.'],
  [AlreadyExistsError, 'AlreadyExists', 'A tracking with this tracking number and courier already exists; fetch it with `trackingByNumber` instead.'],
  [InvalidTrackingNumberError, 'InvalidTrackingNumber', 'The tracking number is missing, has invalid characters, or does not match the format of the courier.'],
  [CourierNotDetectedError, 'CourierNotDetected', 'No courier could be detected for the tracking number; pass `slug` explicitly (see `detectCouriers`).'],
  [RetrackNotAllowedError, 'RetrackNotAllowed', 'Retrack refused: only an inactive (expired or completed) tracking can be retracked, a limited number of times.'],
];

for (const [cls, name, description] of simpleErrors) {
  builder.objectType(cls, {
    name,
    description,
    interfaces: [UserErrorInterface],
    isTypeOf: (value) => value instanceof cls,
  });
}

builder.objectType(RateLimitedError, {
  name: 'RateLimited',
  description: 'AfterShip\'s rate limit for this operation is exhausted; try again after `retryAfterSeconds`.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof RateLimitedError,
  fields: (t) => ({
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', {
      nullable: true,
      description: 'Seconds to wait before retrying; null when AfterShip did not say.',
    }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInput',
  description: 'An input value was refused (by the gateway or by AfterShip); `field` names it when known.',
  interfaces: [UserErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The input field at fault, in camelCase (e.g. `notificationReceivers`), when known.' }),
  }),
});

/** Error sets per kind of mutation (RateLimited and InvalidInput can happen to any write). */
export const TRACKING_WRITE_ERRORS = [NotFoundError, InvalidInputError, RateLimitedError];
export const CREATE_TRACKING_ERRORS = [
  AlreadyExistsError,
  InvalidTrackingNumberError,
  CourierNotDetectedError,
  InvalidInputError,
  RateLimitedError,
];
export const RETRACK_ERRORS = [NotFoundError, RetrackNotAllowedError, InvalidInputError, RateLimitedError];
export const CONNECTION_WRITE_ERRORS = [NotFoundError, AlreadyExistsError, InvalidInputError, RateLimitedError];
