// Browser test: `entente serve` over a store ingested from the seed articles (../shared), or
// from the examples when the seeds are absent; Debian's chromium through playwright-core.
// Drives every panel: the graph's blocs and legend, the actor search, the timeline (a bar's
// events, then evidence), the date brush, each filter, the URL state across a reload, and
// the live refresh: `entente watch` polls a feed served on loopback by this script, the feed
// gains an item, and the open page shows the new document without a reload. Saves one
// screenshot per panel with the dist SOURCE_HASH they were taken with. Run through
// web/tests/run.sh.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const entente = process.env.ENTENTE_BIN || join(here, '../../target/debug/entente');
const seeds = join(here, '../../../shared/corpus/seeds');
const corpus = process.env.CORPUS || (existsSync(seeds) ? seeds : join(here, '../../examples'));
const shots = join(here, 'screenshots');
const work = mkdtempSync(join(tmpdir(), 'entente-e2e-'));
const children = [];

function startServer(db) {
  const ingest = spawnSync(entente, ['--db', db, '--quiet', 'ingest', corpus], { stdio: 'inherit' });
  assert.equal(ingest.status, 0, `ingest of ${corpus}`);
  const child = spawn(entente, ['--db', db, 'serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (d) => {
      const m = /on (http:\S+)/.exec(String(d));
      if (m) resolve(m[1].replace(/\/$/, ''));
    });
  });
}

// --- A tiny news site on loopback: a feed and one article, the feed changed mid-test ---

const LIVE_TITLE = 'Live desk: Sweden completes its path into NATO';
const article = readFileSync(join(here, '../../examples/sweden-joins-nato.txt'), 'utf8');
const articleHtml = `<!doctype html><html><head><title>${LIVE_TITLE}</title><meta name="date" content="2024-03-07"></head>
<body><article><h1>${LIVE_TITLE}</h1>${article.split(/\n\s*\n/).slice(1).map((p) => `<p>${p.trim()}</p>`).join('\n')}</article></body></html>`;
const site = { items: [] };

