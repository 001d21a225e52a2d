import { listOf, path } from '../api.js';
import { fill, formatLatency, h, pill } from '../dom.js';
import { selectHistory } from './history.js';
import { preview } from './preview.js';
import { isMutator, state } from '../state.js';

// Link cards: each direction's control and data plane, with reasons and hints.

export function renderLinks() {
  if (!state.links.length) {
    fill('links', h('p', { class: 'muted' }, 'No links yet.'));
    return;
  }
  const operator = isMutator();
  fill('links', state.links.map((l) => h('div', { class: 'link-card', 'data-a': l.a, 'data-b': l.b, 'data-status': l.status },
    h('div', { class: 'link-head' }, h('strong', {}, `${l.a} ↔ ${l.b}`), pill(l.status),
      h('button', { type: 'button', class: 'secondary', onclick: () => selectHistory(l.a, l.b) }, 'History'),
      operator ? h('button', {
        type: 'button', 'data-mutating': 'disconnect',
        onclick: () => preview({ title: `Disconnect ${l.a} ↔ ${l.b}`, method: 'DELETE', url: `/api/v1/links/${path(l.a, l.b)}` }),
      }, 'Disconnect…') : null),
    h('table', { class: 'directions' }, h('tbody', {}, listOf(l.directions).map((d) => h('tr', {},
      h('td', {}, `${d.from} → ${d.to}`),
      h('td', {}, pill(d.status)),
      h('td', { class: 'data-plane' }, d.dataPlane ? pill(d.dataPlane.state === 'ok' ? 'ok' : d.dataPlane.state) : ''),
      h('td', {}, `${d.agentsReady ?? '?'}/${d.agentsTotal ?? '?'} agents`),
      h('td', {}, formatLatency(d.latencyMs)),
      h('td', {}, d.reason || '', d.hint ? h('div', { class: 'hint' }, d.hint) : null,
        d.dataPlane && d.dataPlane.state !== 'ok' ? h('div', { class: 'hint' },
          `data plane: ${listOf(d.dataPlane.reasons).map((r) => r.message).join('; ')}`,
          d.dataPlane.remediation ? h('div', {}, d.dataPlane.remediation) : null) : null))))))));
}
