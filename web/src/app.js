// The graph page: the actors' network with its blocs, a timeline of the selected actor or
// pair, filters applied by the server, the evidence behind each event, and a live refresh
// when the store changes. The URL holds the selection and filters, so links can be shared
// and a reload restores the view.
import cytoscape from 'cytoscape';

const $ = (id) => document.getElementById(id);
window.entente = { pending: 0 };
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// Requests in flight, so the browser tests can tell when the page has settled.
let pending = 0;

async function api(path) {
  pending += 1;
  window.entente.pending = pending;
  try {
    const res = await fetch(path);
    const body = await res.json();
    if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
    return body;
  } finally {
    pending -= 1;
    window.entente.pending = pending;
  }
}

const PLOVER = ['AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST', 'ACCUSE', 'DISAPPROVE',
  'REJECT', 'THREATEN', 'PROTEST', 'DEMAND', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT', 'FIGHT', 'INVESTIGATE'];
const MODALITIES = ['asserted', 'planned', 'negated', 'hypothetical', 'reported'];
const ACTOR_TYPES = ['state', 'organization', 'grouping', 'person', 'other'];
// Colour-blind-friendly palette (Okabe-Ito, then Tableau); blocs past it are grey.
const BLOC_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#8c564b', '#7f7f7f', '#bcbd22', '#17becf', '#9467bd'];
const OTHER_BLOC = '#b0b0b0';
const SHAPES = { state: 'ellipse', organization: 'round-rectangle', grouping: 'round-rectangle', person: 'triangle', other: 'diamond' };
const TONE = { cooperation: '#2a9d3a', conflict: '#d62828', neutral: '#888' };
const KIND_STYLE = { membership: 'solid', partnership: 'dashed', role: 'dotted', events: 'solid' };
const GRAPH_LIMIT = 150;

// --- State, kept in the URL ------------------------------------------------------------

// actor / counterpart: the selection (an actor, or a pair); the rest are filters.
const KEYS = ['actor', 'counterpart', 'from', 'to', 'plover', 'modality', 'actor_type', 'min_sources'];
const state = Object.fromEntries(KEYS.map((k) => [k, '']));

function readUrl() {
  const params = new URLSearchParams(location.search);
  for (const k of KEYS) state[k] = params.get(k) || '';
}

function writeUrl() {
  const params = new URLSearchParams();
  for (const k of KEYS) if (state[k]) params.set(k, state[k]);
  const query = params.toString();
  history.replaceState(null, '', query ? '?' + query : location.pathname);
}

// The query string of the filters (and optionally the date range and the selection).
function query(extra = {}, { dates = true, selection = false } = {}) {
  const params = new URLSearchParams();
  for (const k of ['plover', 'modality', 'actor_type', 'min_sources']) if (state[k]) params.set(k, state[k]);
  if (dates) for (const k of ['from', 'to']) if (state[k]) params.set(k, state[k]);
  if (selection) for (const k of ['actor', 'counterpart']) if (state[k]) params.set(k, state[k]);
  for (const [k, v] of Object.entries(extra)) if (v !== '' && v != null) params.set(k, v);
  return params.toString();
}

// --- Graph ------------------------------------------------------------------------------

const cy = cytoscape({
  container: $('graph'),
  style: [
    { selector: 'node', style: { label: 'data(name)', 'background-color': 'data(color)', shape: 'data(shape)', 'font-size': 10, width: 'data(size)', height: 'data(size)' } },
    { selector: 'node.selected', style: { 'border-width': 4, 'border-color': '#111' } },
    { selector: 'node.focused', style: { 'border-width': 6, 'border-color': '#ff8c00', 'font-weight': 'bold', 'font-size': 14 } },
    { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(color)', 'line-style': 'data(style)', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(color)', 'arrow-scale': 0.7, opacity: 0.75 } },
    { selector: 'edge.selected', style: { opacity: 1, 'underlay-color': '#111', 'underlay-padding': 3, 'underlay-opacity': 0.3 } },
  ],
});
// Exposed for the browser tests (web/tests), which need node positions and colours.
Object.assign(window.entente, { cy, state, revision: null, bars: [] });

function blocColor(community) {
  return BLOC_COLORS[community] || OTHER_BLOC;
}

// Edge width grows with the log of its events, so one heavy pair does not hide the rest.
function edgeWidth(events, most) {
  if (!events) return 1;
  return 1 + 6 * Math.log1p(events) / Math.log1p(Math.max(most, 1));
}

