import { UNAVAILABLE, listOf } from '../api.js';
import { fill, formatTime, h, pill, unavailable } from '../dom.js';
import { state } from '../state.js';

// Results the one-shot check (the CronJob) reported.

// Results the one-shot check (the CronJob) reported; newest first.
export function renderChecks() {
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
