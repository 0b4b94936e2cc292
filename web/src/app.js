// The graph page: fetches the JSON API and draws actors and their ties with cytoscape.
import cytoscape from 'cytoscape';

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

async function api(path) {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
  return body;
}

const TONE = { cooperation: '#2a9d3a', conflict: '#d62828', neutral: '#888' };
const KIND_STYLE = { membership: 'solid', partnership: 'dashed', role: 'dotted', events: 'solid' };

const cy = cytoscape({
  container: $('graph'),
  style: [
    { selector: 'node', style: { label: 'data(name)', 'background-color': '#4a6fa5', 'font-size': 10 } },
    { selector: 'node[type = "organization"], node[type = "grouping"]', style: { shape: 'round-rectangle', 'background-color': '#8a5a9e' } },
    // Armed groups, parties and other non-state actors.
    { selector: 'node[type = "other"]', style: { shape: 'diamond', 'background-color': '#c07a2c' } },
    { selector: 'edge', style: { width: 2, 'line-color': 'data(color)', 'line-style': 'data(style)', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(color)' } },
  ],
});

let dates = [];
// Exposed for the browser tests (web/tests), which need node positions to click.
window.entente = { cy };

async function loadGraph(date) {
  const g = await api('/api/graph' + (date ? '?date=' + encodeURIComponent(date) : ''));
  $('date-label').textContent = g.date || '';
  cy.elements().remove();
  cy.add(g.nodes.map((n) => ({ data: n })));
  cy.add(g.edges.map((e) => ({
    data: { ...e, color: TONE[e.tone] || '#555', style: KIND_STYLE[e.kind] || 'solid' },
  })));
  cy.layout({ name: 'cose', animate: false }).run();
  $('graph-status').textContent = g.empty ? 'The graph is empty: no actors or relations are stored yet.' : `${g.nodes.length} actors, ${g.edges.length} ties`;
}

async function showActor(id) {
  const [ties, timeline] = await Promise.all([
    api(`/api/actors/${encodeURIComponent(id)}/ties`),
    api(`/api/actors/${encodeURIComponent(id)}/timeline`),
  ]);
  const line = (f) => `<div class="event" data-fact="${esc(f.id)}">${esc(f.body.date || '')} ${esc(f.kind)} ${esc(f.body.plover || f.body.status || f.body.role || '')} ${esc(f.body.source?.name || f.body.member?.name || f.body.a?.name || '')} → ${esc(f.body.target?.name || f.body.group?.name || f.body.b?.name || '')}</div>`;
  $('details').innerHTML = `<h2>${esc(id)}</h2><h3>Ties</h3>${ties.ties.map(line).join('') || '<p>none</p>'}<h3>Timeline</h3>${timeline.events.map(line).join('') || '<p>none</p>'}`;
}

async function showEvidence(factIds) {
  const parts = [];
  for (const id of factIds.slice(0, 5)) {
    const ev = await api(`/api/facts/${encodeURIComponent(id)}/evidence`);
    for (const e of ev.evidence) {
      const enc = new TextEncoder();
      const bytes = enc.encode(e.sentence_text);
      const dec = new TextDecoder();
      const a = e.start - e.sentence_start;
      const b = e.end - e.sentence_start;
      const html = esc(dec.decode(bytes.slice(0, a))) + '<mark>' + esc(dec.decode(bytes.slice(a, b))) + '</mark>' + esc(dec.decode(bytes.slice(b)));
      parts.push(`<div class="evidence-item"><p><b>${esc(e.doc_title || e.doc)}</b> (${esc(e.doc_date || 'undated')}), sentence ${e.sentence}</p><p class="sentence">${html}</p></div>`);
    }
  }
  $('evidence').innerHTML = '<h2>Evidence</h2>' + (parts.join('') || '<p>none</p>');
}

cy.on('tap', 'node', (evt) => showActor(evt.target.id()).catch(report));
cy.on('tap', 'edge', (evt) => showEvidence(evt.target.data('facts') || []).catch(report));
$('details').addEventListener('click', (evt) => {
  const fact = evt.target.closest('[data-fact]');
  if (fact) showEvidence([fact.dataset.fact]).catch(report);
});

$('search').addEventListener('input', async (evt) => {
  const q = evt.target.value.trim();
  if (!q) { $('search-results').innerHTML = ''; return; }
  const res = await api('/api/actors?limit=10&q=' + encodeURIComponent(q));
  $('search-results').innerHTML = res.actors.map((a) => `<li data-actor="${esc(a.id)}">${esc(a.name)} (${a.mentions})</li>`).join('');
});
$('search-results').addEventListener('click', (evt) => {
  const li = evt.target.closest('[data-actor]');
  if (!li) return;
  $('search-results').innerHTML = '';
  const node = cy.getElementById(li.dataset.actor);
  if (node.nonempty()) cy.animate({ center: { eles: node } });
  showActor(li.dataset.actor).catch(report);
});

$('slider').addEventListener('change', (evt) => loadGraph(dates[Number(evt.target.value)]).catch(report));

function report(err) {
  $('graph-status').textContent = 'Error: ' + err.message;
}

// One slider step per month between the first and last event dates; a date known only to
// the year starts in its January (first) or ends in its December (last).
function months(first, last) {
  const out = [];
  let [y, m] = first.slice(0, 7).split('-').map(Number);
  const [ly, lmRaw] = last.slice(0, 7).split('-').map(Number);
  m = m || 1;
  const lm = lmRaw || 12;
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

async function init() {
  const stats = await api('/api/stats');
  $('counts').textContent = Object.entries(stats.counts).map(([k, v]) => `${k}: ${v}`).join(' · ');
  if (stats.event_dates.first && stats.event_dates.last) {
    dates = months(stats.event_dates.first, stats.event_dates.last);
    $('slider').max = String(dates.length - 1);
    $('slider').value = String(dates.length - 1);
  }
  const docs = await api('/api/documents?limit=100');
  $('documents').innerHTML = docs.documents.map((d) => `<li class="doc">${esc(d.date || '')} ${esc(d.title || d.id)}</li>`).join('') || '<li>No documents stored.</li>';
  await loadGraph(dates[dates.length - 1]);
}

init().catch(report);
