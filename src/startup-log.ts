/** The lines a person starting the gateway reads first: where GraphiQL is, what it talks to, and what is off. */
import type { Logger } from './lib/logger.js';

export interface StartupFacts {
  /** How a browser reaches the gateway (PUBLIC_URL, or localhost). */
  publicUrl: string;
  /** The gateway's own loopback URL. */
  url: string;
  /** AfterShip's base URL (the embedded sandbox's in sandbox mode). */
  aftershipUrl: string;
  /** The embedded sandbox's API key, in sandbox mode. */
  sandboxApiKey?: string;
  /** How much faster than real time the embedded sandbox's world runs (SANDBOX_SPEED). */
  sandboxSpeed?: number;
  accessControl: string;
  /** The example tracking page, when served (no real AfterShip account). */
  examplePageUrl?: string;
  /** Accounts with no webhook secret: their webhooks are refused and subscriptions polled. */
  webhooksOff: readonly string[];
  pollIntervalMs: number;
}

export function logStartup(logger: Logger, facts: StartupFacts): void {
  const { publicUrl, url, aftershipUrl } = facts;
  if (facts.sandboxApiKey !== undefined) {
    logger.info('Sandbox mode: no AfterShip account is configured (AFTERSHIP_API_KEY or AFTERSHIP_ACCOUNTS), so the gateway runs against its embedded AfterShip sandbox');
    logger.info(`GraphiQL:  ${publicUrl}/graphql  (run the example query, then a subscription)`);
    logger.info(`Sandbox:   ${aftershipUrl}/tracking/2026-07/trackings (API key "${facts.sandboxApiKey}"), controls at ${aftershipUrl}/__sandbox/`);
    logger.info(`Webhooks:  the sandbox posts signed webhooks to ${url}/webhooks/aftership`);
    const speed = facts.sandboxSpeed ?? 1;
    logger.info(speed === 1
      ? 'World:     real time, as AfterShip: hours to days between scans (SANDBOX_SPEED=1440 for a day a minute)'
      : `World:     a time-lapse, ${speed}x real time (${speed === 1440 ? 'a simulated day a minute' : `a simulated day every ${(86_400 / speed).toFixed(1)} s`}); its dates run ahead of yours (SANDBOX_SPEED=1: real time)`);
  } else {
    // Not "ready": whether AfterShip accepts the credentials is logged when the first probe answers.
    logger.info(`Gateway started: GraphiQL at ${publicUrl}/graphql, AfterShip at ${aftershipUrl}, access control: ${facts.accessControl}`);
  }
  if (facts.examplePageUrl) logger.info(`Example:   ${facts.examplePageUrl}  (a customer's tracking page; build it once with npm run example:build)`);
  for (const account of facts.webhooksOff) {
    const variable = account === 'default' ? 'AFTERSHIP_WEBHOOK_SECRET' : `a webhookSecret in AFTERSHIP_ACCOUNTS for "${account}"`;
    logger.warn(
      { account, webhooks: 'off', pollIntervalMs: facts.pollIntervalMs },
      `Webhooks are off for account "${account}" (no ${variable}): deliveries are refused, and subscriptions are kept live by polling their trackings every ${facts.pollIntervalMs / 1000} s`,
    );
  }
}
