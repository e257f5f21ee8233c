// End-to-end test of annalist's web page in headless Chromium (Debian's), driven by
// playwright-core. Run by tests/browser.rs:
// node page.mjs URL SCREENSHOT EXPECTED_EVENTS EVENTS_WITHOUT_CLAIMS EVENTS_CONFIDENCE_0.5 ASSAULTS
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const [url, screenshot, expectedEvents, withoutClaims, confident, assaults] = process.argv.slice(2);
const executablePath = process.env.ANNALIST_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
const errors = [];
let step = 'start';
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { errors.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  const text = (sel) => page.locator(sel).first().textContent();

  step = 'load the page';
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  assert.equal(await page.getAttribute('#timeline', 'data-events'), expectedEvents);
  const barTotal = await page.$$eval('#timeline rect.bar', (rs) => rs.reduce((n, r) => n + Number(r.getAttribute('data-count')), 0));
  assert.equal(String(barTotal), expectedEvents, 'the timeline bars add up to every event');
  assert.match(await text('#timeline-count'), new RegExp(`^${expectedEvents} events`));
  assert.equal(await page.getAttribute('#events', 'data-total'), expectedEvents);
  assert.ok(await page.locator('#dyad-chart svg').count() === 1, 'the actor-pair chart is drawn');
  console.log(`timeline: ${barTotal} events`);

  step = 'a claim shows its claimant, confidence and casualties';
  const claim = page.locator('#events tbody tr', { hasText: 'the ministry' });
  assert.equal(await claim.count(), 1, 'one event is claimed by the ministry');
  assert.equal(await claim.locator('td.attribution').textContent(), 'claimed by “the ministry”');
  assert.equal(await claim.locator('td.confidence').textContent(), '0.42');
  assert.equal(await claim.locator('td.casualties').textContent(), 'arrested 3');
  await claim.click();
  await page.waitForSelector('#event-detail .mention-weigh');
  assert.match(await text('#event-detail p.weigh'), /attribution: claimed by “the ministry” · confidence 0\.42 · casualties: arrested 3/);
  assert.match(await text('#event-detail .mention-weigh'), /claimed: “the ministry” said · confidence 0\.42 · arrested 3 \(“three journalists”, journalists\)/);
  console.log('claim: claimant, confidence and casualties in the table and the event');

  step = 'leave out claims, then unsure events';
  await page.check('#exclude-claims');
  await page.click('#apply');
  await page.waitForFunction((n) => document.querySelector('#events').dataset.total === n, withoutClaims);
  assert.equal(await page.locator('#events tbody tr', { hasText: 'the ministry' }).count(), 0);
  // (The timeline is fetched apart from the table: wait for it too.)
  await page.waitForFunction((n) => document.querySelector('#timeline').dataset.events === n, withoutClaims);
  await page.uncheck('#exclude-claims');
  await page.fill('input[name=min_confidence]', '0.5');
  await page.click('#apply');
  await page.waitForFunction((n) => document.querySelector('#events').dataset.total === n, confident);
  assert.equal(await page.locator('#events tbody tr', { hasText: 'the ministry' }).count(), 0);
  await page.click('#clear');
  await page.waitForFunction((n) => document.querySelector('#events').dataset.total === n, expectedEvents);
  console.log(`filters: ${withoutClaims} events without claims, ${confident} with confidence ≥ 0.5 or none`);

  step = 'filter by type';
  await page.selectOption('select[name=type]', 'ASSAULT');
  await page.click('#apply');
  await page.waitForFunction((n) => document.querySelector('#events').dataset.total === n, assaults);
  assert.equal(String(await page.locator('#events tbody tr').count()), assaults);
  await page.waitForFunction((n) => Number(document.querySelector('#timeline').dataset.events) <= Number(n)
    && Number(document.querySelector('#timeline').dataset.events) >= Number(n) - 1, assaults);
  const undatedAssaults = Number(assaults) - Number(await page.getAttribute('#timeline', 'data-events'));
  assert.ok(undatedAssaults >= 0 && undatedAssaults <= 1, `the timeline shows the dated assaults (${undatedAssaults} undated)`);
  console.log(`filter type=ASSAULT: ${assaults} events`);

  step = 'filter by place and open the event';
  await page.fill('input[name=location]', 'Kharkiv');
  await page.click('#apply');
  await page.waitForFunction(() => document.querySelector('#events').dataset.total === '1');
  await page.click('#events tbody tr');
  // (the event opened before, a claim, had one mention: wait for this one)
  await page.waitForFunction(() => /RUSMIL ASSAULT UKR/.test(document.querySelector('#event-title').textContent));
  await page.waitForSelector('#event-detail mark.trigger');
  assert.equal(await page.locator('#event-detail .mention').count(), 2, 'two articles report it');
  assert.equal(await text('#event-detail mark.trigger'), 'shelled');
  assert.equal(await text('#event-detail mark.source'), 'Russian forces');
  assert.equal(await text('#event-detail mark.date'), 'on Monday');
  assert.equal(await text('#event-detail mark.place'), 'Kharkiv');
  assert.match(await text('#event-detail mark.target'), /Ukrainian city/);
  console.log('event: evidence highlighted (source, trigger, target, date, place)');

  step = 'open the document';
  await page.click('#event-detail a.doc-link');
  await page.waitForSelector('#document-text mark.trigger');
  assert.match(await text('#document-title'), /web-1/);
  assert.ok((await page.locator('#document-text mark').count()) >= 5);

  step = 'a document with markup stays text';
  await page.click('#clear');
  await page.fill('input[name=actor]', 'KEN');
  await page.click('#apply');
  await page.waitForFunction(() => document.querySelector('#events').dataset.total === '1');
  await page.click('#events tbody tr');
  await page.waitForSelector('#event-detail a.doc-link');
  await page.click('#event-detail a.doc-link');
  await page.waitForFunction(() => /web-script/.test(document.querySelector('#document-title').textContent));
  const docText = await text('#document-text');
  assert.ok(docText.includes("<script>window.__pwned = 'text'</script>"), 'the markup shows as text');
  assert.ok(docText.includes('<img src=x onerror='), 'the img tag shows as text');
  assert.match(await text('#document-title'), /<script>/);
  assert.equal(await page.locator('main script, main img').count(), 0, 'no element was made from document text');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
  console.log('escaping: <script> and <img onerror> are inert text');

  step = 'code a pasted sentence';
  await page.fill('#live-text', 'Turkish troops shelled the Syrian town of Afrin on Friday.');
  await page.fill('#live-date', '2025-06-02');
  await page.click('#live-code');
  await page.waitForSelector('#live-records li.record');
  const rec = await text('#live-records li.record');
  assert.match(rec, /TURMIL .*ASSAULT/);
  assert.equal(await text('#live-text-view mark.trigger'), 'shelled');
  console.log(`live coding: ${rec}`);

  step = 'screenshot';
  await page.click('#clear');
  await page.waitForFunction((n) => document.querySelector('#events').dataset.total === n, expectedEvents);
  await page.click('#events tbody tr:nth-child(2)');
  await page.waitForSelector('#event-detail mark.trigger');
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
  assert.deepEqual(errors, []);
} catch (e) {
  console.error(`FAILED at "${step}": ${e.message}`);
  if (errors.length) console.error(errors.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
