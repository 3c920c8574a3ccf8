/**
 * The root operation types. Family files add their fields with queryFields/mutationFields.
 * (Subscription is added by the realtime layer, not here.)
 */
import { builder } from './builder.js';

builder.queryType({
  description: 'Read shipments, couriers, delivery estimates and carrier connections of the AfterShip account.',
});

builder.mutationType({
  description:
    'Change trackings, their notification receivers and carrier connections. Expected failures come back as typed results (`... on NotFound`, `... on RateLimited`, ...), not as errors.',
});
