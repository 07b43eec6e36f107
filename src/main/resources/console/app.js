// The console: the incident list with the list API's filters in the URL, live updates from the
// stream, a detail view with actions, and the summary strip. Plain ES modules, no build step.

import { api, ApiError, token } from './api.js';
import { LiveStream } from './stream.js';
import * as view from './view.js';

const $ = (id) => document.getElementById(id);
const FILTERS = ['status', 'severity', 'source', 'alertId', 'alertTemplateId', 'label', 'createdAfter', 'createdBefore'];
const LIST_PARAMS = [...FILTERS, 'sort', 'order', 'limit', 'nextToken'];
const LABEL_SEPARATOR = ' & ';

const state = { shown: [], nextToken: null, selected: null, summaryTimer: null, listRequest: 0 };

// ---- URL <-> form -------------------------------------------------------------------------

function urlParams() {
  return new URLSearchParams(location.search);
}

function listQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (LIST_PARAMS.includes(k) && v !== '') q.append(k, v);
  return q;
}

function writeForm(params) {
  const form = $('filters');
  for (const box of form.querySelectorAll('input[type=checkbox]')) {
    const wanted = params.getAll(box.name).flatMap((v) => v.split(','));
    box.checked = wanted.some((v) => v.toLowerCase() === box.value.toLowerCase());
  }
  form.source.value = params.get('source') || '';
  form.alertId.value = params.get('alertId') || '';
  form.label.value = params.getAll('label').join(LABEL_SEPARATOR);
  form.sort.value = params.get('sort') || 'createdAt';
  form.order.value = params.get('order') || 'desc';
  form.limit.value = params.get('limit') || '20';
}

function readForm() {
  const form = $('filters');
  const q = new URLSearchParams();
  for (const box of form.querySelectorAll('input[type=checkbox]:checked')) q.append(box.name, box.value);
  if (form.source.value) q.set('source', form.source.value);
  if (form.alertId.value.trim()) q.set('alertId', form.alertId.value.trim());
  for (const m of form.label.value.split(LABEL_SEPARATOR).map((s) => s.trim()).filter(Boolean)) q.append('label', m);
  // kept from the URL: filters the form has no field for
  for (const k of ['alertTemplateId', 'createdAfter', 'createdBefore']) if (urlParams().get(k)) q.set(k, urlParams().get(k));
  if (form.sort.value !== 'createdAt') q.set('sort', form.sort.value);
  if (form.order.value !== 'desc') q.set('order', form.order.value);
  if (form.limit.value !== '20') q.set('limit', form.limit.value);
  return q;
}

function navigate(params, { replace = false } = {}) {
  const s = params.toString();
  const url = location.pathname + (s ? '?' + s : '');
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

// ---- messages and auth ----------------------------------------------------------------------

function show(target, text, ok = false) {
  const box = $(target);
  box.textContent = text;
  box.classList.toggle('ok', ok);
  box.hidden = !text;
}

/** A failed call: 401 asks for a token; anything else is shown as the API worded it. */
function failed(error, target = 'message') {
  if (error instanceof ApiError && error.status === 401) {
    askForToken(token.get() ? 'The token was refused: ' + error.message : 'This server needs a bearer token.');
    return;
  }
  const prefix = error instanceof ApiError && error.status === 403 ? 'Not allowed: ' : '';
  show(target, prefix + error.message);
}

/** Opens the token prompt; while it is open, later refusals (of calls made in parallel) keep the first reason. */
function askForToken(reason) {
  const dialog = $('token-dialog');
  if (dialog.open) return;
  stream.stop();
  token.set(null);
  $('sign-out').hidden = true;
  $('token-reason').textContent = reason;
  dialog.showModal();
}

// ---- list -----------------------------------------------------------------------------------

function sortKey(incident) {
  const params = urlParams();
  return params.get('sort') === 'updatedAt' ? incident.updatedAt : incident.createdAt;
}

function renderList() {
  const tbody = $('incidents').tBodies[0];
  const fragment = document.createDocumentFragment();
  for (const incident of state.shown) {
    const tr = view.row(incident);
    if (incident.id === state.selected) tr.classList.add('selected');
    fragment.append(tr);
  }
  tbody.replaceChildren(fragment);
  $('empty').hidden = state.shown.length > 0;
  $('next-page').disabled = !state.nextToken;
  $('first-page').disabled = !urlParams().get('nextToken');
  document.body.dataset.rows = String(state.shown.length);
}

async function loadList() {
  const request = ++state.listRequest;
  try {
    const page = await api('GET', '/incidents?' + listQuery(urlParams()));
    if (request !== state.listRequest) return;
    state.shown = page.data;
    state.nextToken = page.nextToken || null;
    show('message', '');
    renderList();
    document.body.dataset.loaded = 'true';
  } catch (e) {
    if (request === state.listRequest) failed(e);
  }
}

// ---- live updates ---------------------------------------------------------------------------

function labelMatches(labels, matcher) {
  const m = /^([^!=~]+?)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(matcher);
  if (!m) return true; // the server refused or accepted it; do not hide what it listed
  const value = (labels || {})[m[1]] ?? '';
  switch (m[2]) {
    case '=': return value === m[3];
    case '!=': return value !== m[3];
    case '=~': return new RegExp('^(?:' + m[3] + ')$').test(value);
    default: return !new RegExp('^(?:' + m[3] + ')$').test(value);
  }
}

/** Whether an incident belongs in the current view: the list's filters, applied here. */
function matches(incident) {
  const p = urlParams();
  const set = (name) => p.getAll(name).flatMap((v) => v.split(',')).map((v) => v.toLowerCase());
  const statuses = set('status');
  const severities = set('severity');
  if (statuses.length && !statuses.includes(String(incident.status).toLowerCase())) return false;
  if (severities.length && !severities.includes(String(incident.severity).toLowerCase())) return false;
  if (p.get('source') && p.get('source').toLowerCase() !== incident.source) return false;
  if (p.get('alertId') && p.get('alertId') !== incident.alertId) return false;
  if (p.get('alertTemplateId') && p.get('alertTemplateId') !== incident.alertTemplateId) return false;
  if (p.get('createdAfter') && new Date(incident.createdAt) < new Date(p.get('createdAfter'))) return false;
  if (p.get('createdBefore') && new Date(incident.createdAt) >= new Date(p.get('createdBefore'))) return false;
  try {
    return p.getAll('label').every((m) => labelMatches(incident.labels, m));
  } catch {
    return true;
  }
}

function before(a, b) {
  const asc = urlParams().get('order') === 'asc';
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka !== kb) return asc ? ka < kb : ka > kb;
  return asc ? a.id < b.id : a.id > b.id;
}

