import { fill, statusClass, svg } from '../dom.js';
import { meshState } from './clusters.js';
import { selectHistory } from './history.js';
import { state } from '../state.js';

// The mesh graph: clusters as nodes, links coloured by status; clicking a link shows its history.

export function layout(names, width, height) {
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

export function renderGraph() {
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
