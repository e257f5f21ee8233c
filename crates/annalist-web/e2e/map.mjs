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

  // The events of /api/events (all pages) that have a location, by location key, and
  // /api/map's places.
  async function located(query) {
    const byKey = {};
    let n = 0;
    for (let offset = 0; ; ) {
      const p = await get(`/api/events?${query}&limit=500&offset=${offset}`);
      for (const e of p.events) if (e.location) { (byKey[e.location] ||= []).push(e.event); n += 1; }
      if (p.next_offset === undefined) break;
      offset = p.next_offset;
    }
    for (const ids of Object.values(byKey)) ids.sort((a, b) => a - b);
    const map = await get(`/api/map?${query}`);
    return { byKey, n, map };
  }

  // /api/map's places are the located events of /api/events, place by place.
  function checkPlaces({ byKey, n, map }) {
    assert.equal(map.located, n, 'located events');
    assert.deepEqual(map.places.map((p) => p.location).sort(), Object.keys(byKey).sort(), 'the places');
    for (const p of map.places) {
      assert.equal(p.events, byKey[p.location].length, p.location);
      assert.deepEqual([...p.ids].sort((a, b) => a - b), byKey[p.location], `ids at ${p.location}`);
    }
  }

  // What the marks stand for: every place once, and the events they count.
  async function checkMarks(map) {
    const marks = await page.$$eval('#map-marks .mark', (ms) => ms.map((m) => ({
      locations: m.dataset.locations.split('|'), events: Number(m.dataset.events) })));
    const keys = marks.flatMap((m) => m.locations).sort();
    assert.equal(new Set(keys).size, keys.length, 'no place has two marks');
    assert.deepEqual(keys, map.places.map((p) => p.location).sort(), 'one mark per place (or cluster of places)');
    assert.equal(marks.reduce((s, m) => s + m.events, 0), map.located, 'the marks count every located event');
    return marks.length;
  }

  // The mark that stands for the place with location key `key`.
  async function markOf(key) {
    const i = await page.$$eval('#map-marks .mark', (ms, k) => ms.findIndex((m) => m.dataset.locations.split('|').includes(k)), key);
    assert.ok(i >= 0, `a mark for ${key}`);
    return page.locator('#map-marks .mark').nth(i);
  }

  step = 'add a document';
  // Two shellings of Kharkiv four days apart: two events at one place.
  const added = await fetch(new URL('/api/documents', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer map-test-token' },
    body: JSON.stringify([{ id: 'map-1', date: '2025-03-14', source: 'Wire M', title: 'Kharkiv again',
      text: 'Russian forces shelled Kharkiv on Monday. Russian troops shelled Kharkiv again on Friday.' }]),
  });
  assert.equal(added.status, 200, await added.text());

  step = 'load the page';
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.waitForSelector('#map-world path.country');
  const countries = await page.locator('#map-world path.country').count();
  assert.ok(countries > 170, `the world outline has ${countries} countries`);

  step = 'the marks are the located events';
  const all = await located('');
  assert.ok(all.n >= 4 && all.map.places.length >= 3, `the fixture has located events: ${JSON.stringify(all.byKey)}`);
  checkPlaces(all);
  const nMarks = await checkMarks(all.map);
  assert.equal(await page.getAttribute('#map', 'data-located'), String(all.n));
  const byKey = new Map(all.map.places.map((p) => [p.location, p]));
  for (const m of await page.$$eval('#map-marks .mark.place', (ms) => ms.map((g) => ({
    key: g.dataset.locations, lat: Number(g.dataset.lat), lon: Number(g.dataset.lon), cls: g.getAttribute('class') })))) {
    const p = byKey.get(m.key);
    assert.equal(m.lat, p.lat); assert.equal(m.lon, p.lon);
    const q = p.quad.indexOf(Math.max(...p.quad)) + 1;
    assert.ok(m.cls.includes(`q${q}`) && m.cls.includes(p.precision), `${m.cls} for ${JSON.stringify(p)}`);
  }
  console.log(`map: ${all.n} located events at ${all.map.places.length} places, ${nMarks} marks`);

  step = 'marks sit where their coordinates are';
  const at = async (name) => {
    const p = all.map.places.find((x) => x.name === name);
    assert.ok(p, `a place ${name}`);
    const box = await (await markOf(p.location)).boundingBox();
    return { p, x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  const kharkiv = await at('Kharkiv'), istanbul = await at('Istanbul');
  assert.ok(kharkiv.x > istanbul.x && kharkiv.y < istanbul.y, 'Kharkiv is north-east of Istanbul');

  step = 'click a mark to open its event';
  const single = all.map.places.find((p) => p.events === 1 && p.name === 'Kharkiv') || all.map.places.find((p) => p.events === 1);
  assert.ok(single, 'a place with one event');
  await (await markOf(single.location)).click();
  await page.waitForFunction((id) => document.querySelector('#event-title').textContent.startsWith(`#${id} `), single.ids[0]);
  console.log(`click: the mark at ${single.name} opened event ${single.ids[0]}`);

  step = 'a mark of several events lists them';
  const several = all.map.places.find((p) => p.events > 1);
  assert.ok(several, 'a place with several events (the added document)');
  {
    await (await markOf(several.location)).click();
    await page.waitForSelector('#map-list button');
    const listed = await page.$$eval('#map-list button', (bs) => bs.map((b) => Number(b.dataset.event)).sort((a, b) => a - b));
    assert.deepEqual(listed, all.byKey[several.location]);
    await page.click(`#map-list button[data-event="${listed[1]}"]`);
    await page.waitForFunction((id) => document.querySelector('#event-title').textContent.startsWith(`#${id} `), listed[1]);
    console.log(`several: ${listed.length} events at ${several.name} listed, #${listed[1]} opened`);
  }

  step = 'country-precision marks differ from towns';
  for (const p of all.map.places.filter((x) => x.precision === 'country')) {
    assert.match(await (await markOf(p.location)).getAttribute('class'), /country|cluster/);
    assert.ok(await page.locator(`#map-world path.country.located[data-iso3="${p.country}"]`).count() >= 1,
      `the country ${p.country} is shaded`);
  }
  for (const p of all.map.places.filter((x) => x.precision === 'city')) {
    const cls = await (await markOf(p.location)).getAttribute('class');
    assert.ok(!/\bcountry\b/.test(cls), cls);
  }

  step = 'the map follows the filters';
  await page.selectOption('select[name=type]', 'ASSAULT');
  await page.click('#apply');
  const assault = await located('type=ASSAULT');
  await page.waitForFunction((n) => document.querySelector('#map').dataset.located === n, String(assault.n));
  checkPlaces(assault);
  assert.ok(assault.n >= 1 && assault.n < all.n);
  await checkMarks(assault.map);
  console.log(`filter type=ASSAULT: ${assault.n} events at ${assault.map.places.length} places`);
  await page.click('#clear');
  await page.waitForFunction((n) => document.querySelector('#map').dataset.located === n, String(all.n));

  step = 'overlapping places are clustered';
  // On a narrow page the marks of nearby places overlap and share one mark (a
  // cluster); clicking it zooms in until they part.
  await page.setViewportSize({ width: 320, height: 900 });
  await page.click('#zoom-reset');
  await page.waitForFunction(() => document.querySelector('#map-marks .mark.cluster'));
  await checkMarks(all.map);
  const keys = (await page.getAttribute('#map-marks .mark.cluster', 'data-locations')).split('|');
  assert.ok(keys.length >= 2, `a cluster of places: ${keys}`);
  for (let i = 0; i < 8; i++) {
    const m = await markOf(keys[0]);
    if (!(await m.getAttribute('class')).includes('cluster')) break;
    await m.click();
  }
  const apart = await page.$$eval('#map-marks .mark', (ms) => ms.map((m) => m.dataset.locations));
  for (const k of keys) assert.ok(apart.includes(k), `${k} has its own mark once zoomed in: ${apart}`);
  await checkMarks(all.map);
  console.log(`cluster: ${keys.join(' + ')} share a mark on a narrow page and part when zoomed in`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.click('#zoom-reset');
  await page.waitForFunction(() => !document.querySelector('#map-marks .mark.cluster'));

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
  await checkMarks(all.map);
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
