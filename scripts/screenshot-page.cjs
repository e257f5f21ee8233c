// The README's screenshot of the web page (run by scripts/screenshot-page):
// node scripts/screenshot-page.cjs URL OUT.png. Waits for the server, for the page to
// have drawn its data (body[data-ready="1"], as the end-to-end test does), opens the
// first event of the table on its evidence, and saves the whole page.
const path = require('node:path');
const { chromium } = require(
  path.join(__dirname, '../crates/annalist-web/e2e/node_modules/playwright-core'),
);

async function main() {
  const [url, out] = process.argv.slice(2);
  const executablePath = process.env.ANNALIST_CHROMIUM || '/usr/bin/chromium';
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    for (let tries = 0; ; tries++) {
      try {
        await page.goto(url);
        break;
      } catch (e) {
        if (tries >= 50) throw e; // the server did not come up in 10 s
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    await page.click('#events tbody tr');
    await page.waitForSelector('#event-detail mark.trigger', { timeout: 30000 });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`screenshot-page: ${e.stack || e}`);
  process.exit(1);
});
