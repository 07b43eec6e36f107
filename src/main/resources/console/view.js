// DOM building with textContent only: incident titles, labels and notes are data, never markup.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

export function duration(seconds) {
  if (seconds === undefined || seconds === null) return '–';
  if (seconds < 60) return Math.round(seconds) + 's';
  if (seconds < 3600) return Math.round(seconds / 60) + 'm';
  if (seconds < 86400) return (seconds / 3600).toFixed(1) + 'h';
  return (seconds / 86400).toFixed(1) + 'd';
}

export function row(incident) {
  return el('tr', { 'data-id': incident.id },
    el('td', { class: 'sev-' + incident.severity }, incident.severity || ''),
    el('td', {}, el('span', { class: 'status status-' + incident.status }, incident.status)),
    el('td', {}, incident.title || ''),
    el('td', {}, incident.alertId || ''),
    el('td', {}, incident.assignee || ''),
    el('td', {}, time(incident.createdAt)),
    el('td', {}, time(incident.updatedAt)));
}

const TIMES = new Set(['createdAt', 'updatedAt', 'lastCheckedAt', 'validUntil', 'acknowledgedAt', 'resolvedAt']);

/** Every field of the incident but the title (the heading), the timeline and the alerts (tables). */
export function fields(dl, incident) {
  dl.replaceChildren();
  for (const [k, v] of Object.entries(incident)) {
    if (k === 'title' || k === 'timeline' || k === 'alerts') continue;
    let text;
    if (TIMES.has(k)) text = time(v) + ' (' + v + ')';
    else if (v !== null && typeof v === 'object') text = Object.keys(v).length === 0 ? '' : JSON.stringify(v, null, 2);
    else text = String(v);
    dl.append(el('dt', {}, k), el('dd', { 'data-field': k }, text));
  }
}

export function timeline(tbody, entries) {
  tbody.replaceChildren(...(entries || []).slice().reverse().map((t) =>
    el('tr', {}, el('td', {}, time(t.at)), el('td', {}, t.from || ''), el('td', {}, t.to || ''),
      el('td', {}, t.source || ''), el('td', {}, t.actor || ''), el('td', {}, t.note || ''))));
}

export function alerts(tbody, members) {
  tbody.replaceChildren(...(members || []).map((a) =>
    el('tr', {}, el('td', {}, a.alertId || ''), el('td', {}, a.status || ''), el('td', {}, a.severity || ''),
      el('td', {}, Object.entries(a.labels || {}).map(([k, v]) => k + '=' + v).join(' ')),
      el('td', {}, time(a.lastCheckedAt)))));
}
