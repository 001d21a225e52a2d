import { UNAVAILABLE, guarded, listOf, read } from '../api.js';
import { fill, formatTime, h, pill, statusClass } from '../dom.js';
import { changed, running, state } from '../state.js';

// Recent operations with their steps and progress.

export function renderOperations() {
  if (!changed('operations', state.operations)) return;
  const operations = [...state.operations]
    .sort((x, y) => String(y.createdAt || '').localeCompare(String(x.createdAt || '')))
    .slice(0, 8);
  if (!operations.length) return fill('operations', h('p', { class: 'muted' }, 'No operations yet.'));
  fill('operations', operations.map((o) => {
    const done = o.progress?.done ?? 0;
    const total = o.progress?.total ?? 0;
    const details = h('details', { open: state.openOperations.has(o.id) },
      h('summary', {}, `${listOf(o.steps).length} steps`),
      h('ol', { class: 'steps' }, listOf(o.steps).map((s) => h('li', { class: statusClass(s.state) },
        `${s.name} — ${s.state}`, s.message ? h('span', { class: 'muted' }, ` ${s.message}`) : null))));
    details.addEventListener('toggle', () => {
      if (details.open) state.openOperations.add(o.id); else state.openOperations.delete(o.id);
    });
    return h('div', { class: 'operation', 'data-operation': o.id, 'data-state': o.state },
      h('div', { class: 'operation-head' }, h('strong', {}, o.kind || 'operation'), ' ', o.target || '', ' ', pill(o.state),
        o.requestedBy ? h('span', { class: 'muted' }, ` by ${o.requestedBy}`) : null),
      h('div', { class: 'progress-line' }, h('progress', { max: Math.max(total, 1), value: total ? done : (running(o) ? 0 : 1) }),
        h('span', { class: 'muted' }, ` ${done}/${total} · ${formatTime(o.createdAt)}`)),
      o.error ? h('div', { class: 'error' }, o.error) : null,
      details);
  }));
}

export async function refreshOperations() {
  const operations = await guarded(() => read('/api/v1/operations'));
  if (operations?.error || operations === UNAVAILABLE) return;
  state.operations = listOf(operations, 'operations');
  renderOperations();
}
