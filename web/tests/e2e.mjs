// Browser test: `entente serve` over a store ingested from the seed articles (../shared), or
// from the examples when the seeds are absent; Debian's chromium through playwright-core.
// Loads the page, finds the NATO and Japan nodes, clicks through to an evidence sentence,
// moves the time slider and saves a screenshot. Run through web/tests/run.sh.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const entente = process.env.ENTENTE_BIN || join(here, '../../target/debug/entente');
const seeds = join(here, '../../../shared/corpus/seeds');
const corpus = process.env.CORPUS || (existsSync(seeds) ? seeds : join(here, '../../examples'));
const work = mkdtempSync(join(tmpdir(), 'entente-e2e-'));

function startServer(db) {
  const ingest = spawnSync(entente, ['--db', db, '--quiet', 'ingest', corpus], { stdio: 'inherit' });
  assert.equal(ingest.status, 0, `ingest of ${corpus}`);
  const child = spawn(entente, ['--db', db, 'serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (d) => {
      const m = /on (http:\S+)/.exec(String(d));
      if (m) resolve({ child, url: m[1] });
    });
  });
}

console.log(`corpus: ${corpus}`);
const { child, url } = await startServer(join(work, 'e2e.db'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => /actors/.test(document.getElementById('graph-status').textContent));
  assert.ok(await page.locator('#documents li').count() > 0, 'documents are listed');

  const nodes = await page.evaluate(() => window.entente.cy.nodes().map((n) => ({ id: n.id(), pos: n.renderedPosition() })));
  assert.ok(nodes.length > 3, `nodes drawn: ${nodes.length}`);
  for (const id of ['NATO', 'JPN']) {
    assert.ok(nodes.some((n) => n.id === id), `the ${id} node is drawn among ${nodes.map((n) => n.id).join(' ')}`);
  }

  // Click the Japan node: its ties and timeline appear.
  const box = await page.locator('#graph').boundingBox();
  const node = nodes.find((n) => n.id === 'JPN');
  await page.mouse.click(box.x + node.pos.x, box.y + node.pos.y);
  await page.waitForSelector('#details h2');
  assert.equal(await page.locator('#details h2').textContent(), node.id);

  // Click one of its events: the evidence sentence shows with the span marked.
  await page.locator('#details .event').first().click();
  await page.waitForSelector('#evidence mark');
  const marked = await page.locator('#evidence mark').first().textContent();
  assert.ok(marked.length > 5, `evidence span highlighted: ${marked}`);

  // Move the time slider to the start: the graph reloads for that date.
  const before = await page.locator('#date-label').textContent();
  await page.locator('#slider').evaluate((el) => { el.value = '0'; el.dispatchEvent(new Event('change')); });
  await page.waitForFunction((b) => document.getElementById('date-label').textContent !== b, before);

  mkdirSync(join(here, 'screenshots'), { recursive: true });
  await page.screenshot({ path: join(here, 'screenshots', 'graph.png') });
  assert.deepEqual(errors, [], 'no page errors');
  console.log(`ok: ${nodes.length} nodes, evidence "${marked}", slider ${before} -> ${await page.locator('#date-label').textContent()}`);
} finally {
  await browser.close();
  child.kill();
  rmSync(work, { recursive: true, force: true });
}
