import { BrowserContext, chromium, expect, Page, test } from '@playwright/test';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { foundCommunity } from './community-helpers';
import { person } from './helpers';

// Installing Kindred as an app. These tests need the service worker, so they run in the
// hydrated project only. They use a persistent (not incognito) browser profile, as an
// installed app has, and the last one runs servers of its own to play two deployments.

const launch = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

async function profile(baseURL: string): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-profile-'));
  return chromium.launchPersistentContext(dir, { ...launch, baseURL });
}

/** Waits until the service worker controls the page. */
async function controlled(page: Page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
}

/** The service worker's caches and what each holds (paths). */
async function cached(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const all: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      all[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
    }
    return all;
  });
}

test('the bundle goes out as compressed at build time, at full strength', async ({ request }) => {
  // `make build` writes a brotli and a gzip copy of every asset; the server sends the copy
  // the browser accepts (byte for byte) instead of compressing at a fast level per request.
  const pkg = path.join(process.env.KINDRED_SITE_ROOT!, 'pkg');
  for (const [file, encoding, suffix] of [
    ['kindred.wasm', 'br', '.br'],
    ['kindred.js', 'br', '.br'],
    ['kindred.css', 'gzip', '.gz'],
  ]) {
    const answer = await request.get(`/pkg/${file}`, { headers: { 'accept-encoding': encoding } });
    expect(answer.status(), file).toBe(200);
    expect(answer.headers()['content-encoding'], file).toBe(encoding);
    const copy = fs.readFileSync(path.join(pkg, file + suffix));
    expect(Number(answer.headers()['content-length']), file).toBe(copy.length);
    const original = fs.readFileSync(path.join(pkg, file));
    const unpacked = encoding === 'br' ? zlib.brotliDecompressSync(copy) : zlib.gunzipSync(copy);
    expect(unpacked.equals(original), file).toBe(true);
  }
});

test('only the three most-opened pages are in the main bundle; every other page names its own chunk', async ({ browser, request }, info) => {
  // Every page downloads the main bundle, so a page's code is only there when most visits
  // need it (docs/PERFORMANCE.md, "Route grouping"). A page outside it names its chunk in
  // its head, so the browser fetches it beside the bundle.
  const chunks = async (url: string, client = request) => {
    const html = await (await client.get(url)).text();
    return [...html.matchAll(/\/pkg\/split___([a-z_]+?)_route_view_/g)].map((m) => m[1]);
  };
  for (const [url, route] of [
    ['/', 'home'],
    ['/signin', 'sign_in'],
    ['/communities', 'directory'],
    ['/search?q=river', 'search'],
  ]) {
    expect(await chunks(url), url).toContain(route);
  }
  const steward = await person(browser, info, 'pwc');
  const { path: community } = await foundCommunity(steward.page, info, steward.handle);
  for (const url of [community, `${community}/discussions`]) {
    expect(await chunks(url, steward.page.request), url).toEqual([]);
  }
  expect(await chunks(`${community}/goals`, steward.page.request), 'goals').toContain('goals');
});

test('the manifest makes Kindred installable: Chromium reports no installability errors', async ({ baseURL }) => {
  const context = await profile(baseURL!);
  try {
    const page = await context.newPage();
    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ name: 'Kindred', short_name: 'Kindred', start_url: '/', display: 'standalone' });
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.icons.some((icon: { purpose: string }) => icon.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const answer = await page.request.get(icon.src);
      expect(answer.status(), icon.src).toBe(200);
      expect(answer.headers()['content-type']).toBe(icon.type);
    }
    await page.goto('/');
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

/** A free loopback port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the release server on `port` serving the site in `site`, and waits for it. */
async function deploy(site: string, port: number, work: string): Promise<ChildProcess> {
  const server = spawn(process.env.KINDRED_SERVER_BIN!, [], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${path.join(work, 'kindred.db')}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: site,
      KINDRED_FILES_DIR: path.join(work, 'files'),
      KINDRED_MAIL_DIR: path.join(work, 'mail'),
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 150; i++) {
    try {
      const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (answer.ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill();
  throw new Error('the server did not start');
}

async function stop(server: ChildProcess) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

test('the service worker keeps assets, never pages; offline shows a page; a new deployment replaces the old', async () => {
  test.setTimeout(90_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kindred-deploy-'));
  const site = path.join(work, 'site');
  fs.cpSync(process.env.KINDRED_SITE_ROOT!, site, { recursive: true });
  const port = await freePort();
  let server = await deploy(site, port, work);
  const context = await profile(`http://127.0.0.1:${port}`);
  try {
    const page = await context.newPage();
    await page.goto('/');
    await controlled(page);
    await page.goto('/communities');
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

    // One cache, named after the build; assets and the offline page only.
    const first = await cached(page);
    const [oldCache] = Object.keys(first);
    expect(Object.keys(first)).toHaveLength(1);
    expect(first[oldCache]).toEqual(expect.arrayContaining(['/pkg/kindred.wasm', '/pkg/kindred.js', '/pkg/kindred.css', '/offline']));
    for (const kept of first[oldCache]) {
      expect(kept === '/offline' || /^\/(pkg|icons)\/|^\/favicon\.svg$/.test(kept), kept).toBe(true);
    }

    // The network is gone: a page is answered with the offline page.
    await stop(server);
    await page.goto('/communities');
    await expect(page.getByRole('heading', { level: 1, name: "You're offline" })).toBeVisible();

    // A new deployment with a changed stylesheet: the next visit gets the new assets, the
    // new worker takes over and the old cache is gone.
    // Like `make build`, the deployment writes its compressed copies anew.
    const stylesheet = path.join(site, 'pkg', 'kindred.css');
    fs.appendFileSync(stylesheet, '\n.deployment-two { color: inherit; }\n');
    const css = fs.readFileSync(stylesheet);
    fs.writeFileSync(`${stylesheet}.br`, zlib.brotliCompressSync(css));
    fs.writeFileSync(`${stylesheet}.gz`, zlib.gzipSync(css));
    server = await deploy(site, port, work);
    await page.goto('/');
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    const served = await page.evaluate(async () => (await fetch('/pkg/kindred.css')).text());
    expect(served).toContain('.deployment-two');
    await expect
      .poll(async () => Object.keys(await cached(page)), { timeout: 15_000 })
      .toEqual([expect.not.stringMatching(oldCache)]);
    await page.reload();
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    const again = await page.evaluate(async () => (await fetch('/pkg/kindred.css')).text());
    expect(again).toContain('.deployment-two');
  } finally {
    await context.close();
    await stop(server).catch(() => {});
    fs.rmSync(work, { recursive: true, force: true });
  }
});
