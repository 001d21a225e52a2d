import { UNAVAILABLE, guarded, listOf, path, read } from '../api.js';
import { fill, formatTime, h, unavailable } from '../dom.js';
import { state } from '../state.js';

// The expiry calendar of certificates and WireGuard keys.

const CERTIFICATE_REFRESH_MS = 30000;

export function expiries() {
  const health = state.health;
  if (health && health !== UNAVAILABLE && !health.error) return listOf(health.expiries);
  return state.certificates;
}

export function renderExpiries() {
  const items = expiries();
  if (items === UNAVAILABLE) return fill('expiries', unavailable('Expiry information is'));
  if (!items || items.error) return fill('expiries', h('p', { class: 'muted' }, items?.error || 'Loading…'));
  if (!items.length) return fill('expiries', h('p', { class: 'muted' }, 'Nothing expires.'));
  const sorted = [...items].sort((x, y) => String(x.notAfter).localeCompare(String(y.notAfter)));
  const months = new Map();
  for (const item of sorted) {
    const date = new Date(item.notAfter);
    const month = Number.isNaN(date.getTime()) ? 'unknown' : date.toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    if (!months.has(month)) months.set(month, []);
    months.get(month).push(item);
  }
  // Coloured by what is due, not by how near the date is: a WireGuard key rotated minutes ago
  // under a short maximum age is fine until it reaches that age.
  const now = Date.now();
  const urgency = (e) => {
    const ends = Date.parse(e.notAfter);
    const due = Date.parse(e.dueAt);
    if (ends <= now) return 'bad';
    if (Number.isNaN(due)) return 'unknown';
    return due <= now ? 'warn' : 'good';
  };
  const inWords = (ms) => (ms >= 86400000 ? `${Math.floor(ms / 86400000)} days` : `${Math.max(1, Math.round(ms / 60000))} min`);
  const dueText = (e) => {
    const ends = Date.parse(e.notAfter);
    const due = Date.parse(e.dueAt);
    if (ends <= now) return due >= ends ? ' (overdue)' : ' (expired)';
    if (Number.isNaN(due)) return typeof e.daysLeft === 'number' ? ` (${e.daysLeft} days)` : '';
    const when = due <= now ? 'now' : `in ${inWords(due - now)}`;
    return due >= ends ? ` (due ${when})` : ` (${e.daysLeft} days left; renew ${when})`;
  };
  fill('expiries', h('div', { class: 'calendar' }, [...months].map(([month, list]) => h('div', { class: 'month' },
    h('h3', {}, month),
    h('ul', {}, list.map((e) => h('li', { class: urgency(e) },
      h('span', { class: 'day' }, formatTime(e.notAfter).slice(0, 10)), ' ',
      h('strong', {}, e.cluster || ''), ' ', e.what || '',
      h('span', { class: 'muted' }, dueText(e)))))))));
}

// Certificates are only needed when the health endpoint (which carries expiries) is missing.
export async function refreshCertificates() {
  if (Date.now() - state.certificatesAt < CERTIFICATE_REFRESH_MS) return;
  state.certificatesAt = Date.now();
  const perCluster = await Promise.all(state.clusters.map(async (c) => {
    const answer = await guarded(() => read(`/api/v1/clusters/${path(c.name)}/certificates`));
    if (answer === UNAVAILABLE || answer?.error) return answer;
    return listOf(answer, 'certificates').map((cert) => ({
      what: cert.what || cert.name || cert.subject || 'certificate',
      cluster: c.name,
      notAfter: cert.notAfter,
      daysLeft: cert.daysLeft,
    }));
  }));
  state.certificates = perCluster.every((a) => a === UNAVAILABLE) ? UNAVAILABLE
    : perCluster.filter(Array.isArray).flat();
}
