/**
 * The GraphQL schema: imports every family file (each registers its types and root fields
 * with the builder) and builds the schema once.
 */
import { builder } from './builder.js';
import './root.js';
import './scalars.js';
import './errors.js';
import './enums.js';
import './common.js';
import './checkpoint.js';
import './courier.js';
import './tracking.js';
import './tracking-queries.js';
import './tracking-mutations.js';
import './estimated-delivery.js';
import './estimated-delivery-prediction.js';
import './notification.js';
import './carrier-connection.js';
import './live.js';
import './analytics.js';

export const schema = builder.toSchema();
