/**
 * The one mapping from failures to what clients see: typed results for expected mutation
 * failures, coded GraphQL errors for everything else, and a mask that hides internals.
 */
import { GraphQLError, getVariableValues, locatedError, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterShipError, ErrorCode, fieldFromMessage } from '../src/aftership/errors.js';
import {
  AlreadyExistsError,
  CourierNotDetectedError,
  InvalidInputError,
  InvalidTrackingNumberError,
  NotFoundError,
  RateLimitedError,
  RetrackNotAllowedError,
  maskError,
  toGraphQLError,
  toTypedError,
} from '../src/schema/error-mapping.js';
import { OAuthConnectionError } from '../src/auth/oauth-tokens.js';
import { ScopeRefusedError } from '../src/auth/scope-guard.js';
import { AuthError } from '../src/auth/viewer.js';
import { QueryRefusedError } from '../src/schema/cost-guard.js';
import { schema } from '../src/schema/index.js';
import { startSchemaGateway, type SchemaGateway } from './helpers/schema-gateway.js';

const upstream = (code: ErrorCode, message = 'm', extra: Partial<ConstructorParameters<typeof AfterShipError>[0]> = {}) =>
  new AfterShipError({ code, message, ...extra });

describe('toTypedError', () => {
  it('maps each expected AfterShip failure to its typed result', () => {
    expect(toTypedError(upstream(ErrorCode.NotFound))).toBeInstanceOf(NotFoundError);
    expect(toTypedError(upstream(ErrorCode.AlreadyExists))).toBeInstanceOf(AlreadyExistsError);
    expect(toTypedError(upstream(ErrorCode.InvalidTrackingNumber))).toBeInstanceOf(InvalidTrackingNumberError);
    expect(toTypedError(upstream(ErrorCode.CourierNotDetected))).toBeInstanceOf(CourierNotDetectedError);
    expect(toTypedError(upstream(ErrorCode.RetrackNotAllowed))).toBeInstanceOf(RetrackNotAllowedError);
    const limited = toTypedError(upstream(ErrorCode.RateLimited, 'slow down', { retryAfterMs: 1200 }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterSeconds).toBe(2);
    const bad = toTypedError(upstream(ErrorCode.BadUserInput, 'The value of order_id is invalid.'));
    expect(bad).toBeInstanceOf(InvalidInputError);
    expect((bad as InvalidInputError).field).toBe('orderId');
    expect(toTypedError(upstream(ErrorCode.UpstreamUnavailable))).toBeUndefined();
    expect(toTypedError(upstream(ErrorCode.Unauthenticated))).toBeUndefined();
    expect(toTypedError(new Error('x'))).toBeUndefined();
  });

  it('reads the field from AfterShip messages', () => {
    expect(fieldFromMessage('The value of slug is invalid.')).toBe('slug');
    expect(fieldFromMessage('tracking_ship_date is required.')).toBe('trackingShipDate');
    expect(fieldFromMessage('Missing or invalid value of the required fields for this courier. Besides tracking_number, also required: destination_postal_code')).toBe('destinationPostalCode');
    expect(fieldFromMessage('Something else went wrong')).toBeNull();
    // AfterShip's names for fields the schema names otherwise become the input's names.
    const field = (message: string) => (toTypedError(upstream(ErrorCode.BadUserInput, message)) as InvalidInputError).field;
    expect(field('The value of `customers[0].phone_number` is invalid.')).toBe('notificationReceivers[0].phoneNumber');
    expect(field('The value of courier_connection_id is invalid.')).toBe('carrierConnectionId');
  });
});

describe('toGraphQLError and maskError', () => {
  it('gives AfterShip failures a stable code, without echoing credential problems', () => {
    expect(toGraphQLError(upstream(ErrorCode.UpstreamUnavailable, 'HTTP 503')).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(toGraphQLError(upstream(ErrorCode.RateLimited, 'x', { retryAfterMs: 500 })).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    expect(toGraphQLError(upstream(ErrorCode.NotFound, 'gone', { metaCode: 4004 })).extensions).toMatchObject({ code: 'NOT_FOUND', aftershipCode: 4004 });
    const auth = toGraphQLError(upstream(ErrorCode.Unauthenticated, 'The API Key is invalid: asat_secret'));
    expect(auth.extensions.code).toBe('UPSTREAM_UNAUTHENTICATED');
    expect(auth.message).not.toContain('asat_secret');
    expect(toGraphQLError(new InvalidInputError('bad', 'customers')).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'customers' });
  });

  it("maps the gateway's own refusals by their type, not their text, and never as upstream errors", () => {
    const located = (e: Error) => maskError(locatedError(e, undefined, ['tracking'])) as GraphQLError;
    // Reworded messages keep their contract: the class and its fields decide, not the words.
    const scope = located(new ScopeRefusedError('any wording at all', ['aftership:tracking:write']));
    expect(scope.extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: ['aftership:tracking:write'] });
    expect(scope.message).toBe('any wording at all');
    expect(scope.originalError).toBeUndefined();
    const oauth = located(new OAuthConnectionError('shop', 'revoked', '/oauth/aftership/start?account=shop'));
    expect(oauth.extensions).toEqual({ code: 'UPSTREAM_UNAUTHENTICATED', connectUrl: '/oauth/aftership/start?account=shop' });
    expect(oauth.message).toBe('AfterShip OAuth connection for account shop was revoked; reconnect at /oauth/aftership/start?account=shop');
    expect(located(new AuthError('UNAUTHENTICATED', 'Authentication required')).extensions).toEqual({ code: 'UNAUTHENTICATED' });
    const cost = located(new QueryRefusedError('QUERY_TOO_DEEP', 'Query is too deep', { depth: 12, maxDepth: 10 }));
    expect(cost.extensions).toEqual({ code: 'QUERY_TOO_DEEP', depth: 12, maxDepth: 10 });
    // An AfterShip failure keeps its cause for the logs; AfterShip's text about credentials is not echoed.
    const upstreamForbidden = located(upstream(ErrorCode.Forbidden, 'Access denied for key asat_secret', { httpStatus: 403 }));
    expect(upstreamForbidden.extensions).toEqual({ code: 'UPSTREAM_FORBIDDEN' });
    expect(upstreamForbidden.message).not.toContain('asat_secret');
    expect(upstreamForbidden.originalError).toBeInstanceOf(AfterShipError);
  });

  it('codes request errors by their shape: a bad variable value is BAD_USER_INPUT', () => {
    const document = parse('query ($n: Int) { __typename }');
    const variable = getVariableValues(schema, (document.definitions[0] as OperationDefinitionNode).variableDefinitions!, { n: 'many' }).errors![0];
    expect(maskError(variable)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(maskError(new GraphQLError('Must provide an operation.'))).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('masks unexpected errors, keeping the path of located ones', () => {
    const plain = toGraphQLError(new TypeError('cannot read x of undefined'));
    expect(plain.message).toBe('Unexpected error.');
    expect(plain.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const located = new GraphQLError('cannot read x', { path: ['tracking', 'courier'], originalError: new TypeError('cannot read x') });
    const masked = maskError(located);
    expect(masked).toBeInstanceOf(GraphQLError);
    expect((masked as GraphQLError).path).toEqual(['tracking', 'courier']);
    expect(masked.message).toBe('Unexpected error.');
    expect((maskError(located, '', true) as GraphQLError).extensions.originalMessage).toBe('cannot read x');
    const fromUpstream = new GraphQLError('x', { path: ['tracking'], originalError: upstream(ErrorCode.UpstreamUnavailable, 'HTTP 502') });
    expect((maskError(fromUpstream) as GraphQLError).extensions.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('request errors over HTTP', () => {
  let gw: SchemaGateway;
  beforeAll(async () => {
    gw = await startSchemaGateway({ sandbox: { seed: 1 } });
  });
  afterAll(() => gw?.close());

  it('carry codes and locations: bad variables, bad literals, unknown fields, syntax', async () => {
    const variable = await gw.graphqlText('query($f: TrackingFilter) { trackings(filter: $f) { totalCount } }', { f: { createdAtMin: 'yesterday' } });
    expect(variable.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, locations: [{ line: 1, column: 7 }] });
    const literal = await gw.graphqlText('{ trackings(filter: { createdAtMin: "yesterday" }) { totalCount } }');
    expect(literal.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(literal.errors?.[0]?.message).toMatch(/DateTime/);
    expect(literal.errors?.[0]?.locations).toBeDefined();
    const unknown = await gw.graphqlText('{ nope }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const syntax = await gw.graphqlText('{ trackings( }');
    expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(gw.sandbox.requests.count()).toBe(0);
  });
});