/** A change from the stream: update the row, move it, add it or drop it, as the view's order and filters say. */
function changed(incident) {
  const at = state.shown.findIndex((i) => i.id === incident.id);
  if (at >= 0 && state.shown[at].updatedAt > incident.updatedAt) return; // older than what is shown
  if (at >= 0) state.shown.splice(at, 1);
  if (matches(incident)) {
    let position = state.shown.findIndex((i) => before(incident, i));
    if (position < 0) position = state.shown.length;
    const firstPage = !urlParams().get('nextToken');
    // within this page's span: before its last row, or anywhere on the last page
    const inside = position < state.shown.length || !state.nextToken;
    if (at >= 0 || (inside && (firstPage || position > 0))) {
      state.shown.splice(position, 0, incident);
      const limit = Number(urlParams().get('limit') || 20);
      if (state.shown.length > limit) state.shown.length = limit;
    }
  }
  renderList();
  const tr = $('incidents').querySelector(`tr[data-id="${CSS.escape(incident.id)}"]`);
  if (tr) {
    tr.classList.add('flash');
    setTimeout(() => tr.classList.remove('flash'), 1500);
  }
  if (incident.id === state.selected) openDetail(incident.id, { push: false });
  refreshSummarySoon();
}

function deleted(id) {
  state.shown = state.shown.filter((i) => i.id !== id);
  renderList();
  if (id === state.selected) closeDetail();
  refreshSummarySoon();
}

function setLive(status, code) {
  const live = $('live');
  live.classList.remove('on', 'off', 'retry');
  if (status === 'live') {
    live.textContent = 'live';
    live.classList.add('on');
  } else if (status === 'reconnecting') {
    live.textContent = 'reconnecting';
    live.classList.add('retry');
  } else {
    live.textContent = code === 403 ? 'no access' : 'offline';
    live.classList.add('off');
    if (code === 401) askForToken(token.get() ? 'The token was refused.' : 'This server needs a bearer token.');
  }
  document.body.dataset.live = status;
}

const stream = new LiveStream({
  onState: setLive,
  onEvent(type, data) {
    if (type === 'incident') changed(JSON.parse(data));
    else if (type === 'deleted') deleted(JSON.parse(data).id);
    else if (type === 'reset') {
      loadList();
      if (state.selected) openDetail(state.selected, { push: false });
    }
  },
});

// ---- summary --------------------------------------------------------------------------------

async function refreshSummary() {
  try {
    const s = await api('GET', '/incidents/summary');
    for (const b of document.querySelectorAll('#summary b[data-sev]')) b.textContent = String(s.open.bySeverity[b.dataset.sev] ?? 0);
    const f = (x) => (x.count ? view.duration(x.p50Seconds) + ' / ' + view.duration(x.p90Seconds) : '–');
    $('mtta').textContent = f(s.timeToAcknowledge);
    $('mttr').textContent = f(s.timeToResolve.byPerson);
    $('auto-closed').textContent = `closed by alert ${s.timeToResolve.byAlert.count}, expired ${s.timeToResolve.expired.count} (7 d)`;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) failed(e);
  }
}