async function loadGraph() {
  const extra = { limit: GRAPH_LIMIT };
  if (!state.from && !state.to) extra.window_days = 36500;
  const g = await api('/api/graph?' + query(extra));
  const mostEvents = Math.max(1, ...g.edges.map((e) => e.events || 0));
  const heaviest = Math.max(1, ...g.nodes.map((n) => n.weight));
  const positions = new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
  cy.elements().remove();
  cy.add(g.nodes.map((n) => ({
    data: { ...n, color: blocColor(n.community), shape: SHAPES[n.type] || 'diamond', size: 18 + 22 * Math.sqrt(n.weight / heaviest) },
    position: positions.get(n.id),
  })));
  cy.add(g.edges.map((e) => ({
    data: { ...e, color: e.kind === 'events' ? TONE[e.tone] || '#555' : '#999', style: KIND_STYLE[e.kind] || 'solid', width: edgeWidth(e.events, mostEvents) },
  })));
  // Keep where known nodes were, so a live refresh does not reshuffle the picture.
  const known = g.nodes.filter((n) => positions.has(n.id)).length;
  cy.layout({ name: 'cose', animate: false, randomize: known === 0, fit: true, padding: 30 }).run();
  markSelection();
  drawLegend(g);
  const cut = g.total_nodes > g.nodes.length ? ` (top ${g.nodes.length} of ${g.total_nodes} actors by events)` : '';
  $('graph-status').textContent = g.empty ? 'The graph is empty: nothing stored matches.' : `${g.nodes.length} actors, ${g.edges.length} ties${cut}`;
}

function drawLegend(g) {
  const blocs = new Map();
  for (const n of g.nodes) {
    if (!blocs.has(n.community)) blocs.set(n.community, []);
    blocs.get(n.community).push(n.name);
  }
  const shown = [...blocs.entries()].sort((a, b) => a[0] - b[0]).slice(0, BLOC_COLORS.length);
  const blocRows = shown.map(([c, names]) => `<div class="row bloc" data-community="${c}" data-color="${blocColor(c)}"><span class="swatch" style="background:${blocColor(c)}"></span>${esc(names.slice(0, 3).join(', '))}${names.length > 3 ? ` +${names.length - 3}` : ''}</div>`);
  const more = blocs.size > shown.length ? `<div class="row"><span class="swatch" style="background:${OTHER_BLOC}"></span>${blocs.size - shown.length} smaller blocs</div>` : '';
  const shapes = [['state', 'circle: state'], ['organization', 'rounded box: organisation / grouping'], ['person', 'triangle: person'], ['other', 'diamond: other']];
  const shapeRows = shapes.map(([t, label]) => `<div class="row">${shapeIcon(t)}${label}</div>`).join('');
  $('legend').innerHTML = `<div><h3>Blocs (Louvain communities)</h3>${blocRows.join('')}${more}</div><div><h3>Actors</h3>${shapeRows}</div>
    <div><h3>Ties</h3><div class="row"><span style="color:${TONE.cooperation}">━</span> cooperation</div><div class="row"><span style="color:${TONE.conflict}">━</span> conflict</div>
    <div class="row">width: number of events</div><div class="row">grey: membership ━, partnership ╌, role ┈</div></div>`;
}

function shapeIcon(type) {
  const path = { state: '<circle cx="6" cy="6" r="5"/>', organization: '<rect x="1" y="2" width="10" height="8" rx="2"/>', person: '<polygon points="6,1 11,11 1,11"/>', other: '<polygon points="6,0 12,6 6,12 0,6"/>' }[type];
  return `<svg width="12" height="12" fill="#666">${path}</svg>`;
}

function markSelection() {
  cy.elements().removeClass('selected');
  if (state.actor && state.counterpart) {
    cy.edges().filter((e) => (e.data('source') === state.actor && e.data('target') === state.counterpart)
      || (e.data('source') === state.counterpart && e.data('target') === state.actor)).addClass('selected');
  } else if (state.actor) {
    cy.getElementById(state.actor).addClass('selected');
  }
}

// --- Timeline ---------------------------------------------------------------------------

const SVG_W = 520;
const SVG_H = 170;
const AXIS_BOTTOM = 16; // room for the date labels
let bars = [];
let chosenBar = -1;

async function loadTimeline() {
  const t = await api('/api/activity?' + query({}, { dates: false, selection: true }));
  bars = t.bars;
  window.entente.bars = bars;
  $('timeline-title').textContent = `${selectionTitle()}: ${t.events} events by ${t.bucket}`;
  drawTimeline();
}

