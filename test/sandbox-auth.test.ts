/**
 * Authentication variants: AES-signed requests from the official SDK (and refusals for a wrong
 * secret or a stale date), and OAuth bearer tokens from the sandbox OAuth server with scopes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AfterShip, AftershipError, AuthType } from '@aftership/tracking-sdk';
import { ManualClock } from '../src/lib/clock.js';
import { createSandboxOAuthServer } from '../src/sandbox/oauth-server.js';
import { API_KEY, api, startSandbox, type Harness } from './helpers/sandbox-harness.js';

let h: Harness;
afterEach(() => h.close());

const SECRET = 'sandbox-api-secret';

describe('signed requests', () => {
  it('accepts AES signatures from the SDK and refuses wrong or stale ones', async () => {
    // The SDK signs with the real time, so the sandbox clock starts at the real time too.
    const clock = new ManualClock(Date.now());
    h = await startSandbox({ seed: 3, clock, apiSecret: SECRET, requireSignedRequests: true, enforceRateLimits: false });
    const signed = new AfterShip({ api_key: API_KEY, api_secret: SECRET, auth_type: AuthType.AES, domain: h.url, max_retry: 0 });
    expect((await signed.tracking.getTrackings({ limit: 2, tag: 'InTransit' })).data.trackings!.length).toBeGreaterThan(0);
    expect((await signed.courier.detectCourier({ tracking_number: '906587618687' })).data.total).toBe(3);

    const wrong = new AfterShip({ api_key: API_KEY, api_secret: 'not-it', auth_type: AuthType.AES, domain: h.url, max_retry: 0 });
    const e1 = (await wrong.courier.getCouriers().catch((e: unknown) => e)) as AftershipError;
    expect([e1.meta_code, e1.message]).toEqual([401, 'Invalid request signature: the signature does not match.']);

    const unsigned = await api(h, '/couriers');
    expect(unsigned.status).toBe(401);

    clock.advance(4 * 60_000);
    const e2 = (await signed.courier.getCouriers().catch((e: unknown) => e)) as AftershipError;
    expect(e2.message).toContain('more than 3 minutes');
  });
});

describe('OAuth bearer tokens', () => {
  it('lets tokens in with the right scopes only', async () => {
    const clock = new ManualClock();
    const redirect = 'http://127.0.0.1:1/callback';
    const oauth = createSandboxOAuthServer({ clientId: 'app', clientSecret: 'app-secret', redirectUris: [redirect], clock });
    h = await startSandbox({ seed: 3, clock, oauth, enforceRateLimits: false });
    const authorize = new URL(`${h.url}/oauth/authorize`);
    for (const [k, v] of Object.entries({ client_id: 'app', redirect_uri: redirect, response_type: 'code', scope: 'aftership:tracking:read', auto_approve: '1' })) {
      authorize.searchParams.set(k, v);
    }
    const redirected = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirected.headers.get('location')!).searchParams.get('code')!;
    const tokenRes = await fetch(`${h.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: 'app', client_secret: 'app-secret', redirect_uri: redirect }),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const bearer = { 'as-api-key': '', authorization: `Bearer ${token}` };
    expect((await api(h, '/trackings', { headers: bearer })).status).toBe(200);
    const noScope = await api(h, '/couriers', { headers: bearer });
    expect(noScope.status).toBe(403);
    expect((await noScope.json()).meta).toMatchObject({ code: 403, type: 'Forbidden' });
    expect((await api(h, '/trackings', { headers: { 'as-api-key': '', authorization: 'Bearer forged' } })).status).toBe(401);
  });
});
