/**
 * The tracking page: look a shipment up by number (and courier, if known), show it, then follow it
 * live. After every (re)connection it asks again, so what it shows is never older than the gateway's
 * answer; an update older than what is shown is ignored. Everything from the network is written
 * with textContent (never as HTML).
 */
import { TrackingPageLookupDocument, TrackingPageUpdatesDocument, type TrackingPageShipmentFragment as Shipment } from './generated/graphql.js';
import { createLive, ProblemError, query, type GatewayConfig, type Live, type LiveState, type Problem } from './gateway.js';
import { deliveryEstimate, formatLocal, parseLocal, placeOf, safeWebUrl, sentenceFor, statusOf, telHref } from './present.js';

interface Lookup {
  trackingNumber: string;
  slug?: string;
}

/** At most this many characters are sent (tracking numbers are far shorter): a pasted novel is refused here. */
const MAX_INPUT = 100;

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found as T;
}

const meta = (name: string): string => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim() ?? '';

/** Where the gateway is (same origin unless the build said otherwise) and the page's token, from index.html. */
function gatewayConfig(): GatewayConfig {
  const http = new URL(meta('gateway-url') || '/graphql', location.href);
  const ws = new URL(http.href);
  ws.protocol = http.protocol === 'https:' ? 'wss:' : 'ws:';
  return { httpUrl: http.href, wsUrl: ws.href, token: meta('gateway-token') || undefined };
}

const config = gatewayConfig();
const form = byId<HTMLFormElement>('lookup');
const numberInput = byId<HTMLInputElement>('tracking-number');
const slugInput = byId<HTMLInputElement>('courier-slug');
const submit = byId<HTMLButtonElement>('track');
const problemLine = byId<HTMLParagraphElement>('problem');
const section = byId<HTMLElement>('shipment');
const liveLine = byId<HTMLParagraphElement>('live');
const liveText = byId<HTMLSpanElement>('live-text');
const reconnect = byId<HTMLButtonElement>('reconnect');
const announcer = byId<HTMLParagraphElement>('announcer');

let live: Live | undefined;
/** What is shown: the lookup, the shipment, how to stop following it, and the lookup in flight. */
let current: { lookup: Lookup; shipment?: Shipment; stop?: () => void; inFlight?: AbortController } | undefined;
let countdown: ReturnType<typeof setInterval> | undefined;

function announce(text: string): void {
  // The same text twice would not be read again: clear, then set on the next frame.
  announcer.textContent = '';
  requestAnimationFrame(() => (announcer.textContent = text));
}

function showProblem(problem: Problem | undefined, lookup?: Lookup): void {
  clearInterval(countdown);
  countdown = undefined;
  numberInput.removeAttribute('aria-invalid');
  if (!problem || !lookup) {
    problemLine.hidden = true;
    problemLine.textContent = '';
    return;
  }
  problemLine.hidden = false;
  problemLine.textContent = sentenceFor(problem, lookup);
  announce(problemLine.textContent);
  if (problem.kind === 'not-found' || problem.kind === 'invalid') numberInput.setAttribute('aria-invalid', 'true');
  if (problem.kind === 'rate-limited' && problem.retryAfterSeconds !== null) {
    // The wait counts down where it is shown; only its end is announced.
    const until = Date.now() + problem.retryAfterSeconds * 1000;
    countdown = setInterval(() => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      problemLine.textContent = sentenceFor(problem, lookup, left);
      if (left === 0) {
        clearInterval(countdown);
        announce(problemLine.textContent);
      }
    }, 250);
  }
}

const LIVE_TEXT: Readonly<Record<LiveState, string>> = {
  connecting: 'Connecting for live updates…',
  live: 'Live: changes appear here as they happen',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: live updates stopped.',
};

function showLive(state: LiveState): void {
  liveLine.dataset.state = state;
  liveText.textContent = LIVE_TEXT[state];
  reconnect.hidden = state !== 'offline';
}

