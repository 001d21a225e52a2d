// Admin page for clustermesh-controller. Plain DOM, no framework: every API string reaches the
// page through textContent or setAttribute, never through HTML parsing, so a cluster name or an
// error message cannot inject markup. The bearer token lives only in sessionStorage and in the
// Authorization header; it is never written into the page.

const TOKEN_KEY = 'clustermesh-controller.token';
const SVG_NS = 'http://www.w3.org/2000/svg';
const REFRESH_MS = 3000;
const OPERATION_POLL_MS = 700;
const CERTIFICATE_REFRESH_MS = 30000;
const UNAVAILABLE = Symbol('unavailable');

const state = {
  generation: 0,
  me: null,
  clusters: [],
  sourceErrors: [],
  links: [],
  reachability: null,
  health: null,
  certificates: null,
  certificatesAt: 0,
  operations: [],
  checks: null,
  historyLink: null,
  history: null,
  openOperations: new Set(),
  connectChoice: null,
};

// ---- DOM helpers: strings always become text nodes ----

function setAttributes(element, attributes) {
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : String(c))));
  return element;
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  element.append(...children.flat().filter((c) => c !== null && c !== undefined).map((c) => (c instanceof Node ? c : String(c))));
  return element;
}

function $(id) {
  return document.getElementById(id);
}

function fill(id, ...children) {
  $(id).replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function pill(status) {
  return h('span', { class: `pill ${statusClass(status)}` }, status ?? 'unknown');
}

function statusClass(status) {
  switch (status) {
    case 'healthy': case 'ready': case 'ok': case 'succeeded': case 'pass': return 'good';
    // The control plane works but pods cannot reach the other cluster's pods (issue 17).
    case 'control-plane-only': return 'cponly';
    case 'degraded': case 'running': case 'pending': case 'warn': case 'warning': return 'warn';
    case 'down': case 'not-ready': case 'broken': case 'failed': case 'fail': case 'timeout': case 'refused':
    case 'tls-error': case 'wrong-cluster': case 'unresolved': return 'bad';
    default: return 'unknown';
  }
}

function unavailable(what) {
  return h('p', { class: 'muted unavailable' }, `${what} not available yet on this server.`);
}

function formatTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function formatLatency(ms) {
  return typeof ms === 'number' ? `${ms.toFixed(1)} ms` : '';
}

function isMutator() {
  return state.me?.role === 'operator';
}

// ---- API ----

class SignedOut extends Error {}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function call(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const bearer = token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 300) }; }
  }
  if (response.status === 401) {
    signOut('The server did not accept this token; sign in again.');
    throw new SignedOut();
  }
  return { status: response.status, data };
}

// A read that may legitimately be missing (an endpoint another part of the service adds later).
async function read(path) {
  const { status, data } = await call('GET', path);
  if (status === 404) return UNAVAILABLE;
  // Health answers 503 with a full body when the mesh is not healthy: still data to show.
  if (status === 200 || (status === 503 && typeof data?.status === 'string')) return data;
  throw new Error(problemText(data, status));
}

function problemText(problem, status) {
  if (!problem) return `HTTP ${status}`;
  const parts = [problem.title, problem.detail].filter(Boolean);
  return parts.length ? parts.join(': ') : `HTTP ${status}`;
}

function listOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const key of keys) if (data && Array.isArray(data[key])) return data[key];
  return [];
}

const path = (...segments) => segments.map((s) => encodeURIComponent(s)).join('/');

// ---- sign-in ----

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

// ---- refresh ----

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

