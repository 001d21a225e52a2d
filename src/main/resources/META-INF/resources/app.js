// Admin page for clustermesh-controller, as ES modules served as they are (no bundler): this file
// signs in, refreshes and renders; js/api.js talks to the service, js/dom.js builds elements, and
// each panel has its module under js/panels/. Plain DOM, no framework: every API string reaches the
// page through textContent or setAttribute, never through HTML parsing, so a cluster name or an
// error message cannot inject markup. The bearer token lives only in sessionStorage and in the
// Authorization header; it is never written into the page.

import { SignedOut, TOKEN_KEY, UNAVAILABLE, guarded, listOf, onSignedOut, read, token } from './js/api.js';
import { $, fill, showNotice, statusClass } from './js/dom.js';
import { OPERATION_ACCEPTED } from './js/panels/preview.js';
import { renderChecks } from './js/panels/checks.js';
import { renderClusters } from './js/panels/clusters.js';
import { renderConnect } from './js/panels/connect.js';
import { expiries, refreshCertificates, renderExpiries } from './js/panels/expiries.js';
import { renderGraph } from './js/panels/graph.js';
import { refreshHistory, renderHistory } from './js/panels/history.js';
import { renderLinks } from './js/panels/links.js';
import { refreshOperations, renderOperations } from './js/panels/operations.js';
import { renderReachability } from './js/panels/reachability.js';
import { changed, rendered, running, sleep, state } from './js/state.js';

const REFRESH_MS = 3000;

const OPERATION_POLL_MS = 700;

function showSignIn(message) {
  $('app').hidden = true;
  $('sign-in').hidden = false;
  $('sign-out').hidden = true;
  $('whoami').hidden = true;
  $('overall').hidden = true;
  $('sign-in-message').textContent = message || 'Sign in with a viewer or operator token.';
  $('token').focus();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.generation++;
  state.me = null;
  state.connectChoice = null;
  document.querySelectorAll('dialog').forEach((d) => d.remove());
  for (const id of ['clusters', 'graph', 'connect', 'links', 'reachability', 'expiries', 'checks', 'history', 'operations']) fill(id);
  delete $('connect').dataset.names;
  rendered.clear();
  showSignIn(message);
}

async function start() {
  const generation = ++state.generation;
  let me;
  try {
    me = await read('/api/v1/whoami');
  } catch (e) {
    if (!(e instanceof SignedOut)) showSignIn(`Cannot reach the service: ${e.message}`);
    return;
  }
  // Without a whoami endpoint we cannot know the role: show no operator actions.
  state.me = me === UNAVAILABLE ? { name: 'signed in', role: 'viewer' } : me;
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('whoami').hidden = false;
  $('whoami').textContent = `${state.me.name} (${state.me.role})`;
  refreshLoop(generation);
}

async function refreshLoop(generation) {
  while (generation === state.generation) {
    await refresh(generation);
    await sleep(REFRESH_MS);
  }
}

let operationPoller = null;

function pollOperationsWhileRunning() {
  if (operationPoller !== null) return;
  const generation = state.generation;
  operationPoller = (async () => {
    try {
      while (generation === state.generation && state.operations.some(running)) {
        await sleep(OPERATION_POLL_MS);
        const before = state.operations.filter(running).map((o) => o.id);
        await refreshOperations();
        const finishedNow = before.some((id) => !state.operations.some((o) => o.id === id && running(o)));
        if (finishedNow) await refresh(generation);
      }
    } finally {
      operationPoller = null;
    }
  })();
}

async function refresh(generation) {
  try {
    const [snapshot, operations, checks] = await Promise.all([
      guarded(() => read('/api/v1/snapshot')),
      guarded(() => read('/api/v1/operations')),
      guarded(() => read('/api/v1/checks')),
    ]);
    // One snapshot (one health refresh) feeds the badge, clusters, graph, links and matrix, so they
    // never contradict each other; a server without it is read part by part as before.
    const [clusters, links, reachability, health] = snapshot === UNAVAILABLE ? await Promise.all([
      guarded(() => read('/api/v1/clusters')),
      guarded(() => read('/api/v1/links')),
      guarded(() => read('/api/v1/reachability')),
      guarded(() => read('/api/v1/health')),
    ]) : snapshot?.error ? [snapshot, snapshot, snapshot, snapshot]
      : [{ clusters: snapshot.clusters, errors: snapshot.errors }, snapshot.links,
        snapshot.contributed?.reachability ?? { pairs: [] }, snapshot.health];
    if (generation !== state.generation) return;
    const problems = [];
    if (clusters?.error) problems.push(`clusters: ${clusters.error}`);
    else if (clusters !== UNAVAILABLE) {
      // Sorted so the graph keeps its layout whatever order the clusters answer in.
      state.clusters = [...listOf(clusters, 'clusters')].sort((x, y) => String(x.name).localeCompare(String(y.name)));
      state.sourceErrors = listOf(clusters?.errors);
    }
    if (links?.error) problems.push(`links: ${links.error}`);
    else state.links = links === UNAVAILABLE ? [] : listOf(links, 'links');
    state.reachability = reachability;
    state.health = health;
    state.checks = checks;
    if (!operations?.error && operations !== UNAVAILABLE) state.operations = listOf(operations, 'operations');
    if (health === UNAVAILABLE) await refreshCertificates();
    await refreshHistory();
    if (generation !== state.generation) return;
    showNotice(problems.join(' · '));
    render();
    if (state.operations.some(running)) pollOperationsWhileRunning();
  } catch (e) {
    if (!(e instanceof SignedOut)) showNotice(e.message);
  }
}

function render() {
  const simulated = state.clusters.some((c) => c.simulated) || state.links.some((l) => l.simulated);
  $('simulated-banner').hidden = !simulated;
  document.body.classList.toggle('simulated', simulated);
  renderOverall();
  if (changed('clusters', state.clusters, state.sourceErrors, state.health?.clusters)) renderClusters();
  if (changed('graph', state.clusters, state.links)) renderGraph();
  renderConnect();
  if (changed('links', state.links)) renderLinks();
  if (changed('reachability', state.reachability)) renderReachability();
  // The minute is part of the key: what is due changes with time, not only with the data.
  if (changed('expiries', expiries(), Math.floor(Date.now() / 60000))) renderExpiries();
  if (changed('history', state.historyLink, state.history)) renderHistory();
  if (changed('checks', state.checks)) renderChecks();
  renderOperations();
}

function renderOverall() {
  const overall = $('overall');
  const status = state.health && state.health !== UNAVAILABLE && !state.health.error ? state.health.status : null;
  overall.hidden = !status;
  if (status) {
    overall.className = `pill ${statusClass(status)}`;
    overall.textContent = `mesh ${status}`;
  }
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('token').value.trim();
  $('token').value = '';
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  start();
});
$('sign-out').addEventListener('click', () => signOut('Signed out.'));
onSignedOut(signOut);
document.addEventListener(OPERATION_ACCEPTED, (event) => {
  const operation = event.detail;
  if (operation) {
    state.operations = [operation, ...state.operations.filter((o) => o.id !== operation.id)];
    state.openOperations.add(operation.id);
    renderOperations();
    pollOperationsWhileRunning();
  }
  refresh(state.generation);
});

if (token()) start(); else showSignIn();
