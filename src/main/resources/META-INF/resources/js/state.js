import { UNAVAILABLE } from './api.js';

// What the page knows between refreshes, and which sections need drawing again.

export const state = {
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

export function isMutator() {
  return state.me?.role === 'operator';
}

export function running(operation) {
  return operation.state === 'pending' || operation.state === 'running';
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Re-rendering replaces DOM nodes; skipping unchanged sections keeps focus, open menus and a
// button under the pointer intact between refreshes.
export const rendered = new Map();

export function changed(section, ...inputs) {
  const key = JSON.stringify([state.me?.role, ...inputs], (k, v) => (v === UNAVAILABLE ? 'unavailable' : v));
  if (rendered.get(section) === key) return false;
  rendered.set(section, key);
  return true;
}