function running(operation) {
  return operation.state === 'pending' || operation.state === 'running';
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function guarded(task) {
  try {
    return await task();
  } catch (e) {
    if (e instanceof SignedOut) throw e;
    return { error: e.message || String(e) };
  }
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

async function refreshOperations() {
  const operations = await guarded(() => read('/api/v1/operations'));
  if (operations?.error || operations === UNAVAILABLE) return;
  state.operations = listOf(operations, 'operations');
  renderOperations();
}

// Certificates are only needed when the health endpoint (which carries expiries) is missing.
async function refreshCertificates() {
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

async function refreshHistory() {
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

function showNotice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text || '';
}

// ---- rendering ----

// Re-rendering replaces DOM nodes; skipping unchanged sections keeps focus, open menus and a
// button under the pointer intact between refreshes.
const rendered = new Map();

function changed(section, ...inputs) {
  const key = JSON.stringify([state.me?.role, ...inputs], (k, v) => (v === UNAVAILABLE ? 'unavailable' : v));
  if (rendered.get(section) === key) return false;
  rendered.set(section, key);
  return true;
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

function clusterHealth(name) {
  const health = state.health;
  if (!health || health === UNAVAILABLE || health.error) return null;
  return listOf(health.clusters).find((c) => c.name === name) || null;
}

function renderClusters() {
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

function sourceErrors() {
  if (!state.sourceErrors.length) return null;
  return h('ul', { class: 'errors' }, state.sourceErrors.map((e) =>
    h('li', {}, [e.source, e.context, e.message].filter(Boolean).join(' — '))));
}

// An unreachable cluster's ClusterMesh is unknown: never shown as "disabled" (which invites Enable).
function meshState(c) {
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

function layout(names, width, height) {
  const cx = width / 2;
  const cy = height / 2;
  if (names.length === 1) return { [names[0]]: [cx, cy] };
  if (names.length === 2) return { [names[0]]: [width * 0.22, cy], [names[1]]: [width * 0.78, cy] };
  const radius = Math.min(width, height) / 2 - 55;
  return Object.fromEntries(names.map((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / names.length;
    return [n, [cx + radius * Math.cos(angle), cy + radius * Math.sin(angle)]];
  }));
}

function renderGraph() {
  const width = 520;
  const height = 300;
  const names = state.clusters.map((c) => c.name);
  const at = layout(names, width, height);
  const edges = state.links.filter((l) => at[l.a] && at[l.b]).map((l) => {
    const [x1, y1] = at[l.a];
    const [x2, y2] = at[l.b];
    const label = `${l.a} ↔ ${l.b}: ${l.status}`;
    return svg('g', { class: 'edge' },
      svg('line', {
        class: `link ${statusClass(l.status)}`, x1, y1, x2, y2,
        'data-a': l.a, 'data-b': l.b, 'data-status': l.status,
        onclick: () => selectHistory(l.a, l.b),
      }, svg('title', {}, label)),
      svg('text', { class: 'link-label', x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 8, 'text-anchor': 'middle' }, l.status));
  });
  const nodes = state.clusters.map((c) => {
    const [x, y] = at[c.name];
    const mode = c.reachability?.mode || 'direct';
    const nat = mode !== 'direct';
    const classes = ['node', c.reachable ? 'reachable' : 'unreachable', meshState(c)];
    return svg('g', { class: classes.join(' '), 'data-cluster': c.name, 'data-mode': mode, transform: `translate(${x},${y})` },
      svg('title', {}, `${c.name}${c.simulated ? ' (simulated)' : ''}: ${c.reachable ? `reachable, mesh ${meshState(c)}` : 'unreachable'}, ${mode}`),
      svg('circle', { r: 40 }),
      svg('text', { class: 'node-name', y: -2, 'text-anchor': 'middle' }, c.name),
      svg('text', { class: 'node-detail', y: 14, 'text-anchor': 'middle' }, c.clusterId !== undefined && c.clusterId !== null ? `id ${c.clusterId}` : ''),
      nat ? svg('g', { class: `nat ${mode}`, transform: 'translate(0,58)' },
        svg('rect', { x: -48, y: -11, width: 96, height: 20, rx: 10 }),
        svg('text', { y: 4, 'text-anchor': 'middle' }, mode === 'tailscale' ? 'NAT · tailscale' : `NAT · ${mode}`)) : null,
      c.simulated ? svg('text', { class: 'node-sim', y: -48, 'text-anchor': 'middle' }, 'simulated') : null);
  });
  const legend = svg('g', { class: 'legend', transform: `translate(10,${height - 12})` },
    ['healthy', 'control-plane-only', 'degraded', 'down'].map((s, i) => svg('g', { transform: `translate(${[0, 95, 250, 345][i]},0)` },
      svg('line', { class: `link ${statusClass(s)}`, x1: 0, y1: -4, x2: 24, y2: -4 }),
      svg('text', { x: 30, y: 0 }, s))));
  fill('graph', svg('svg', { id: 'mesh-graph', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'mesh graph' }, edges, nodes, legend));
}

function renderConnect() {
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

function renderLinks() {
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

function renderReachability() {
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

function expiries() {
  const health = state.health;
  if (health && health !== UNAVAILABLE && !health.error) return listOf(health.expiries);
  return state.certificates;
}

function renderExpiries() {
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

function selectHistory(a, b) {
  state.historyLink = [a, b];
  state.history = null;
  renderHistory();
  refreshHistory().then(renderHistory).catch(() => {});
}

function renderHistory() {
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

// Results the one-shot check (the CronJob) reported; newest first.
function renderChecks() {
  const data = state.checks;
  if (data === UNAVAILABLE) return fill('checks', unavailable('Check-run results are'));
  if (!data || data.error) return fill('checks', h('p', { class: 'muted' }, data?.error || 'Loading…'));
  const runs = listOf(data, 'checks', 'runs', 'results');
  if (!runs.length) return fill('checks', h('p', { class: 'muted' }, 'No check run has reported yet.'));
  const when = (r) => r.reportedAt ?? r.checkedAt ?? r.finishedAt ?? r.time ?? '';
  const sorted = [...runs].sort((x, y) => String(when(y)).localeCompare(String(when(x)))).slice(0, 5);
  fill('checks', h('ul', { class: 'check-runs' }, sorted.map((r) => h('li', {},
    pill(r.status), ' ', formatTime(when(r)),
    r.source || r.reporter ? h('span', { class: 'muted' }, ` from ${r.source || r.reporter}`) : null,
    r.summary || r.reason ? h('div', { class: 'muted' }, r.summary || r.reason) : null))));
}

function renderOperations() {
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

// ---- dry-run preview and confirm ----

async function preview(action) {
  document.querySelectorAll('dialog').forEach((d) => d.remove());
  const options = Object.fromEntries(Object.entries(action.options || {}).map(([k, values]) => [k, values[0]]));
  const body = h('div', { id: 'preview-body' });
  const confirm = h('button', { type: 'button', id: 'preview-confirm', 'data-mutating': 'confirm', disabled: true }, 'Confirm');
  const cancel = h('button', { type: 'button', id: 'preview-cancel', class: 'secondary' }, 'Cancel');
  const optionInputs = Object.entries(action.options || {}).map(([name, values]) => h('label', {}, `${name} `,
    h('select', {
      'data-option': name, onchange: (event) => { options[name] = event.target.value; plan(); },
    }, values.map((v) => h('option', { value: v }, v)))));
  const dialog = h('dialog', { id: 'preview' },
    h('h2', {}, action.title),
    optionInputs.length ? h('div', { class: 'options' }, optionInputs) : null,
    body,
    h('div', { class: 'dialog-actions' }, cancel, confirm));
  document.body.append(dialog);
  cancel.addEventListener('click', () => dialog.remove());
  dialog.addEventListener('cancel', () => dialog.remove());
  dialog.showModal();

  const requestBody = () => (action.body ? action.body(options) : undefined);
  const separator = action.url.includes('?') ? '&' : '?';

  async function plan() {
    confirm.disabled = true;
    body.replaceChildren(h('p', { class: 'muted' }, 'Planning (dry run)…'));
    let answer;
    try {
      answer = await call(action.method, `${action.url}${separator}dryRun=true`, requestBody());
    } catch (e) {
      if (!(e instanceof SignedOut)) body.replaceChildren(h('p', { class: 'error' }, e.message));
      return;
    }
    if (answer.status === 404 && !answer.data?.type?.endsWith('/unknown-cluster')) {
      body.replaceChildren(unavailable('This action is'));
      return;
    }
    if (answer.status === 403) {
      body.replaceChildren(h('p', { class: 'error' }, 'Your token may only read; this action needs the operator role.'));
      return;
    }
    if (answer.status !== 200) {
      body.replaceChildren(h('p', { class: 'error' }, problemText(answer.data, answer.status)));
      return;
    }
    body.replaceChildren(planTable(answer.data));
    confirm.disabled = false;
  }

  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    let answer;
    try {
      answer = await call(action.method, action.url, requestBody());
    } catch (e) {
      if (!(e instanceof SignedOut)) body.append(h('p', { class: 'error' }, e.message));
      return;
    }
    if (answer.status === 202 || answer.status === 200) {
      dialog.remove();
      if (answer.data?.id) {
        state.operations = [answer.data, ...state.operations.filter((o) => o.id !== answer.data.id)];
        state.openOperations.add(answer.data.id);
        renderOperations();
        pollOperationsWhileRunning();
      }
      refresh(state.generation);
      return;
    }
    body.append(h('p', { class: 'error' }, problemText(answer.data, answer.status)));
  });

  await plan();
}

function planTable(data) {
  const changes = listOf(data, 'plan');
  const warnings = listOf(data?.warnings).map((w) => h('p', { class: 'warning' }, w));
  if (!changes.length) {
    return h('div', {}, h('p', { id: 'plan-empty' }, 'Nothing to change: the clusters already match.'), warnings);
  }
  return h('div', {},
    h('p', {}, `Dry run: ${changes.length} change${changes.length === 1 ? '' : 's'} in this order. Nothing has been changed yet.`),
    h('table', { id: 'plan' },
      h('thead', {}, h('tr', {}, ['cluster', 'action', 'kind', 'namespace/name', 'summary'].map((t) => h('th', {}, t)))),
      h('tbody', {}, changes.map((c) => h('tr', {},
        h('td', {}, c.cluster || ''), h('td', { class: `action ${c.action}` }, c.action || ''), h('td', {}, c.kind || ''),
        h('td', { class: 'mono' }, c.namespace ? `${c.namespace}/${c.name}` : c.name || ''), h('td', {}, c.summary || ''))))),
    warnings);
}

// ---- wiring ----

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $('token').value.trim();
  $('token').value = '';
  if (!value) return;
  sessionStorage.setItem(TOKEN_KEY, value);
  start();
});
$('sign-out').addEventListener('click', () => signOut('Signed out.'));

if (token()) start(); else showSignIn();
