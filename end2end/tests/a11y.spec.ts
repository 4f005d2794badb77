import AxeBuilder from '@axe-core/playwright';
import { Browser, expect, Page, test } from '@playwright/test';

// Accessibility over every page type: axe-core at phone and desktop widths, in light and
// dark, signed out, as a member and as a leader (the demo's Tomás and Ada); no page
// scrolls sideways at 375 px. Runs hydrated (axe runs in the page).

const DEMO_PASSWORD = 'kindred-demo-password';
const COMMUNITY = '/c/river-keepers';

type Finding = string;

async function signedIn(browser: Browser, handle: string | null): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (handle) {
    await page.goto('/signin');
    await page.getByLabel('Handle or email').fill(handle);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(1);
  }
  return page;
}

/** The first link on `path` whose address matches `pattern` (a thread, an event…). */
async function firstLink(page: Page, path: string, pattern: RegExp): Promise<string> {
  await page.goto(path);
  const hrefs = await page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const found = hrefs.find((href) => pattern.test(href));
  expect(found, `a link like ${pattern} on ${path}`).toBeTruthy();
  return found!;
}

/** Checks one page at 375 px in light and 1280 px in dark; returns what is wrong. */
async function audit(page: Page, path: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [width, scheme] of [[375, 'light'], [1280, 'dark']] as const) {
    await page.setViewportSize({ width, height: width === 375 ? 740 : 900 });
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const answer = await page.goto(path);
    expect(answer?.status(), path).toBeLessThan(400);
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    // Every finding counts, minor ones too (a skipped heading level, a role a form may
    // not take): each was a real fault when it last appeared.
    for (const v of results.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ');
      findings.push(`${path} @${width} ${scheme}: ${v.id} (${v.impact}) ${where}`);
    }
    if (width === 375) {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 0) findings.push(`${path} @375: scrolls sideways by ${wide}px`);
    }
  }
  return findings;
}

test.describe.configure({ timeout: 240_000 });

test('signed out: every public page type passes axe in both schemes and fits 375 px', async ({ browser }) => {
  const page = await signedIn(browser, null);
  const thread = await firstLink(page, `${COMMUNITY}/discussions`, /\/d\/\d+$/);
  const event = await firstLink(page, `${COMMUNITY}/events`, /\/e\/\d+$/);
  const guide = await firstLink(page, `${COMMUNITY}/library`, /\/library\/\d+$/);
  const challenge = await firstLink(page, `${COMMUNITY}/challenges`, /\/challenges\/\d+$/);
  const findings: Finding[] = [];
  for (const path of [
    '/', '/communities', '/search', '/signin', '/signup', '/forgot-password', '/u/ada',
    COMMUNITY, `${COMMUNITY}/discussions`, thread, `${COMMUNITY}/events`, event, `${COMMUNITY}/goals`,
    `${COMMUNITY}/impact`, `${COMMUNITY}/library`, guide, `${COMMUNITY}/challenges`, challenge,
    `${COMMUNITY}/recognition`, `${COMMUNITY}/badges`,
  ]) {
    findings.push(...(await audit(page, path)));
  }
  expect(findings).toEqual([]);
});

test('as a member: home, community pages and forms pass axe and fit 375 px', async ({ browser }) => {
  const page = await signedIn(browser, 'tomas');
  const thread = await firstLink(page, `${COMMUNITY}/discussions`, /\/d\/\d+$/);
  const findings: Finding[] = [];
  for (const path of [
    '/', '/notifications', '/events', '/settings/notifications', '/settings/password', COMMUNITY, thread,
    `${COMMUNITY}/discussions/new`, `${COMMUNITY}/contribute`, `${COMMUNITY}/challenges`, `${COMMUNITY}/members`,
    `${COMMUNITY}/initiatives`, `${COMMUNITY}/mentoring`,
  ]) {
    findings.push(...(await audit(page, path)));
  }
  expect(findings).toEqual([]);
});

test('as a leader: the Manage page and the leaders tools pass axe and fit 375 px', async ({ browser }) => {
  const page = await signedIn(browser, 'ada');
  const findings: Finding[] = [];
  for (const path of [
    '/', `${COMMUNITY}/manage`, `${COMMUNITY}/requests`, `${COMMUNITY}/verify`, `${COMMUNITY}/moderation`,
    `${COMMUNITY}/invites`, `${COMMUNITY}/leadership`, `${COMMUNITY}/audit`, `${COMMUNITY}/edit`, `${COMMUNITY}/events/new`,
    // A leader's library shows the buttons that arrange a collection, inside each item.
    `${COMMUNITY}/library`,
  ]) {
    findings.push(...(await audit(page, path)));
  }
  expect(findings).toEqual([]);
});

test('the keyboard reaches a skip link first, it moves to the content, and focus is visible', async ({ page }) => {
  await page.goto('/communities');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => document.activeElement?.closest('main') !== null);
  expect(inMain).toBe(true);

  // After a client-side navigation, focus is on the new page's content, not the old link.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search$/);
  await expect(page.getByRole('main')).toBeFocused();
});
