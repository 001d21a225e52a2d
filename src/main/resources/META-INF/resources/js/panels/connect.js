import { path } from '../api.js';
import { $, fill, h, showNotice } from '../dom.js';
import { preview } from './preview.js';
import { isMutator, state } from '../state.js';

// The operator's connect form (two clusters, or the full mesh).

export function renderConnect() {
  if (!isMutator()) {
    fill('connect');
    delete $('connect').dataset.names;
    return;
  }
  const names = state.clusters.filter((c) => c.mesh?.enabled).map((c) => c.name);
  const key = names.join(',');
  if ($('connect').dataset.names === key) return;
  $('connect').dataset.names = key;
  if (names.length < 2) {
    fill('connect', h('p', { class: 'muted' }, 'Enable ClusterMesh on two clusters to connect them.'));
    return;
  }
  const choice = state.connectChoice && names.includes(state.connectChoice[0]) && names.includes(state.connectChoice[1])
    ? state.connectChoice : [names[0], names[1]];
  const select = (id, selected) => h('select', { id, onchange: rememberChoice }, names.map((n) => h('option', { value: n, selected: n === selected }, n)));
  fill('connect', h('div', { class: 'connect-form' },
    h('label', {}, 'Connect ', select('connect-a', choice[0])),
    h('label', {}, ' with ', select('connect-b', choice[1])),
    h('button', {
      type: 'button', id: 'connect-button', 'data-mutating': 'connect', onclick: () => {
        const [a, b] = [$('connect-a').value, $('connect-b').value];
        if (a === b) { showNotice('Pick two different clusters to connect.'); return; }
        preview({ title: `Connect ${a} ↔ ${b}`, method: 'PUT', url: `/api/v1/links/${path(a, b)}` });
      },
    }, 'Connect…'),
    names.length > 2 ? h('button', {
      type: 'button', id: 'connect-all-button', 'data-mutating': 'connect-all',
      onclick: () => preview({ title: `Full mesh of ${names.join(', ')}`, method: 'POST', url: '/api/v1/mesh/connect', body: () => ({ clusters: names }) }),
    }, 'Full mesh…') : null));
}

function rememberChoice() {
  state.connectChoice = [$('connect-a').value, $('connect-b').value];
}
