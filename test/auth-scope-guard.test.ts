import { describe, expect, it } from 'vitest';
import { graphql } from 'graphql';
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { AfterShipClient } from '../src/aftership/types.js';
import { CLIENT_METHOD_ENDPOINTS, CLIENT_METHOD_SCOPES, ScopeRefusedError, authScopesFor, guardClient, type AuthScopes } from '../src/auth/scope-guard.js';
import { READ_SCOPES, SCOPES, type Scope } from '../src/auth/scopes.js';
import type { Viewer } from '../src/auth/viewer.js';

const reader: Viewer = { name: 'dashboard', accountId: 'default', kind: 'api-token', scopes: new Set(READ_SCOPES) };

/** A client that records which methods reached it. */
function recordingClient(calls: string[]): AfterShipClient {
  const c: Record<string, unknown> = { stats: () => ({ endpoints: {}, upstreamRequests: calls.length, merged: 0, circuit: 'closed' }) };
  for (const m of Object.keys(CLIENT_METHOD_ENDPOINTS)) {
    c[m] = async (...args: unknown[]) => {
      calls.push(m);
      return { method: m, args };
    };
  }
  return c as unknown as AfterShipClient;
}

describe('scope guard', () => {
  it('knows the scope of every client method', () => {
    expect(CLIENT_METHOD_SCOPES.getTracking).toBe('aftership:tracking:read');
    expect(CLIENT_METHOD_SCOPES.getTrackingByNumber).toBe('aftership:tracking:read');
    expect(CLIENT_METHOD_SCOPES.createTracking).toBe('aftership:tracking:write');
    expect(CLIENT_METHOD_SCOPES.detectCouriers).toBe('aftership:courier:write');
    expect(CLIENT_METHOD_SCOPES.predictEddBatch).toBe('aftership:estimated_delivery_date:write');
    expect(CLIENT_METHOD_SCOPES.deleteCourierConnection).toBe('aftership:carrier_connection:write');
  });

  it('passes allowed calls through and refuses the others without reaching AfterShip', async () => {
    const calls: string[] = [];
    const client = guardClient(recordingClient(calls), reader);
    expect(await client.getTracking('abc')).toEqual({ method: 'getTracking', args: ['abc'] });
    const error = await client.createTracking({ tracking_number: '1Z999AA10123456784' }).catch((e: unknown) => e);
    // The gateway's own refusal, not AfterShip's: FORBIDDEN, naming the scope.
    expect(error).toBeInstanceOf(ScopeRefusedError);
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      requiredScopes: ['aftership:tracking:write'],
      message: 'Access denied: "dashboard" lacks the scope aftership:tracking:write needed for POST /trackings',
    });
    await expect(client.detectCouriers({ tracking_number: 'x' })).rejects.toThrow(/aftership:courier:write/);
    expect(calls).toEqual(['getTracking']);
    expect(client.stats().upstreamRequests).toBe(1);
  });

  it('feeds Pothos scope-auth: fields need the scope of the AfterShip call behind them', async () => {
    const builder = new SchemaBuilder<{ Context: { viewer?: Viewer }; AuthScopes: AuthScopes }>({
      plugins: [ScopeAuthPlugin],
      scopeAuth: { authScopes: (ctx) => authScopesFor(ctx.viewer) },
    });
    const need = (scope: Scope) => ({ [scope]: true }) as Partial<AuthScopes>;
    builder.queryType({
      fields: (t) => ({
        tracking: t.string({ nullable: true, authScopes: need(CLIENT_METHOD_SCOPES.getTracking), resolve: () => 'a tracking' }),
      }),
    });
    builder.mutationType({
      fields: (t) => ({
        createTracking: t.string({ nullable: true, authScopes: need(CLIENT_METHOD_SCOPES.createTracking), resolve: () => 'created' }),
      }),
    });
    const schema = builder.toSchema();
    const asReader = await graphql({ schema, source: '{ tracking }', contextValue: { viewer: reader } });
    expect(asReader.data).toEqual({ tracking: 'a tracking' });
    const write = await graphql({ schema, source: 'mutation { createTracking }', contextValue: { viewer: reader } });
    expect(write.data).toEqual({ createTracking: null });
    expect(write.errors?.[0].message).toMatch(/Not authorized/);
    const admin: Viewer = { ...reader, scopes: new Set(SCOPES) };
    expect((await graphql({ schema, source: 'mutation { createTracking }', contextValue: { viewer: admin } })).data).toEqual({ createTracking: 'created' });
    expect((await graphql({ schema, source: '{ tracking }', contextValue: {} })).data).toEqual({ tracking: null });
  });
});
