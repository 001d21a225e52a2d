import { UNAVAILABLE, guarded, listOf, path, read } from '../api.js';
import { fill, formatTime, h, pill, unavailable } from '../dom.js';
import { state } from '../state.js';

// One link's transitions, flaps and last good time.

export function selectHistory(a, b) {
  state.historyLink = [a, b];
  state.history = null;
  renderHistory();
  refreshHistory().then(renderHistory).catch(() => {});
}

export function renderHistory() {
  if (!state.historyLink) return fill('history', h('p', { class: 'muted' }, 'No links yet.'));
  const [a, b] = state.historyLink;
  const title = h('p', {}, h('strong', {}, `${a} ↔ ${b}`));
  const data = state.history;
  if (data === UNAVAILABLE) return fill('history', title, unavailable('Link history is'));
  if (!data || data.error) return fill('history', title, h('p', { class: 'muted' }, data?.error || 'Loading…'));
  const transitions = listOf(data, 'transitions', 'history', 'entries');
  const flaps = data.flapCount ?? data.flaps;
  const lastGood = data.lastGoodAt ?? data.lastGood ?? data.lastGoodTime ?? data.lastHealthyAt;
  fill('history', title,
    h('p', {}, `Flaps: ${flaps ?? '—'} · last good: ${lastGood ? formatTime(lastGood) : 'never'}`),
    transitions.length ? h('table', { class: 'history' },
      h('thead', {}, h('tr', {}, ['time', 'from', 'to', 'reason'].map((t) => h('th', {}, t)))),
      h('tbody', {}, [...transitions].reverse().slice(0, 20).map((t) => h('tr', {},
        h('td', {}, formatTime(t.time ?? t.at)), h('td', {}, pill(t.from)), h('td', {}, pill(t.to)), h('td', {}, t.reason || '')))))
      : h('p', { class: 'muted' }, 'No transitions recorded.'));
}

export async function refreshHistory() {
  const known = state.links.map((l) => [l.a, l.b]);
  if (!state.historyLink || !known.some(([a, b]) => a === state.historyLink[0] && b === state.historyLink[1])) {
    state.historyLink = known[0] || null;
  }
  if (!state.historyLink) {
    state.history = null;
    return;
  }
  const [a, b] = state.historyLink;
  state.history = await guarded(() => read(`/api/v1/links/${path(a, b)}/history`));
}