/** Replaces the children of `id` with `nodes`. */
function fill(id: string, ...nodes: (Node | string)[]): void {
  byId(id).replaceChildren(...nodes);
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

function timeElement(text: string | null): HTMLTimeElement | undefined {
  const t = parseLocal(text);
  if (!t) return undefined;
  const el = document.createElement('time');
  el.dateTime = t.machine;
  el.textContent = formatLocal(t);
  if (t.offset) el.title = `Local time at the scan (UTC${t.offset === 'Z' ? '' : t.offset})`;
  return el;
}

/** What a customer would call a change: status, its message, or a new scan. */
const summaryOf = (s: Shipment): string => `${s.tag}|${s.subtagMessage}|${s.checkpoints.length}`;

function render(shipment: Shipment): void {
  const before = current?.shipment;
  // An update older than what is shown (a late event, a slow re-query) must not bring back an old status.
  if (before && before.id === shipment.id && before.updatedAt && shipment.updatedAt && Date.parse(shipment.updatedAt) < Date.parse(before.updatedAt)) return;
  if (current) current.shipment = shipment;

  const status = statusOf(shipment.tag);
  byId('status').textContent = status;
  section.dataset.tag = shipment.tag ?? '';
  const sub = shipment.subtagMessage && shipment.subtagMessage !== status ? shipment.subtagMessage : '';
  byId('substatus').textContent = sub;
  byId('number').textContent = shipment.trackingNumber;

  const courier = shipment.courier;
  const contact: (Node | string)[] = [courier?.name ?? 'Unknown courier'];
  const tel = courier?.phone ? telHref(courier.phone) : undefined;
  const web = safeWebUrl(courier?.webUrl ?? null);
  if (tel) contact.push(' · ', link(tel, `Call ${courier!.phone!}`));
  if (web) contact.push(' · ', link(web, `${courier!.name} website`));
  fill('courier', ...contact);

  const estimate = shipment.tag === 'DELIVERED' ? 'Delivered' : (deliveryEstimate(shipment.estimatedDelivery) ?? 'Not known yet');
  fill('estimate', estimate);

  // Newest first; `reversed` keeps the numbering in the order things happened.
  const items = [...shipment.checkpoints].reverse().map((c) => {
    const li = document.createElement('li');
    const when = timeElement(c.checkpointTime);
    if (when) li.append(when);
    const what = document.createElement('span');
    what.className = 'what';
    what.textContent = c.message || c.subtagMessage || 'Update from the courier';
    li.append(what);
    const place = placeOf(c);
    if (place) {
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = place;
      li.append(where);
    }
    return li;
  });
  const list = byId<HTMLOListElement>('checkpoints');
  list.replaceChildren(...items);
  byId('no-checkpoints').hidden = items.length > 0;
  section.hidden = false;

  if (!before || before.id !== shipment.id) announce(`Shipment found. ${status}${sub ? `: ${sub}` : ''}.`);
  else if (summaryOf(before) !== summaryOf(shipment)) {
    const latest = shipment.checkpoints.at(-1);
    announce(`Status update: ${status}${sub ? `: ${sub}` : ''}.${latest?.message ? ` Latest: ${latest.message}.` : ''}`);
  }
}

function liveClient(): Live {
  // After every (re)connection: ask again, since changes made while away were not pushed.
  return (live ??= createLive(config, showLive, () => void refresh()));
}

function follow(shipment: Shipment): void {
  if (!current) return;
  current.stop?.();
  current.stop = liveClient().follow(TrackingPageUpdatesDocument, { id: shipment.id }, {
    next: (data) => {
      showProblem(undefined);
      render(data.trackingUpdated);
    },
    problem: (p) => showProblem(p, current!.lookup),
  });
}

/** Looks the shown shipment up again (after a reconnection); a failure keeps what is shown. */
async function refresh(): Promise<void> {
  const shown = current;
  if (!shown?.shipment || shown.inFlight) return;
  try {
    const data = await query(config, TrackingPageLookupDocument, shown.lookup);
    if (current !== shown || !data.trackingByNumber) return;
    showProblem(undefined);
    render(data.trackingByNumber);
  } catch (e) {
    if (current === shown && e instanceof ProblemError) showProblem(e.problem, shown.lookup);
  }
}

async function lookUp(lookup: Lookup): Promise<void> {
  current?.inFlight?.abort();
  current?.stop?.();
  const inFlight = new AbortController();
  const mine: NonNullable<typeof current> = { lookup, inFlight };
  current = mine;
  showProblem(undefined);
  form.setAttribute('aria-busy', 'true');
  submit.disabled = true;
  try {
    const data = await query(config, TrackingPageLookupDocument, { trackingNumber: lookup.trackingNumber, slug: lookup.slug ?? null }, inFlight.signal);
    if (current !== mine) return;
    const found = data.trackingByNumber;
    if (!found) {
      section.hidden = true;
      showProblem({ kind: 'not-found' }, lookup);
      return;
    }
    render(found);
    follow(found);
  } catch (e) {
    if (current !== mine || !(e instanceof ProblemError)) return;
    section.hidden = true;
    showProblem(e.problem, lookup);
  } finally {
    if (current === mine) {
      mine.inFlight = undefined;
      form.removeAttribute('aria-busy');
      submit.disabled = false;
    }
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const trackingNumber = numberInput.value.trim().slice(0, MAX_INPUT);
  const slug = slugInput.value.trim().toLowerCase().slice(0, MAX_INPUT) || undefined;
  if (!trackingNumber) {
    numberInput.setAttribute('aria-invalid', 'true');
    problemLine.hidden = false;
    problemLine.textContent = 'Enter the tracking number from your shipping confirmation.';
    announce(problemLine.textContent);
    numberInput.focus();
    return;
  }
  const params = new URLSearchParams({ number: trackingNumber, ...(slug && { courier: slug }) });
  history.replaceState(null, '', `?${params}`);
  void lookUp({ trackingNumber, slug });
});

reconnect.addEventListener('click', () => {
  // graphql-ws gave up: a fresh client starts its retries from the beginning.
  live?.dispose();
  live = undefined;
  if (current) void lookUp(current.lookup);
});

// A shared link (?number=…&courier=…) opens straight on the shipment.
const shared = new URLSearchParams(location.search);
const sharedNumber = shared.get('number')?.trim();
if (sharedNumber) {
  numberInput.value = sharedNumber.slice(0, MAX_INPUT);
  slugInput.value = shared.get('courier')?.trim().slice(0, MAX_INPUT) ?? '';
  form.requestSubmit();
}
