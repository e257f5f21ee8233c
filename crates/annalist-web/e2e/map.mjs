// End-to-end test of the page's map in headless Chromium (Debian's), driven by
// playwright-core. Run by tests/browser.rs: node map.mjs URL SCREENSHOT
// Checks that the marks are the API's located events (ids, coordinates, precision), that
// the map follows the filters, that clicking a mark opens that event, that a cluster
// opens its events, and that zoom works; writes a screenshot of the map.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const [url, screenshot] = process.argv.slice(2);
const executablePath = process.env.ANNALIST_CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
const errors = [];
let step = 'start';
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  // Failed requests (the browser's own favicon request aside) are errors.
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
  });
  const get = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

  // Every event of /api/events (all pages) with a location, and /api/map's events.
  async function located(query) {
    const rows = [];
    for (let offset = 0; ; ) {
      const p = await get(`/api/events?${query}&limit=500&offset=${offset}`);
      rows.push(...p.events);
      if (p.next_offset === undefined) break;
      offset = p.next_offset;
    }
    const map = await get(`/api/map?${query}`);
    return { withLocation: rows.filter((e) => e.location).map((e) => e.event).sort((a, b) => a - b), map };
  }

  // The ids the marks stand for (a cluster stands for several), each once.
  async function markIds() {
    const lists = await page.$$eval('#map-marks .mark', (ms) => ms.map((m) => m.dataset.events.split(' ').map(Number)));
    const ids = lists.flat().sort((a, b) => a - b);
    assert.equal(new Set(ids).size, ids.length, 'no event has two marks');
    return ids;
  }

  step = 'load the page';
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.waitForSelector('#map-world path.country');
  const countries = await page.locator('#map-world path.country').count();
  assert.ok(countries > 170, `the world outline has ${countries} countries`);

  step = 'the marks are the located events';
  const all = await located('');
  const apiIds = all.map.events.map((e) => e.event).sort((a, b) => a - b);
  assert.ok(apiIds.length >= 4, `the fixture has located events: ${apiIds}`);
  assert.deepEqual(apiIds, all.withLocation, '/api/map lists exactly the events with a location');
  assert.deepEqual(await markIds(), apiIds, 'one mark per located event');
  assert.equal(await page.getAttribute('#map', 'data-located'), String(apiIds.length));
  const byId = new Map(all.map.events.map((e) => [e.event, e]));
  for (const m of await page.$$eval('#map-marks circle.event', (ms) => ms.map((c) => ({
    id: Number(c.dataset.events), lat: Number(c.dataset.lat), lon: Number(c.dataset.lon), cls: c.getAttribute('class') })))) {
    const e = byId.get(m.id);
    assert.equal(m.lat, e.lat); assert.equal(m.lon, e.lon);
    assert.ok(m.cls.includes(`q${e.quad_class}`) && m.cls.includes(e.precision), `${m.cls} for ${JSON.stringify(e)}`);
  }
  console.log(`map: ${apiIds.length} located events, ${await page.locator('#map-marks .mark').count()} marks`);

  step = 'marks sit where their coordinates are';
  // Kharkiv is east of Istanbul and north of it, on screen too.
  const at = async (name) => {
    const e = all.map.events.find((x) => x.name === name);
    assert.ok(e, `an event at ${name}`);
    const box = await page.locator(`#map-marks .mark[data-events~="${e.event}"]`).boundingBox();
    return { e, x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  const kharkiv = await at('Kharkiv'), istanbul = await at('Istanbul');
  assert.ok(kharkiv.x > istanbul.x && kharkiv.y < istanbul.y, 'Kharkiv is north-east of Istanbul');

  step = 'click a mark to open its event';
  const single = await page.$$eval('#map-marks circle.event', (ms) => ms.map((c) => Number(c.dataset.events)));
  assert.ok(single.length >= 1, 'some events stand alone');
  const target = byId.get(kharkiv.e.event) && single.includes(kharkiv.e.event) ? kharkiv.e : byId.get(single[0]);
  await page.click(`#map-marks circle.event[data-events="${target.event}"]`);
  await page.waitForFunction((id) => document.querySelector('#event-title').textContent.startsWith(`#${id} `), target.event);
  assert.ok(!(await page.locator('#event-section').isHidden()));
  console.log(`click: mark ${target.event} (${target.name}) opened event ${target.event}`);

  step = 'country-precision marks differ from towns';
  for (const e of all.map.events.filter((x) => x.precision === 'country')) {
    const cls = await page.getAttribute(`#map-marks .mark[data-events~="${e.event}"]`, 'class');
    if (cls.includes('event')) assert.ok(cls.includes('country'), cls);
    assert.equal(await page.locator(`#map-world path.country.located[data-iso3="${e.country}"]`).count() >= 1, true,
      `the country ${e.country} is shaded`);
  }

  step = 'the map follows the filters';
  await page.selectOption('select[name=type]', 'ASSAULT');
  await page.click('#apply');
  const assault = await located('type=ASSAULT');
  await page.waitForFunction((n) => document.querySelector('#map').dataset.located === n, String(assault.map.located));
  const assaultIds = assault.map.events.map((e) => e.event).sort((a, b) => a - b);
  assert.deepEqual(assaultIds, assault.withLocation);
  assert.ok(assaultIds.length >= 1 && assaultIds.length < apiIds.length);
  assert.deepEqual(await markIds(), assaultIds);
  console.log(`filter type=ASSAULT: ${assaultIds.length} marks`);
  await page.click('#clear');
  await page.waitForFunction((n) => document.querySelector('#map').dataset.located === n, String(apiIds.length));

  step = 'overlapping events are clustered';
  // Two events at one point (the same town) always overlap: they form one cluster.
  const perPoint = new Map();
  for (const e of all.map.events) perPoint.set(`${e.lat},${e.lon}`, [...(perPoint.get(`${e.lat},${e.lon}`) || []), e.event]);
  const shared = [...perPoint.values()].find((ids) => ids.length > 1);
  if (shared) {
    const sel = `#map-marks .cluster[data-events~="${shared[0]}"]`;
    const ids = (await page.getAttribute(sel, 'data-events')).split(' ').map(Number);
    for (const id of shared) assert.ok(ids.includes(id), `${id} in the cluster of ${shared[0]}`);
    for (let i = 0; i < 8 && await page.locator('#map-list').isHidden(); i++) {
      await page.click(`#map-marks .cluster[data-events~="${shared[0]}"]`);
    }
    await page.waitForSelector('#map-list button');
    const listed = await page.$$eval('#map-list button', (bs) => bs.map((b) => Number(b.dataset.event)));
    for (const id of shared) assert.ok(listed.includes(id), `${id} is listed`);
    await page.click(`#map-list button[data-event="${shared[1]}"]`);
    await page.waitForFunction((id) => document.querySelector('#event-title').textContent.startsWith(`#${id} `), shared[1]);
    console.log(`cluster: ${shared.length} events at one point listed, #${shared[1]} opened`);
    await page.click('#zoom-reset');
  }

  step = 'zoom and pan';
  await page.click('#zoom-in');
  assert.match(await page.getAttribute('#map-world', 'transform'), /scale\(2\)/);
  const box = await page.locator('#map svg').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await page.waitForFunction(() => /scale\(3(\.0*)?\)/.test(document.querySelector('#map-world').getAttribute('transform')));
  await page.mouse.move(box.x + 100, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 160, box.y + 130, { steps: 4 });
  await page.mouse.up();
  assert.deepEqual(await markIds(), apiIds, 'every located event keeps a mark when zoomed');
  await page.click('#zoom-reset');
  assert.match(await page.getAttribute('#map-world', 'transform'), /translate\(0(\.00)?,0(\.00)?\) scale\(1\)/);

  step = 'screenshot';
  await page.locator('#map-section').screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
  assert.deepEqual(errors, []);
} catch (e) {
  console.error(`FAILED at "${step}": ${e.message}`);
  if (errors.length) console.error(errors.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
