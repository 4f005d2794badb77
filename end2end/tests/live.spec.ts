import { expect, test } from '@playwright/test';
import { foundCommunity, member, startThread } from './community-helpers';
import { open, person } from './helpers';

// Runs in the hydrated project only (see playwright.config.ts): live updates need JavaScript.
test('a reply from one member appears live for another reading the thread', async ({ browser }, info) => {
  test.setTimeout(60_000);
  const steward = await person(browser, info, 'ste');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const reader = await member(browser, info, 'live', path, name);
  const thread = await startThread(steward.page, info, path, 'Live planning', 'Where shall we meet?');

  await open(reader.page, thread, info);
  await reader.page.getByRole('heading', { level: 1, name: 'Live planning' }).click();
  const scrollBefore = await reader.page.evaluate(() => window.scrollY);

  await steward.page.getByLabel('Your reply').fill('At the bridge, 10am.');
  await steward.page.getByRole('button', { name: 'Post reply' }).click();
  await expect(steward.page.getByText('At the bridge, 10am.')).toBeVisible();

  // No reload: the reader's page picks it up, appended below, and does not move.
  await expect(reader.page.getByText('At the bridge, 10am.')).toBeVisible({ timeout: 15_000 });
  expect(await reader.page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  await expect(reader.page.getByText('1 new reply')).toBeAttached();
});