function selectionTitle() {
  const name = (id) => cy.getElementById(id).data('name') || id;
  if (state.actor && state.counterpart) return `${name(state.actor)} – ${name(state.counterpart)}`;
  if (state.actor) return name(state.actor);
  return 'All events';
}

// Bar geometry: the axis splits the height in proportion to the largest sums each way.
function geometry() {
  const up = Math.max(0, ...bars.map((b) => b.cooperation));
  const down = Math.max(0, ...bars.map((b) => -b.conflict));
  const height = SVG_H - AXIS_BOTTOM - 8;
  const scale = height / Math.max(up + down, 1);
  return { axis: 4 + up * scale, scale, width: SVG_W / Math.max(bars.length, 1) };
}

function drawTimeline() {
  const svg = $('timeline');
  if (!bars.length) { svg.innerHTML = '<text x="10" y="20">No dated events match.</text>'; return; }
  const { axis, scale, width } = geometry();
  const parts = [];
  bars.forEach((b, i) => {
    const x = i * width + 0.5;
    const w = Math.max(width - 1, 1);
    const chosen = i === chosenBar ? ' chosen' : '';
    const title = `<title>${b.start} – ${b.end}: ${b.events} events, +${b.cooperation} / ${b.conflict}</title>`;
    if (b.cooperation > 0) parts.push(`<rect class="bar coop${chosen}" data-bar="${i}" x="${x}" y="${axis - b.cooperation * scale}" width="${w}" height="${b.cooperation * scale}">${title}</rect>`);
    if (b.conflict < 0) parts.push(`<rect class="bar conf${chosen}" data-bar="${i}" x="${x}" y="${axis}" width="${w}" height="${-b.conflict * scale}">${title}</rect>`);
    // Events with Goldstein 0 still deserve a visible mark.
    if (b.events > 0 && b.cooperation === 0 && b.conflict === 0) parts.push(`<rect class="bar coop${chosen}" data-bar="${i}" x="${x}" y="${axis - 2}" width="${w}" height="2">${title}</rect>`);
  });
  parts.push(`<line class="axis" x1="0" x2="${SVG_W}" y1="${axis}" y2="${axis}"/>`);
  parts.push(`<text x="2" y="${SVG_H - 4}">${bars[0].start}</text><text x="${SVG_W - 2}" y="${SVG_H - 4}" text-anchor="end">${bars[bars.length - 1].end}</text>`);
  const range = brushedBars();
  if (range) parts.push(`<rect class="brush" x="${range[0] * width}" y="0" width="${(range[1] - range[0] + 1) * width}" height="${SVG_H - AXIS_BOTTOM}"/>`);
  svg.innerHTML = parts.join('');
}

// The bars the date range covers, or null when the range is unset or off the chart.
function brushedBars() {
  if (!state.from && !state.to) return null;
  const from = state.from || bars[0].from;
  const to = state.to || bars[bars.length - 1].to;
  const first = bars.findIndex((b) => b.to >= from);
  let last = -1;
  bars.forEach((b, i) => { if (b.from <= to) last = i; });
  return first >= 0 && last >= first ? [first, last] : null;
}

function barAt(clientX) {
  const r = $('timeline').getBoundingClientRect();
  const { width } = geometry();
  return Math.min(bars.length - 1, Math.max(0, Math.floor((clientX - r.left) / width)));
}

// A press and release on one spot chooses a bar; a drag selects the bars it crosses as the
// date range (the graph and the lists follow; the timeline keeps its whole span).
let dragStart = null;
$('timeline').addEventListener('mousedown', (evt) => {
  if (!bars.length) return;
  dragStart = evt.clientX;
  evt.preventDefault();
});
$('timeline').addEventListener('mousemove', (evt) => {
  if (dragStart === null || Math.abs(evt.clientX - dragStart) < 4) return;
  const [a, b] = [barAt(dragStart), barAt(evt.clientX)].sort((x, y) => x - y);
  const { width } = geometry();
  let brush = $('timeline').querySelector('.brush');
  if (!brush) {
    brush = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    brush.setAttribute('class', 'brush');
    $('timeline').appendChild(brush);
  }
  brush.setAttribute('x', a * width);
  brush.setAttribute('y', 0);
  brush.setAttribute('width', (b - a + 1) * width);
  brush.setAttribute('height', SVG_H - AXIS_BOTTOM);
});
window.addEventListener('mouseup', (evt) => {
  if (dragStart === null) return;
  const start = dragStart;
  dragStart = null;
  if (Math.abs(evt.clientX - start) < 4) {
    showBar(barAt(start)).catch(report);
    return;
  }
  const [a, b] = [barAt(start), barAt(evt.clientX)].sort((x, y) => x - y);
  setRange(bars[a].from, bars[b].to);
});

