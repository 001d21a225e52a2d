// DOM helpers: strings always become text nodes or attribute values, never parsed HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

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

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : String(c))));
  return element;
}

export function svg(tag, attributes, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  element.append(...children.flat().filter((c) => c !== null && c !== undefined).map((c) => (c instanceof Node ? c : String(c))));
  return element;
}

export function $(id) {
  return document.getElementById(id);
}

export function fill(id, ...children) {
  $(id).replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

export function pill(status) {
  return h('span', { class: `pill ${statusClass(status)}` }, status ?? 'unknown');
}

export function statusClass(status) {
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

export function unavailable(what) {
  return h('p', { class: 'muted unavailable' }, `${what} not available yet on this server.`);
}

export function formatTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatLatency(ms) {
  return typeof ms === 'number' ? `${ms.toFixed(1)} ms` : '';
}

export function showNotice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text || '';
}
