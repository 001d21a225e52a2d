import { SignedOut, call, listOf, problemText } from '../api.js';
import { h, unavailable } from '../dom.js';

// The dry-run preview every mutating button opens: the plan first, Confirm runs the same request.

export const OPERATION_ACCEPTED = 'operation-accepted';

export async function preview(action) {
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
      // The page shows and follows the operation; this dialog only knows it was accepted.
      document.dispatchEvent(new CustomEvent(OPERATION_ACCEPTED, { detail: answer.data?.id ? answer.data : null }));
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
    h('p', {}, `Dry run: ${changes.length} step${changes.length === 1 ? "" : "s"} in this order (writes, deletes and waits). Nothing has been changed yet.`),
    h('table', { id: 'plan' },
      h('thead', {}, h('tr', {}, ['cluster', 'action', 'kind', 'namespace/name', 'summary'].map((t) => h('th', {}, t)))),
      h('tbody', {}, changes.map((c) => h('tr', {},
        h('td', {}, c.cluster || ''), h('td', { class: `action ${c.action}` }, c.action || ''), h('td', {}, c.kind || ''),
        h('td', { class: 'mono' }, c.namespace ? `${c.namespace}/${c.name}` : c.name || ''), h('td', {}, c.summary || ''))))),
    warnings);
}