function setRange(from, to) {
  state.from = from;
  state.to = to;
  changed({ timeline: false }).catch(report);
}

async function showBar(i) {
  chosenBar = i;
  drawTimeline();
  const b = bars[i];
  // The bar's own from/to: a month bar asks for yyyy-mm, so events dated to the month count.
  const page = await api('/api/events?' + query({ from: b.from, to: b.to, limit: 100 }, { dates: false, selection: true }));
  $('bar-events').innerHTML = `<h3>${esc(b.start)} – ${esc(b.end)}: ${page.total} events</h3>${page.events.map(eventLine).join('') || '<p>none</p>'}`;
}

function eventLine(f) {
  const b = f.body;
  const g = Number(b.goldstein || 0);
  const tone = g > 0 ? 'coop-text' : g < 0 ? 'conf-text' : '';
  const sources = b.documents ? `, ${b.documents} source${b.documents > 1 ? 's' : ''}` : '';
  return `<div class="event" data-fact="${esc(f.id)}">${esc(b.date || 'undated')} <b class="${tone}">${esc(b.plover)}</b> ${esc(b.source?.name || '')} → ${esc(b.target?.name || '—')} <small>(${esc(b.modality)}, ${g > 0 ? '+' : ''}${g}${sources})</small></div>`;
}

// --- Selection details, events list, evidence --------------------------------------------

async function loadDetails() {
  if (!state.actor) {
    $('details').innerHTML = '';
    return;
  }
  const id = state.actor;
  const [ties, events] = await Promise.all([
    api(`/api/actors/${encodeURIComponent(id)}/ties?limit=50`),
    api('/api/events?' + query({ limit: 50 }, { selection: true })),
  ]);
  const tie = (f) => `<div class="tie" data-fact="${esc(f.id)}">${esc(f.kind)} ${esc(f.body.plover || f.body.status || f.body.role || f.body.name || '')} ${esc(f.body.source?.name || f.body.member?.name || f.body.a?.name || f.body.person?.name || '')} → ${esc(f.body.target?.name || f.body.group?.name || f.body.b?.name || f.body.of?.name || '')}</div>`;
  const relations = ties.ties.filter((f) => f.kind !== 'event');
  $('details').innerHTML = `<h2>${esc(selectionTitle())}</h2>
    <h3>Events (${events.total}${state.from || state.to ? ', in the date range' : ''})</h3>${events.events.map(eventLine).join('') || '<p>none</p>'}
    <h3>Relations</h3>${relations.map(tie).join('') || '<p>none</p>'}`;
}

// Evidence spans are byte offsets into the document's UTF-8 text.
function markedSentence(e) {
  const bytes = new TextEncoder().encode(e.sentence_text);
  const dec = new TextDecoder();
  const a = e.start - e.sentence_start;
  const b = e.end - e.sentence_start;
  return esc(dec.decode(bytes.slice(0, a))) + '<mark>' + esc(dec.decode(bytes.slice(a, b))) + '</mark>' + esc(dec.decode(bytes.slice(b)));
}

async function showEvidence(factIds) {
  const parts = [];
  for (const id of factIds.slice(0, 5)) {
    const ev = await api(`/api/facts/${encodeURIComponent(id)}/evidence`);
    for (const e of ev.evidence) {
      const title = esc(e.doc_title || e.doc);
      const link = e.doc_url ? `<a href="${esc(e.doc_url)}" target="_blank" rel="noopener noreferrer">${title}</a>` : title;
      parts.push(`<div class="evidence-item"><p class="sentence">${markedSentence(e)}</p><p class="source">${link} · ${esc(e.doc_date || 'undated')} · sentence ${e.sentence} · ${esc(e.rule)}</p></div>`);
    }
  }
  $('evidence').innerHTML = '<h2>Evidence</h2>' + (parts.join('') || '<p>none</p>');
}

document.querySelector('aside').addEventListener('click', (evt) => {
  const fact = evt.target.closest('[data-fact]');
  if (fact) showEvidence([fact.dataset.fact]).catch(report);
});

