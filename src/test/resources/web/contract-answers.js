// Test-only: answers the read endpoints other parts of the service add (health, reachability,
// link history, check runs) with documents shaped exactly as /work/shared/api.md describes, so
// the page's rendering of them is checked whether or not those endpoints exist on this branch.
// One reason carries markup to prove the page shows API strings as text.
(() => {
  const day = 24 * 3600 * 1000;
  const at = (days) => new Date(Date.now() + days * day).toISOString();
  const history = {
    a: 'cloud', b: 'homelab', flapCount: 1, lastGoodAt: at(0),
    transitions: [
      { time: at(-1), from: 'healthy', to: 'down', reason: '<img src=x onerror=alert(1)> agents lost the remote' },
      { time: at(0), from: 'down', to: 'healthy', reason: 'all agents ready' },
    ],
  };
  const answers = {
    '/api/v1/health': [503, {
      status: 'degraded', checkedAt: at(0),
      clusters: [
        { name: 'homelab', status: 'degraded', checks: [{ name: 'certificates', status: 'degraded', reason: 'server certificate expires in 9 days', hint: 'rotate the certificates' }] },
        { name: 'cloud', status: 'healthy', checks: [{ name: 'api', status: 'healthy', reason: 'reachable', hint: '' }] },
      ],
      links: [{ a: 'cloud', b: 'homelab', status: 'healthy', reason: 'all agents ready', hint: '', latencyMs: 12.5 }],
      // dueAt: a certificate is due its warning threshold (30 days) before expiry; a WireGuard key
      // at its maximum age (here the demo's 10 minutes, for a key rotated just now).
      expiries: [
        { what: 'clustermesh-apiserver server certificate', cluster: 'homelab', notAfter: at(9), daysLeft: 9, dueAt: at(9 - 30) },
        { what: 'clustermesh-apiserver admin certificate', cluster: 'homelab', notAfter: at(-1), daysLeft: -1, dueAt: at(-31) },
        { what: 'WireGuard key of cloud-node-1', cluster: 'cloud', notAfter: at(10 / 1440), daysLeft: 0, dueAt: at(10 / 1440) },
        { what: 'clustermesh-apiserver CA', cluster: 'cloud', notAfter: at(200), daysLeft: 200, dueAt: at(170) },
      ],
    }],
    '/api/v1/reachability': [200, [
      { from: 'homelab', to: 'cloud', mode: 'direct', endpoint: '203.0.113.10:2379', result: 'ok', latencyMs: 12.5, path: 'direct', checkedAt: at(0) },
      { from: 'cloud', to: 'homelab', mode: 'port-forward', endpoint: '198.51.100.200:32379', result: 'timeout', path: 'port-forward', checkedAt: at(0),
        reason: 'forward missing on the router: 198.51.100.200:32379 did not answer within 5000 ms',
        hint: "add a TCP port-forward on homelab's home router from 198.51.100.200:32379 to a node's LAN address and the clustermesh-apiserver NodePort" },
    ]],
    '/api/v1/checks': [200, [{ status: 'degraded', reportedAt: at(0), summary: '1 certificate expires within 14 days' }]],
  };
  const original = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const path = new URL(typeof input === 'string' ? input : input.url, location.href).pathname;
    const method = (init && init.method) || 'GET';
    if (method === 'GET' && path === '/api/v1/snapshot') {
      // The page's one snapshot: the real clusters and links, with the health and matrix above.
      return original(input, init).then((r) => r.json()).then((real) => new Response(JSON.stringify({
        ...real, health: answers['/api/v1/health'][1],
        contributed: { ...real.contributed, reachability: answers['/api/v1/reachability'][1] },
      }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    }
    const answer = method !== 'GET' ? null : path.endsWith('/history') ? [200, history] : answers[path];
    if (!answer) return original(input, init);
    return Promise.resolve(new Response(JSON.stringify(answer[1]), { status: answer[0], headers: { 'Content-Type': 'application/json' } }));
  };
})();
