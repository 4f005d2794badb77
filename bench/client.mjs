// The phone client, as a first visit sees it, in headless Chromium with the CPU throttled 4x.
// For each page: the WASM and JS bytes downloaded (as sent: brotli) before the page is
// hydrated (main bundle plus every chunk it fetched), and the time from navigation start to
// <body data-hydrated="true">. Then client-side navigation: from the first URL, following
// the first link matching a pattern, the time from the click to the new page's heading.
// Prints JSON: {"pages": {url: {"bytes", "files", "runs_ms", "median_ms"}}, "navigation": {...}}.
// Usage: node bench/client.mjs <runs> <link-pattern> <url> [url...]
import { chromium } from '@playwright/test';

const runs = Number(process.argv[2]);
const linkPattern = new RegExp(process.argv[3]);
const urls = process.argv.slice(4);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function throttledPage() {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.body && document.body.dataset.hydrated === 'true') {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  return { context, page };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const pages = {};
for (const url of urls) {
  const times = [];
  let bytes = 0;
  let files = [];
  for (let i = 0; i < runs; i++) {
    const { context, page } = await throttledPage();
    const sizes = [];
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (/\.(wasm|js)$/.test(path)) {
        sizes.push(response.request().sizes().then((s) => [path, s.responseBodySize]));
      }
    });
    await page.goto(url);
    await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60_000 });
    times.push(await page.evaluate(() => window.__hydratedAt ?? performance.now()));
    const fetched = await Promise.all(sizes);
    bytes = fetched.reduce((sum, [, size]) => sum + size, 0);
    files = fetched.map(([path, size]) => `${path} ${size}`);
    await context.close();
  }
  pages[url] = { bytes, files, runs_ms: times, median_ms: median(times) };
}

// Client-side navigation: first URL -> its first matching link.
const navigation = [];
for (let i = 0; i < runs; i++) {
  const { context, page } = await throttledPage();
  await page.goto(urls[0]);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 60_000 });
  const link = page.locator('main a[href]');
  const hrefs = await link.evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const index = hrefs.findIndex((href) => linkPattern.test(href ?? ''));
  if (index < 0) break;
  const before = await page.locator('h1').first().textContent();
  const started = await page.evaluate(() => performance.now());
  await link.nth(index).click();
  await page.waitForFunction((old) => {
    const h1 = document.querySelector('main h1');
    return h1 && h1.textContent !== old;
  }, before, { timeout: 60_000 });
  navigation.push((await page.evaluate(() => performance.now())) - started);
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ pages, navigation: { from: urls[0], runs_ms: navigation, median_ms: navigation.length ? median(navigation) : null } }));
