import { expect, test } from '@playwright/test';
import { newContext, open, signIn, signOut, signUp, uniqueHandle } from './helpers';

test.describe('accounts', () => {
  test('the home page welcomes, and the directory finds the demo community', async ({ page }, info) => {
    await open(page, '/', info);
    await expect(page.getByRole('heading', { name: 'Communities with a purpose' })).toBeVisible();
    // Other specs found communities too, so look it up rather than expect it on the first page.
    await open(page, '/communities?q=River%20Keepers', info);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'River Keepers' }) });
    await expect(card).toBeVisible();
    await expect(card.getByText(/3 members/)).toBeVisible();
  });

  test('sign up lands on your profile, signed in', async ({ page }, info) => {
    const handle = uniqueHandle('new');
    await signUp(page, info, handle);
    await expect(page).toHaveURL(new RegExp(`/u/${handle}$`));
    await expect(page.getByRole('heading', { level: 1, name: `Person ${handle}` })).toBeVisible();
    await expect(page.getByText(`@${handle}`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  });

  test('sign out, then sign in again', async ({ page }, info) => {
    const handle = uniqueHandle('out');
    const password = 'correct horse battery staple';
    await signUp(page, info, handle, password);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

    await signOut(page);

    await signIn(page, info, handle, password);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('link', { name: `Person ${handle}` })).toBeVisible();
  });

  test('signing out everywhere ends the session on the other device too', async ({ page, browser }, info) => {
    const handle = uniqueHandle('all');
    const password = 'correct horse battery staple';
    await page.setViewportSize({ width: 375, height: 812 });
    await signUp(page, info, handle, password);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
    // The same person on a second device.
    const laptop = await (await newContext(browser, info)).newPage();
    await signIn(laptop, info, handle, password);
    await expect(laptop.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

    await open(page, '/settings/password', info);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(page.getByText("You're signed out on every device.")).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();

    await open(laptop, '/settings/notifications', info);
    await expect(laptop.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(laptop.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);
  });

  test('a wrong password and an unknown account get the same message', async ({ page }, info) => {
    const handle = uniqueHandle('pw');
    await signUp(page, info, handle, 'the right password here');
    await expect(page).toHaveURL(new RegExp(`/u/${handle}$`));
    await signOut(page);

    const message = "That handle or email and password don't match an account.";
    await signIn(page, info, handle, 'the wrong password here');
    await expect(page.getByRole('alert')).toContainText(message);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);

    await signIn(page, info, uniqueHandle('nobody'), 'the wrong password here');
    await expect(page.getByRole('alert')).toContainText(message);
  });

  test('a taken handle is a clear field error', async ({ page, browser }, info) => {
    const handle = uniqueHandle('dup');
    await signUp(page, info, handle);
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

    const second = await (await newContext(browser, info)).newPage();
    await signUp(second, info, handle);
    await expect(second.getByText('That handle is taken. Try another.')).toBeVisible();
    await expect(second.getByLabel('Handle', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  });

  test('a short password is refused with its rule', async ({ page }, info) => {
    await signUp(page, info, uniqueHandle('short'), 'too short');
    await expect(page.getByText('Use at least 12 characters.').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toHaveCount(0);
  });

  test('your profile shows your bio, and you can edit it', async ({ page }, info) => {
    const handle = uniqueHandle('bio');
    await signUp(page, info, handle);
    await expect(page.getByText('No bio yet.')).toBeVisible();
    await page.getByLabel('Bio').fill('I plant trees along the river.');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.locator('.bio', { hasText: 'I plant trees along the river.' })).toBeVisible();

    // Someone else sees the bio but no edit form.
    await signOut(page);
    await open(page, `/u/${handle}`, info);
    await expect(page.getByText('I plant trees along the river.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save profile' })).toHaveCount(0);
  });

  test('an unknown profile is a 404 page', async ({ page }, info) => {
    const response = await page.goto(`/u/${uniqueHandle('ghost')}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });
});
