import { Browser, BrowserContext, expect, Page, test, TestInfo } from '@playwright/test';

/** A handle no earlier run has used. */
export function uniqueHandle(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 30);
}

/** Opens a page and, in the hydrated project, waits until the WASM app has taken over. */
export async function open(page: Page, path: string, info: TestInfo): Promise<void> {
  await page.goto(path);
  if (info.project.name === 'hydrated') {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
}

/** Fills in and submits the sign-up form. */
export async function signUp(page: Page, info: TestInfo, handle: string, password = 'a long enough password') {
  await open(page, '/signup', info);
  await page.getByLabel('Handle', { exact: true }).fill(handle);
  await page.getByLabel('Display name').fill(`Person ${handle}`);
  await page.getByLabel('Email').fill(`${handle}@example.org`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/**
 * Signs out with the header's button and waits until the header says so: the account
 * navigation offers "Sign in" again. (Other pages have a "Sign in" link of their own, and
 * leaving the page before the sign-out has answered would cancel it in the browser.)
 */
export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);
}

/** Fills in and submits the sign-in form. */
export async function signIn(page: Page, info: TestInfo, login: string, password: string) {
  await open(page, '/signin', info);
  await page.getByLabel('Handle or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Extra browser contexts opened by a test; closed after each test so nothing lingers. */
const extraContexts: BrowserContext[] = [];

test.afterEach(async () => {
  for (const context of extraContexts.splice(0)) {
    await context.close();
  }
});

/**
 * A new browser context in the current project's JavaScript mode, closed after the test;
 * `baseURL` points it at another instance of a fleet (default: the configured one).
 */
export async function newContext(browser: Browser, info: TestInfo, baseURL?: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: info.project.name === 'hydrated',
    ...(baseURL ? { baseURL } : {}),
  });
  extraContexts.push(context);
  return context;
}

/** A signed-up person in their own browser context. */
export async function person(
  browser: Browser,
  info: TestInfo,
  prefix: string,
  baseURL?: string,
): Promise<{ page: Page; handle: string }> {
  const page = await (await newContext(browser, info, baseURL)).newPage();
  const handle = uniqueHandle(prefix);
  await signUp(page, info, handle);
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  return { page, handle };
}

/** A date `days` from today, as a date input takes it. */
export function inDays(days: number): string {
  const date = new Date(Date.now() + days * 24 * 3600 * 1000);
  return date.toISOString().slice(0, 10);
}