function feedXml(base) {
  const items = site.items.map((path) => `<item><title>${LIVE_TITLE}</title><link>${base}${path}</link><guid>${base}${path}</guid>
    <pubDate>Thu, 07 Mar 2024 12:00:00 GMT</pubDate></item>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback news</title>
    <link>${base}/</link><description>test feed</description>${items}</channel></rss>`;
}

function startSite() {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${server.address().port}`;
    if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(feedXml(base));
    } else if (req.url === '/sweden.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(articleHtml);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// --- Helpers over the page ------------------------------------------------------------

const graphState = (page) => page.evaluate(() => {
  const { cy } = window.entente;
  return {
    nodes: cy.nodes().map((n) => ({ id: n.id(), type: n.data('type'), community: n.data('community'), color: n.style('background-color'), pos: n.renderedPosition() })),
    events: cy.edges().reduce((sum, e) => sum + (e.data('events') || 0), 0),
    status: document.getElementById('graph-status').textContent,
  };
});

// Waits until the page has no API request in flight (after an action has started some).
async function settled(page) {
  await page.waitForTimeout(100);
  await page.waitForFunction(() => window.entente.pending === 0);
}

const urlParam = (page, key) => new URL(page.url()).searchParams.get(key);

// The graph's total events as the API gives it for the page's current filters.
const apiEvents = (page) => page.evaluate(async () => {
  const params = new URLSearchParams(location.search);
  params.delete('actor');
  params.delete('counterpart');
  if (!params.get('from') && !params.get('to')) params.set('window_days', '36500');
  params.set('limit', '150');
  const g = await (await fetch('/api/graph?' + params)).json();
  return g.edges.reduce((sum, e) => sum + (e.events || 0), 0);
});

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16},${(n >> 8) & 255},${n & 255})`;
}

async function clickNode(page, id) {
  const box = await page.locator('#graph').boundingBox();
  const { nodes } = await graphState(page);
  const node = nodes.find((n) => n.id === id);
  assert.ok(node, `node ${id} among ${nodes.map((n) => n.id).join(' ')}`);
  await page.mouse.click(box.x + node.pos.x, box.y + node.pos.y);
}

// Screen x of the middle of bar i of the timeline.
async function barX(page, i) {
  const box = await page.locator('#timeline').boundingBox();
  const n = await page.evaluate(() => window.entente.bars.length);
  return box.x + (i + 0.5) * (box.width / n);
}

// --- The test ---------------------------------------------------------------------------

console.log(`corpus: ${corpus}`);
const db = join(work, 'e2e.db');
const url = await startServer(db);
const siteServer = await startSite();
const siteBase = `http://127.0.0.1:${siteServer.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
mkdirSync(shots, { recursive: true });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => /actors/.test(document.getElementById('graph-status').textContent));
  await page.waitForSelector('#timeline rect.bar');
  assert.ok(await page.locator('#documents li').count() > 0, 'documents are listed');

  // Graph and blocs: NATO and Japan drawn, each node coloured as its bloc in the legend.
  const all = await graphState(page);
  assert.ok(all.nodes.length > 3, `nodes drawn: ${all.nodes.length}`);
  for (const id of ['NATO', 'JPN']) assert.ok(all.nodes.some((n) => n.id === id), `${id} is drawn`);
  const legend = await page.locator('#legend .bloc').evaluateAll((rows) => rows.map((r) => ({ community: Number(r.dataset.community), color: r.dataset.color })));
  assert.ok(legend.length > 0, 'the legend lists blocs');
  for (const { community, color } of legend) {
    const members = all.nodes.filter((n) => n.community === community);
    assert.ok(members.length > 0, `bloc ${community} has nodes`);
    for (const n of members) assert.equal(n.color, hexToRgb(color), `${n.id} is coloured as bloc ${community}`);
  }
  assert.match(await page.locator('#legend').textContent(), /state.*organisation.*person/s, 'the legend explains shapes');
  await page.locator('#graph-pane').screenshot({ path: join(shots, 'graph.png') });

  // Search focuses a node: centred and marked.
  await page.locator('#search').fill('Japan');
  await page.locator('#search-results li[data-actor="JPN"]').click();
  await page.waitForFunction(() => window.entente.cy.getElementById('JPN').hasClass('focused'));
  await page.waitForTimeout(500); // the centring animation
  const box = await page.locator('#graph').boundingBox();
  const jpn = (await graphState(page)).nodes.find((n) => n.id === 'JPN');
  assert.ok(Math.abs(jpn.pos.x - box.width / 2) < 40 && Math.abs(jpn.pos.y - box.height / 2) < 40, `JPN centred: ${JSON.stringify(jpn.pos)}`);
  await page.waitForFunction(() => /Japan/.test(document.getElementById('timeline-title').textContent));
  assert.equal(urlParam(page, 'actor'), 'JPN');

  // Timeline: click a bar, its events are listed; click one, its evidence shows.
  const firstBar = await page.evaluate(() => window.entente.bars.findIndex((b) => b.events > 0));
  await page.mouse.click(await barX(page, firstBar), (await page.locator('#timeline').boundingBox()).y + 60);
  await page.waitForSelector('#bar-events .event');
  const barTitle = await page.locator('#bar-events h3').textContent();
  const bar = await page.evaluate((i) => window.entente.bars[i], firstBar);
  assert.ok(barTitle.startsWith(`${bar.start} – ${bar.end}: ${bar.events} events`), `${barTitle} vs ${JSON.stringify(bar)}`);
  await page.locator('#bar-events .event').first().click();
  await page.waitForSelector('#evidence mark');
  const marked = await page.locator('#evidence mark').first().textContent();
  assert.ok(marked.length > 5, `evidence span highlighted: ${marked}`);
  assert.match(await page.locator('#evidence .source').first().textContent(), /\d{4}|undated/, 'evidence names its document and date');
  await page.locator('#evidence').screenshot({ path: join(shots, 'evidence.png') });

  // Brush: back to all events, drag over two of the busy bars before the last; the graph
  // and the URL follow, the timeline keeps its whole span.
  await page.goto(url);
  await page.waitForSelector('#timeline rect.bar');
  const bars = await page.evaluate(() => window.entente.bars);
  const busy = bars.flatMap((b, i) => (b.events > 0 ? [i] : []));
  assert.ok(busy.length >= 3, `events in three bars or more: ${busy}`);
  const [first, last] = [busy[busy.length - 3], busy[busy.length - 2]];
  const before = await graphState(page);
  const tl = await page.locator('#timeline').boundingBox();
  const barWidth = tl.width / bars.length;
  const y = tl.y + 40;
  await page.mouse.move(tl.x + first * barWidth + 1, y);
  await page.mouse.down();
  await page.mouse.move(tl.x + (last + 1) * barWidth - 1, y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('to'));
  await settled(page);
  assert.equal(urlParam(page, 'from'), bars[first].from);
  assert.equal(urlParam(page, 'to'), bars[last].to);
  const brushed = await graphState(page);
  assert.ok(brushed.events < before.events, `the brush narrows the graph: ${before.events} -> ${brushed.events} events`);
  assert.equal(brushed.events, await apiEvents(page));
  assert.equal(await page.locator('#timeline rect.brush').count(), 1, 'the brush is drawn');
  assert.equal((await page.evaluate(() => window.entente.bars)).length, bars.length, 'the timeline keeps its span');
  await page.locator('#timeline-panel').screenshot({ path: join(shots, 'timeline.png') });
  await page.locator('#range-clear').click();
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('to'));
  await settled(page);

  // Each filter reaches the server through the URL and narrows the graph.
  const full = (await graphState(page)).events;
  const common = await page.evaluate(async () => {
    const page = await (await fetch('/api/events?limit=500')).json();
    const count = {};
    for (const e of page.events) count[e.body.plover] = (count[e.body.plover] || 0) + 1;
    return Object.entries(count).sort((a, b) => b[1] - a[1])[0][0];
  });
  for (const [input, key, value] of [['#f-plover', 'plover', common], ['#f-modality', 'modality', 'asserted'], ['#f-type', 'actor_type', 'state']]) {
    await page.locator(input).selectOption(value);
    await page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [key, value]);
    await settled(page);
    const g = await graphState(page);
    assert.equal(g.events, await apiEvents(page), `${key}=${value}: the graph is the server's`);
    assert.ok(g.events <= full, `${key}=${value} narrows: ${full} -> ${g.events}`);
    if (key === 'plover') assert.ok(g.events < full, `${key}=${value} narrows strictly: ${full} -> ${g.events}`);
    if (key === 'actor_type') assert.ok(g.nodes.every((n) => n.type === 'state'), 'only states left');
    if (key === 'actor_type') await page.screenshot({ path: join(shots, 'filters.png') });
    await page.locator(input).selectOption('');
    await settled(page);
  }
  await page.locator('#f-sources').fill('2');
  await page.locator('#f-sources').dispatchEvent('change');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('min_sources') === '2');
  await settled(page);
  assert.equal((await graphState(page)).events, await apiEvents(page), 'min_sources: the graph is the server\'s');
  assert.ok((await graphState(page)).events <= full);

  // URL state: a selection, a filter and a range survive a reload.
  await page.goto(`${url}/?actor=JPN&plover=${common}&from=${bars[first].from}&to=${bars[last].to}`);
  await page.waitForFunction(() => /Japan/.test(document.getElementById('timeline-title').textContent));
  await page.reload();
  await page.waitForFunction(() => /Japan/.test(document.getElementById('timeline-title').textContent));
  assert.equal(await page.locator('#f-plover').inputValue(), common);
  assert.match(await page.locator('#range-label').textContent(), new RegExp(`${bars[first].from} to ${bars[last].to}`));
  await page.waitForFunction(() => window.entente.cy.getElementById('JPN').hasClass('selected'));
  assert.match(await page.locator('#details h2').textContent(), /Japan/);

  // Live: watch a feed while the page is open; the feed gains an item; the page shows it.
  await page.goto(`${url}/?actor=JPN`);
  await page.waitForFunction(() => window.entente.revision !== null);
  await page.evaluate(() => { window.notReloaded = true; });
  const hadSweden = await page.evaluate(() => window.entente.cy.getElementById('SWE').nonempty());
  const watch = spawn(entente, ['--db', db, 'watch', '--every', '1s', `${siteBase}/feed.xml`], { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(watch);
  await page.waitForTimeout(2500); // a poll or two of the empty feed
  assert.ok(!(await page.locator('#documents').textContent()).includes(LIVE_TITLE));
  site.items.push('/sweden.html');
  await page.waitForFunction((t) => document.getElementById('documents').textContent.includes(t), LIVE_TITLE, { timeout: 30000 });
  // Sweden is new to the seed articles (not to the examples, which hold this article).
  if (!hadSweden) await page.waitForFunction(() => window.entente.cy.getElementById('SWE').nonempty(), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'no reload');
  assert.equal(urlParam(page, 'actor'), 'JPN', 'the selection is kept');
  assert.match(await page.locator('#timeline-title').textContent(), /Japan/);
  assert.equal(await page.locator(`#documents a[href="${siteBase}/sweden.html"]`).count(), 1, 'the new document links to its page');

  // The new document's evidence links to the page it was read from.
  if (!hadSweden) {
    await page.locator('#search').fill('Sweden');
    await page.locator('#search-results li[data-actor="SWE"]').click();
    await page.waitForSelector('#details .event');
    await page.locator('#details .event').first().click();
    await page.waitForSelector(`#evidence .source a[href="${siteBase}/sweden.html"]`);
    assert.match(await page.locator('#evidence .source').first().textContent(), new RegExp(LIVE_TITLE));
    await page.locator('#evidence').screenshot({ path: join(shots, 'evidence.png') });
  }

  assert.deepEqual(errors, [], 'no page errors');
  copyFileSync(join(here, '../dist/SOURCE_HASH'), join(shots, 'SOURCE_HASH'));
  console.log(`ok: ${all.nodes.length} nodes in ${legend.length} blocs, evidence "${marked}", brush ${before.events} -> ${brushed.events} events, live document shown`);
} finally {
  await browser.close();
  for (const child of children) child.kill();
  siteServer.close();
  rmSync(work, { recursive: true, force: true });
}
