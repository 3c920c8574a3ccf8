/**
 * Checkpoint: one event in a tracking's history, as the courier (or the merchant) reported it.
 */
import type { Checkpoint } from '../aftership/wire-types.js';
import { builder } from './builder.js';
import { LIST_SIZES } from './limits.js';
import { courierField } from './courier.js';
import { CheckpointSource, TagEnum, tagOrNull } from './enums.js';

type Coordinates = { latitude?: number; longitude?: number };
type CheckpointEvent = NonNullable<Checkpoint['events']>[number];

const CoordinatesRef = builder.objectRef<Coordinates>('Coordinates').implement({
  description: 'A point on Earth (WGS 84), for showing a checkpoint on a map.',
  fields: (t) => ({
    latitude: t.exposeFloat('latitude', { description: 'Latitude in degrees, −90 to 90.' }),
    longitude: t.exposeFloat('longitude', { description: 'Longitude in degrees, −180 to 180.' }),
  }),
});

const CheckpointEventRef = builder.objectRef<CheckpointEvent>('CheckpointEvent').implement({
  description: 'A normalised fact the checkpoint carries beyond its status, e.g. `picked_up` or `delivered_to_neighbor`.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The event code, e.g. `picked_up`, `signed`, `returned_to_sender`, `delivered_to_neighbor`.' }),
    reasonCode: t.string({
      description: 'Why the event happened, when known, e.g. `incorrect_missing_address`.',
      resolve: (event) => event.reason?.code ?? null,
    }),
  }),
});

export const CheckpointRef = builder.objectRef<Checkpoint>('Checkpoint').implement({
  description: 'One event in the history of a tracking, e.g. "Arrived at sorting facility". Checkpoints come oldest first.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'The courier\'s description of the event.' }),
    tag: t.field({
      type: TagEnum,
      description: 'Main status at this checkpoint.',
      resolve: (c) => tagOrNull(c.tag),
    }),
    subtag: t.exposeString('subtag', { description: 'Detailed status code, e.g. `InTransit_003` (see AfterShip\'s sub-status list).' }),
    subtagMessage: t.exposeString('subtag_message', { description: 'Readable name of the subtag, e.g. "Arrival scan".' }),
    checkpointTime: t.field({
      type: 'LocalDateTime',
      description: 'When the event happened, in the courier\'s local time (with an offset when the courier gave one).',
      resolve: (c) => c.checkpoint_time ?? null,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When AfterShip recorded the checkpoint.',
      resolve: (c) => c.created_at ?? null,
    }),
    location: t.exposeString('location', { description: 'Free-text location as the courier wrote it, e.g. "BOCA RATON, FL, 33487, USA".' }),
    city: t.exposeString('city', { description: 'City (sometimes a facility name).' }),
    state: t.exposeString('state', { description: 'State, province or region.' }),
    postalCode: t.exposeString('postal_code', { description: 'Postal code.' }),
    countryRegion: t.exposeString('country_region', { description: 'Country or region, ISO 3166-1 alpha-3 (e.g. `USA`).' }),
    countryRegionName: t.exposeString('country_region_name', { description: 'Country or region name, e.g. "United States".' }),
    coordinates: t.field({
      type: CoordinatesRef,
      description: 'Where the event happened, when the courier gave coordinates.',
      resolve: (c) => (c.coordinate && c.coordinate.latitude !== undefined ? c.coordinate : null),
    }),
    source: t.field({
      type: CheckpointSource.ref,
      description: 'Who reported the checkpoint: the courier or the merchant.',
      resolve: (c) => CheckpointSource.orNull(c.source),
    }),
    rawTag: t.exposeString('raw_tag', { description: 'The courier\'s own status code, untranslated.' }),
    events: t.field({
      type: [CheckpointEventRef],
      listSize: LIST_SIZES.checkpointEvents,
      nullable: false,
      description: 'Normalised events this checkpoint carries (often empty).',
      resolve: (c) => c.events ?? [],
    }),
    slug: t.exposeString('slug', { description: 'Slug of the courier that reported the checkpoint.' }),
    courier: courierField(t, (c) => c.slug, 'The courier that reported the checkpoint; null when the slug is unknown.'),
    hash: t.exposeString('hash', { description: 'Unique fingerprint of the event, stable across fetches: use it as a list key or to de-duplicate.' }),
  }),
});
