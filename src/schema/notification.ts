/**
 * Notification receivers: the people AfterShip notifies about a tracking. Since API 2024-07
 * they are the tracking's `customers[]` (at most 3), changed with PUT /trackings/{id}; the
 * add/remove mutations read the current list and write the merged one.
 */
import type { Tracking, UpdateTrackingRequest } from '../aftership/wire-types.js';
import { formatPath } from '../aftership/errors.js';
import type { GraphQLContext } from '../context.js';
import { builder } from './builder.js';
import { LIST_SIZES } from './limits.js';
import { TRACKING_WRITE_ERRORS } from './errors.js';
import { InvalidInputError, NotFoundError, typedErrors } from './error-mapping.js';
import { rawId } from './ids.js';
import { TrackingRef } from './tracking.js';

export const MAX_CUSTOMERS = 3;

type Customer = NonNullable<Tracking['customers']>[number];

export const CustomerRef = builder.objectRef<Customer>('NotificationReceiver').implement({
  description: 'A person (or company) AfterShip notifies about the shipment, by e-mail and/or SMS.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The merchant\'s own id of this receiver (AfterShip\'s customer id).' }),
    role: t.exposeString('role', { description: 'Their role, e.g. `buyer`, `receiver` or `sender`.' }),
    name: t.exposeString('name', { description: 'Their name.' }),
    email: t.exposeString('email', { description: 'E-mail address notifications go to.' }),
    phoneNumber: t.exposeString('phone_number', { description: 'Phone number SMS notifications go to (E.164, e.g. `+14155550100`).' }),
    language: t.exposeString('language', { description: 'Language of their notifications (ISO 639-1).' }),
  }),
});

export const CustomerInput = builder.inputType('NotificationReceiverInput', {
  description: 'A person to notify about the shipment. Give at least an e-mail or a phone number.',
  fields: (t) => ({
    id: t.string({ description: 'Your own id of this receiver (AfterShip\'s customer id).' }),
    role: t.string({ description: 'Their role, e.g. `buyer`.' }),
    name: t.string({ description: 'Their name.' }),
    email: t.string({ description: 'E-mail address for notifications.' }),
    phoneNumber: t.string({ description: 'Phone number for SMS, E.164 with a leading `+`.' }),
    language: t.string({ description: 'Language of their notifications (ISO 639-1).' }),
  }),
});

type CustomerInputShape = typeof CustomerInput.$inferInput;
type WireCustomer = NonNullable<UpdateTrackingRequest['customers']>[number];

export function toWireCustomers(inputs: readonly CustomerInputShape[], field: string): WireCustomer[] {
  if (inputs.length > MAX_CUSTOMERS) {
    throw new InvalidInputError(`A tracking has at most ${MAX_CUSTOMERS} notification receivers; got ${inputs.length}.`, field);
  }
  return inputs.map((c, i) => {
    if (!c.email && !c.phoneNumber) throw new InvalidInputError(`${field}[${i}] needs an email or a phoneNumber.`, field);
    if (c.phoneNumber && !/^\+[1-9]\d{4,14}$/.test(c.phoneNumber)) {
      throw new InvalidInputError(`${field}[${i}].phoneNumber must be E.164 with a leading +, e.g. +14155550100.`, 'phoneNumber');
    }
    const out: WireCustomer = {};
    if (c.id) out.id = c.id;
    if (c.role) out.role = c.role;
    if (c.name) out.name = c.name;
    if (c.email) out.email = c.email;
    if (c.phoneNumber) out.phone_number = c.phoneNumber;
    if (c.language) out.language = c.language;
    return out;
  });
}

/** A receiver as AfterShip stores it, back into request shape (nulls dropped). */
function fromTracking(c: Customer): WireCustomer {
  const out: WireCustomer = {};
  for (const key of ['id', 'role', 'name', 'email', 'phone_number', 'language'] as const) {
    const v = c[key];
    if (v) out[key] = v;
  }
  return out;
}

const sameReceiver = (a: WireCustomer, b: WireCustomer): boolean =>
  Boolean((a.email && a.email.toLowerCase() === b.email?.toLowerCase()) || (a.phone_number && a.phone_number === b.phone_number) || (a.id && a.id === b.id));

builder.objectFields(TrackingRef, (t) => ({
  notificationReceivers: t.field({
    type: [CustomerRef],
    listSize: MAX_CUSTOMERS,
    nullable: false,
    description: `Who AfterShip notifies about it (at most ${MAX_CUSTOMERS}; AfterShip's \`customers\`).`,
    resolve: (tr) => tr.customers ?? [],
  }),
  subscribedEmails: t.stringList({ nullable: false, listSize: LIST_SIZES.subscribers, description: 'E-mail addresses subscribed to notifications for it.', resolve: (tr) => tr.subscribed_emails ?? [] }),
  subscribedSmses: t.stringList({ nullable: false, listSize: LIST_SIZES.subscribers, description: 'Phone numbers subscribed to SMS notifications for it.', resolve: (tr) => tr.subscribed_smses ?? [] }),
}));

