import { expect, Page, TestInfo } from '@playwright/test';

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

/** Fills in and submits the sign-in form. */
export async function signIn(page: Page, info: TestInfo, login: string, password: string) {
  await open(page, '/signin', info);
  await page.getByLabel('Handle or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