async function loadDocuments() {
  const first = await api('/api/documents?limit=1');
  const offset = Math.max(0, first.total - 30);
  const docs = await api(`/api/documents?limit=30&offset=${offset}`);
  const item = (d) => `<li class="doc">${esc(d.date || '')} ${d.url ? `<a href="${esc(d.url)}" target="_blank" rel="noopener noreferrer">${esc(d.title || d.id)}</a>` : esc(d.title || d.id)}</li>`;
  $('documents').innerHTML = docs.documents.reverse().map(item).join('') || '<li>No documents stored.</li>';
}

async function loadStats() {
  const stats = await api('/api/stats');
  $('counts').textContent = Object.entries(stats.counts).map(([k, v]) => `${k}: ${v}`).join(' · ');
}

// --- Interaction --------------------------------------------------------------------------

function select(actor, counterpart = '') {
  state.actor = actor;
  state.counterpart = counterpart;
  chosenBar = -1;
  $('bar-events').innerHTML = '';
  changed({ graph: false }).catch(report);
}

cy.on('tap', 'node', (evt) => select(evt.target.id()));
cy.on('tap', 'edge', (evt) => {
  select(evt.target.data('source'), evt.target.data('target'));
  showEvidence(evt.target.data('facts') || []).catch(report);
});

// Centres on the actor and marks it, then selects it.
function focusActor(id) {
  const node = cy.getElementById(id);
  cy.nodes().removeClass('focused');
  if (node.nonempty()) {
    node.addClass('focused');
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
  }
  select(id);
}

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
  focusActor(li.dataset.actor);
});

function fillSelect(id, values) {
  $(id).insertAdjacentHTML('beforeend', values.map((v) => `<option value="${v}">${v}</option>`).join(''));
}

const FILTER_INPUTS = { 'f-plover': 'plover', 'f-modality': 'modality', 'f-type': 'actor_type', 'f-sources': 'min_sources' };

function showFilters() {
  for (const [input, key] of Object.entries(FILTER_INPUTS)) $(input).value = state[key];
  const ranged = state.from || state.to;
  $('range-label').textContent = ranged ? `Dates ${state.from || '…'} to ${state.to || '…'}` : 'All dates';
  $('range-clear').hidden = !ranged;
}

for (const [input, key] of Object.entries(FILTER_INPUTS)) {
  $(input).addEventListener('change', () => {
    const v = $(input).value.trim();
    state[key] = key === 'min_sources' && Number(v) <= 1 ? '' : v;
    changed().catch(report);
  });
}
$('range-clear').addEventListener('click', () => setRange('', ''));

// After a change of selection or filters: the URL, then what depends on it.
async function changed({ graph = true, timeline = true } = {}) {
  writeUrl();
  showFilters();
  markSelection();
  await Promise.all([graph ? loadGraph() : null, timeline ? loadTimeline() : drawTimeline(), loadDetails()]);
}

function report(err) {
  $('graph-status').textContent = 'Error: ' + err.message;
}

// --- Live -------------------------------------------------------------------------------

// The server streams the store's revision; when it moves everything shown is fetched
// again, with the selection and filters kept. EventSource reconnects by itself.
function live() {
  const source = new EventSource('/api/changes');
  source.addEventListener('revision', (evt) => {
    const { revision } = JSON.parse(evt.data);
    $('live').textContent = `live: revision ${revision}`;
    $('live').classList.add('on');
    if (window.entente.revision !== null && revision !== window.entente.revision) {
      refresh().then(() => setTimeout(() => refresh().catch(report), 1500)).catch(report);
    }
    window.entente.revision = revision;
  });
  source.addEventListener('error', () => $('live').classList.remove('on'));
}

// The server rebuilds its in-memory catalog in the background when the revision moves, so
// the first refresh may still see the old one: the caller fetches everything once more
// a moment later.
async function refresh() {
  await Promise.all([loadStats(), loadDocuments(), loadGraph(), loadTimeline(), loadDetails()]);
  window.entente.refreshed = (window.entente.refreshed || 0) + 1;
}

async function init() {
  fillSelect('f-plover', PLOVER);
  fillSelect('f-modality', MODALITIES);
  fillSelect('f-type', ACTOR_TYPES);
  readUrl();
  showFilters();
  await Promise.all([loadStats(), loadDocuments()]);
  await loadGraph();
  await Promise.all([loadTimeline(), loadDetails()]);
  live();
}

init().catch(report);