const AddReceiversInput = builder.inputType('AddNotificationReceiversInput', {
  description: 'Receivers to add to a tracking (one already there, by e-mail, phone or id, is updated instead).',
  fields: (t) => ({
    trackingId: t.id({ required: true, description: 'The tracking: its global ID or AfterShip id.' }),
    receivers: t.field({ type: [CustomerInput], required: true, description: `Who to add; the tracking may end up with at most ${MAX_CUSTOMERS}.` }),
  }),
});

const RemoveReceiversInput = builder.inputType('RemoveNotificationReceiversInput', {
  description: 'Receivers to remove from a tracking, matched by e-mail, phone number or id.',
  fields: (t) => ({
    trackingId: t.id({ required: true, description: 'The tracking: its global ID or AfterShip id.' }),
    emails: t.stringList({ description: 'Remove receivers with these e-mail addresses (case-insensitive).' }),
    phoneNumbers: t.stringList({ description: 'Remove receivers with these phone numbers.' }),
    ids: t.stringList({ description: 'Remove receivers with these ids (`NotificationReceiver.id`).' }),
  }),
});

/** Reads the current receivers fresh from AfterShip (a stale copy could drop someone), writes the new list. */
async function rewriteReceivers(
  ctx: GraphQLContext,
  trackingId: string,
  change: (current: WireCustomer[]) => WireCustomer[],
): Promise<Tracking> {
  const id = rawId('Tracking', trackingId, 'trackingId');
  const current = await ctx.client.getTracking(id);
  if (!current.id) throw new NotFoundError(`Tracking ${id} does not exist.`);
  const next = change((current.customers ?? []).map(fromTracking));
  if (next.length > MAX_CUSTOMERS) {
    throw new InvalidInputError(`A tracking has at most ${MAX_CUSTOMERS} notification receivers; this would make ${next.length}.`, 'receivers');
  }
  const updated = await ctx.client.updateTracking(current.id, { customers: next });
  return ctx.loaders.primeTracking(updated);
}

builder.mutationFields((t) => ({
  addNotificationReceivers: t.field({
    type: TrackingRef,
    // Read fresh, then write the merged list.
    cost: { calls: 2 },
    authScopes: { $all: { 'aftership:tracking:read': true, 'aftership:tracking:write': true } },
    nullable: false,
    description: `Adds people to notify about a tracking (at most ${MAX_CUSTOMERS} in all). Costs 2 AfterShip calls: read, then write.`,
    args: { input: t.arg({ type: AddReceiversInput, required: true, description: 'Tracking and receivers.' }) },
    errors: {
      types: TRACKING_WRITE_ERRORS,
      union: { name: 'AddNotificationReceiversResult', description: 'The updated tracking, or why it failed.' },
      result: { name: 'AddNotificationReceiversSuccess', description: 'The receivers were added.' },
      dataField: { name: 'tracking', description: 'The tracking with its new receivers.' },
    },
    resolve: (_root, { input }, ctx) => {
      // The receivers kept come first in what AfterShip is sent: its `customers[n]` is `receivers[n - kept]`.
      let kept = 0;
      return typedErrors(
        () => {
          const added = toWireCustomers(input.receivers, 'receivers');
          return rewriteReceivers(ctx, input.trackingId, (current) => {
            const keep = current.filter((c) => !added.some((a) => sameReceiver(a, c)));
            kept = keep.length;
            return [...keep, ...added];
          });
        },
        ([head, index, ...rest]) =>
          head === 'customers' && typeof index === 'number' && index >= kept ? formatPath(['receivers', index - kept, ...rest]) : null,
      );
    },
  }),
  removeNotificationReceivers: t.field({
    type: TrackingRef,
    // Read fresh, then write the merged list.
    cost: { calls: 2 },
    authScopes: { $all: { 'aftership:tracking:read': true, 'aftership:tracking:write': true } },
    nullable: false,
    description: 'Stops notifying some people about a tracking. Costs 2 AfterShip calls: read, then write.',
    args: { input: t.arg({ type: RemoveReceiversInput, required: true, description: 'Tracking and who to remove.' }) },
    errors: {
      types: TRACKING_WRITE_ERRORS,
      union: { name: 'RemoveNotificationReceiversResult', description: 'The updated tracking, or why it failed.' },
      result: { name: 'RemoveNotificationReceiversSuccess', description: 'The receivers were removed.' },
      dataField: { name: 'tracking', description: 'The tracking with its remaining receivers.' },
    },
    resolve: (_root, { input }, ctx) =>
      typedErrors(async () => {
        const emails = new Set((input.emails ?? []).map((e) => e.toLowerCase()));
        const phones = new Set(input.phoneNumbers ?? []);
        const ids = new Set(input.ids ?? []);
        if (emails.size + phones.size + ids.size === 0) {
          throw new InvalidInputError('Say who to remove: emails, phoneNumbers or ids.', 'emails');
        }
        return rewriteReceivers(ctx, input.trackingId, (current) =>
          current.filter((c) => !((c.email && emails.has(c.email.toLowerCase())) || (c.phone_number && phones.has(c.phone_number)) || (c.id && ids.has(c.id)))),
        );
      }),
  }),
}));
