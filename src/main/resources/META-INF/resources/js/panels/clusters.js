import { UNAVAILABLE, listOf, path } from '../api.js';
import { fill, h, pill, statusClass } from '../dom.js';
import { preview } from './preview.js';
import { isMutator, state } from '../state.js';

// The clusters table: API, Cilium, ClusterMesh, reachability and health per cluster, with the operator's actions.

function clusterHealth(name) {
  const health = state.health;
  if (!health || health === UNAVAILABLE || health.error) return null;
  return listOf(health.clusters).find((c) => c.name === name) || null;
}

export function renderClusters() {
  if (!state.clusters.length) {
    fill('clusters', h('p', { class: 'muted' }, 'No clusters configured.'), sourceErrors());
    return;
  }
  const operator = isMutator();
  const rows = state.clusters.map((c) => {
    const mesh = c.mesh || {};
    const reach = c.reachability || {};
    const health = clusterHealth(c.name);
    const failing = health ? listOf(health.checks).filter((k) => k.status && statusClass(k.status) !== 'good') : [];
    return h('tr', { 'data-cluster': c.name },
      h('td', {}, h('strong', {}, c.name), c.simulated ? h('span', { class: 'badge simulated-badge' }, 'SIMULATED') : null,
        c.context && c.context !== c.name ? h('div', { class: 'muted' }, `context ${c.context}`) : null),
      h('td', {}, c.reachable ? pill('ok') : h('span', { class: 'pill bad' }, 'unreachable')),
      h('td', {}, c.ciliumVersion || '—'),
      h('td', {}, c.clusterName ?? '—', c.clusterId !== undefined && c.clusterId !== null ? h('span', { class: 'muted' }, ` id ${c.clusterId}`) : null),
      h('td', {}, meshPill(c),
        mesh.serviceType ? h('div', {}, mesh.serviceType) : null,
        listOf(mesh.endpoints).map((e) => h('div', { class: 'mono' }, e))),
      h('td', {}, reach.mode || 'direct', reach.endpoint ? h('div', { class: 'mono' }, reach.endpoint) : null),
      h('td', {}, health ? pill(health.status) : h('span', { class: 'muted' }, '—'),
        failing.map((k) => h('div', { class: 'check', title: k.hint || '' }, `${k.name}: ${k.reason || k.status}`))),
      h('td', { class: 'errors' }, listOf(c.errors).map((e) => h('div', {}, e))),
      operator ? h('td', { class: 'actions' }, clusterActions(c)) : null);
  });
  const headers = ['Cluster', 'API', 'Cilium', 'Cilium cluster', 'ClusterMesh', 'Reachability', 'Health', 'Errors'];
  if (operator) headers.push('Actions');
  // Narrow screens stack each row into a card; the label says which column a cell was.
  rows.forEach((row) => [...row.children].forEach((cell, i) => cell.setAttribute('data-label', headers[i])));
  fill('clusters', h('table', { id: 'clusters-table' }, h('thead', {}, h('tr', {}, headers.map((t) => h('th', {}, t)))), h('tbody', {}, rows)),
    sourceErrors());
}

export function sourceErrors() {
  if (!state.sourceErrors.length) return null;
  return h('ul', { class: 'errors' }, state.sourceErrors.map((e) =>
    h('li', {}, [e.source, e.context, e.message].filter(Boolean).join(' — '))));
}

// An unreachable cluster's ClusterMesh is unknown: never shown as "disabled" (which invites Enable).
export function meshState(c) {
  return c.state || (!c.reachable ? 'unreachable' : c.mesh?.enabled ? 'enabled' : 'disabled');
}

function meshPill(c) {
  const state = meshState(c);
  return h('span', { class: `pill ${state === 'enabled' ? 'good' : state === 'unreachable' ? 'bad' : 'unknown'}` }, state);
}

function clusterActions(c) {
  const enabled = c.mesh?.enabled;
  if (meshState(c) === 'unreachable') return [h('span', { class: 'muted' }, 'unreachable: no actions until its API answers')];
  const base = `/api/v1/clusters/${path(c.name)}`;
  return [
    enabled
      ? actionButton('Disable', 'disable', { title: `Disable ClusterMesh on ${c.name}`, method: 'DELETE', url: `${base}/clustermesh` })
      : actionButton('Enable', 'enable', {
        title: `Enable ClusterMesh on ${c.name}`, method: 'PUT', url: `${base}/clustermesh`,
        options: { serviceType: ['NodePort', 'LoadBalancer', 'ClusterIP'] },
        body: (options) => ({ serviceType: options.serviceType }),
      }),
    actionButton('Rotate keys', 'rotate-wireguard', { title: `Rotate WireGuard keys on ${c.name}`, method: 'POST', url: `${base}/wireguard/rotations` }),
    enabled ? actionButton('Rotate certs', 'rotate-certificates', { title: `Re-issue ClusterMesh certificates on ${c.name}`, method: 'POST', url: `${base}/certificates/rotations` }) : null,
  ];
}

function actionButton(label, kind, action) {
  return h('button', { type: 'button', 'data-mutating': kind, onclick: () => preview(action) }, `${label}…`);
}
