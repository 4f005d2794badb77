import { expect, test } from '@playwright/test';
import { foundCommunity, member, startThread } from './community-helpers';
import { open, person } from './helpers';

// When the suite runs against a fleet (scripts/e2e.sh on PostgreSQL starts two instances
// on one database), the reader is served by the second instance and the steward by the
// first, as a load balancer could send them.
const readerInstance = process.env.KINDRED_URL_B;

// Well under the thread's 30 s fallback poll: only the live stream is this quick.
const LIVE = { timeout: 8_000 };

// Runs in the hydrated project only (see playwright.config.ts): live updates need JavaScript.
test('a reply and a mention reach a member reading the thread, without a reload', async ({ browser }, info) => {
  test.setTimeout(60_000);
  const steward = await person(browser, info, 'ste');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const reader = await member(browser, info, 'live', path, name, readerInstance);
  const thread = await startThread(steward.page, info, path, 'Live planning', 'Where shall we meet?');

  await open(reader.page, thread, info);
  await reader.page.getByRole('heading', { level: 1, name: 'Live planning' }).click();
  const scrollBefore = await reader.page.evaluate(() => window.scrollY);

  await steward.page.getByLabel('Your reply').fill('At the bridge, 10am.');
  await steward.page.getByRole('button', { name: 'Post reply' }).click();
  await expect(steward.page.getByText('At the bridge, 10am.')).toBeVisible();

  // No reload: the reader's page picks it up, appended below, and does not move.
  await expect(reader.page.getByText('At the bridge, 10am.')).toBeVisible(LIVE);
  expect(await reader.page.evaluate(() => window.scrollY)).toBe(scrollBefore);
  await expect(reader.page.getByText('1 new reply')).toBeAttached();

  // A mention: the reply appears and the reader's notification count goes up at once.
  // The header's link (the phone's tab bar carries its own, hidden at this width).
  const account = reader.page.getByRole('navigation', { name: 'Account' });
  await expect(account.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
  await steward.page.getByLabel('Your reply').fill(`@${reader.handle} could you bring the map?`);
  await steward.page.getByRole('button', { name: 'Post reply' }).click();
  await expect(reader.page.getByText('could you bring the map?')).toBeVisible(LIVE);
  await expect(account.getByRole('link', { name: 'Notifications (1)' })).toBeVisible(LIVE);
});
