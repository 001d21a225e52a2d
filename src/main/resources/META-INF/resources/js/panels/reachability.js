import { UNAVAILABLE, listOf } from '../api.js';
import { fill, formatLatency, formatTime, h, statusClass, unavailable } from '../dom.js';
import { state } from '../state.js';

// The reachability matrix: one cell per direction with result, reason and hint.

export function renderReachability() {
  const data = state.reachability;
  if (data === UNAVAILABLE) return fill('reachability', unavailable('The reachability matrix is'));
  if (!data || data.error) return fill('reachability', h('p', { class: 'muted' }, data?.error || 'Loading…'));
  const entries = listOf(data, 'matrix', 'pairs', 'entries', 'results');
  if (!entries.length) return fill('reachability', h('p', { class: 'muted' }, 'No probes yet.'));
  const names = [...new Set(entries.flatMap((e) => [e.from, e.to]))].sort();
  const cell = (from, to) => {
    if (from === to) return h('td', { class: 'self' }, '—');
    const e = entries.find((x) => x.from === from && x.to === to);
    if (!e) return h('td', { class: 'muted' }, 'not probed');
    return h('td', { class: `result ${statusClass(e.result)}`, title: [e.mode, e.endpoint, formatTime(e.checkedAt)].filter(Boolean).join(' · ') },
      h('div', {}, e.result || 'unknown'), h('div', { class: 'muted' }, [formatLatency(e.latencyMs), e.path].filter(Boolean).join(' · ')),
      e.reason ? h('div', { class: 'reason' }, e.reason) : null,
      e.hint ? h('div', { class: 'hint' }, e.hint) : null);
  };
  fill('reachability', h('table', { class: 'matrix' },
    h('thead', {}, h('tr', {}, h('th', {}, 'from ↓ to →'), names.map((n) => h('th', {}, n)))),
    h('tbody', {}, names.map((from) => h('tr', {}, h('th', {}, from), names.map((to) => cell(from, to)))))));
}
