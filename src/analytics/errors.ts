/** Failures of analytics input, created where they are found (the GraphQL layer and the export route map them by type). */
import { GatewayError, type PublicExtensions } from '../lib/errors.js';

/** A filter or grouping that was refused before any work: code BAD_USER_INPUT, naming the field at fault. */
export class InvalidAnalyticsInputError extends GatewayError {
  override readonly name = 'InvalidAnalyticsInputError';
  readonly code = 'BAD_USER_INPUT';
  constructor(
    message: string,
    /** The input field at fault, e.g. `filter.couriers` (GraphQL) or `couriers` (query parameter). */
    readonly field: string,
  ) {
    super(message);
  }

  override get extensions(): PublicExtensions {
    return { code: this.code, field: this.field };
  }
}