function refreshSummarySoon() {
  if (state.summaryTimer) return;
  state.summaryTimer = setTimeout(() => {
    state.summaryTimer = null;
    refreshSummary();
  }, 2000);
}

// ---- detail and actions ---------------------------------------------------------------------

async function openDetail(id, { push = true } = {}) {
  state.selected = id;
  if (push) {
    const p = urlParams();
    p.set('incident', id);
    navigate(p, { replace: true });
  }
  for (const tr of $('incidents').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === id);
  try {
    const incident = await api('GET', '/incidents/' + encodeURIComponent(id));
    if (state.selected !== id) return;
    renderDetail(incident);
  } catch (e) {
    $('detail').hidden = false;
    failed(e, 'detail-message');
  }
}

function renderDetail(incident) {
  $('detail').hidden = false;
  $('detail').dataset.id = incident.id;
  $('detail').dataset.status = incident.status;
  $('detail-title').textContent = incident.title || incident.alertId || incident.id;
  const open = incident.status === 'ACTIVE' || incident.status === 'ACKNOWLEDGED';
  $('ack').disabled = incident.status !== 'ACTIVE';
  $('resolve').disabled = !open;
  $('reopen').disabled = open;
  view.fields($('fields'), incident);
  view.timeline($('timeline').tBodies[0], incident.timeline);
  const hasAlerts = Array.isArray(incident.alerts);
  $('alerts').hidden = !hasAlerts;
  $('alerts-heading').hidden = !hasAlerts;
  if (hasAlerts) view.alerts($('alerts').tBodies[0], incident.alerts);
}

function closeDetail() {
  state.selected = null;
  $('detail').hidden = true;
  const p = urlParams();
  p.delete('incident');
  navigate(p, { replace: true });
  for (const tr of $('incidents').tBodies[0].rows) tr.classList.remove('selected');
}

async function patch(body, done) {
  const id = state.selected;
  show('detail-message', '');
  try {
    await api('PATCH', '/incidents/' + encodeURIComponent(id), body);
    show('detail-message', done, true);
    await openDetail(id, { push: false });
  } catch (e) {
    failed(e, 'detail-message');
  }
}

// ---- wiring ---------------------------------------------------------------------------------

function applyUrl() {
  const p = urlParams();
  writeForm(p);
  loadList();
  if (p.get('incident')) openDetail(p.get('incident'), { push: false });
  else if (state.selected) closeDetail();
}

function start() {
  $('sign-out').hidden = !token.get();
  applyUrl();
  refreshSummary();
  stream.start();
}

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  navigate(readForm());
  loadList();
});
$('clear-filters').addEventListener('click', () => {
  navigate(new URLSearchParams());
  applyUrl();
});
$('next-page').addEventListener('click', () => {
  const p = listQuery(urlParams());
  p.set('nextToken', state.nextToken);
  navigate(p);
  loadList();
});
$('first-page').addEventListener('click', () => {
  const p = listQuery(urlParams());
  p.delete('nextToken');
  navigate(p);
  loadList();
});
$('incidents').tBodies[0].addEventListener('click', (e) => {
  const tr = e.target.closest('tr[data-id]');
  if (tr) openDetail(tr.dataset.id);
});
$('close-detail').addEventListener('click', closeDetail);
for (const button of document.querySelectorAll('.actions button')) {
  const words = { ACKNOWLEDGED: 'Acknowledged', RESOLVED: 'Resolved', ACTIVE: 'Reopened' };
  button.addEventListener('click', () => patch({ status: button.dataset.status }, words[button.dataset.status]));
}
$('assign-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const assignee = e.target.assignee.value.trim();
  patch({ assignee: assignee || null }, assignee ? 'Assigned to ' + assignee : 'Unassigned');
});
$('note-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const note = e.target.note.value;
  patch({ note }, 'Note added').then(() => {
    if ($('detail-message').classList.contains('ok')) e.target.note.value = '';
  });
});
$('new-incident').addEventListener('click', () => {
  show('create-message', '');
  $('create-dialog').showModal();
});
$('create-cancel').addEventListener('click', () => $('create-dialog').close());
$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  const body = { title: f.title.value, severity: f.severity.value };
  if (f.description.value.trim()) body.description = f.description.value;
  if (f.assignee.value.trim()) body.assignee = f.assignee.value.trim();
  try {
    const created = await api('POST', '/incidents', body);
    $('create-dialog').close();
    f.reset();
    if (created && created.id) openDetail(created.id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) $('create-dialog').close();
    failed(err, 'create-message');
  }
});
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token.set(e.target.token.value.trim());
  e.target.reset();
  $('token-dialog').close();
  show('message', '');
  start();
});
$('sign-out').addEventListener('click', () => {
  stream.stop();
  askForToken('Token forgotten.');
});
window.addEventListener('popstate', applyUrl);

start();
