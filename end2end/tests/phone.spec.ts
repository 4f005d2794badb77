import { expect, test } from '@playwright/test';
import { foundCommunity, member } from './community-helpers';
import { open, person } from './helpers';

// Kindred on a phone (375 px), hydrated and without JavaScript.
test.use({ viewport: { width: 375, height: 740 } });

test('the header is one line and a tab bar keeps home, communities, notifications and me one tap away', async ({ browser }, info) => {
  const { page, handle } = await person(browser, info, 'tab');
  await page.setViewportSize({ width: 375, height: 740 });
  await open(page, '/', info);
  const header = await page.getByRole('banner').boundingBox();
  expect(header!.height).toBeLessThan(64);
  const bar = page.getByRole('navigation', { name: 'Shortcuts' });
  for (const name of ['Home', 'Communities', 'Notifications', 'Me']) {
    const tab = bar.getByRole('link', { name, exact: name !== 'Notifications' });
    await expect(tab).toBeVisible();
    const box = await tab.boundingBox();
    expect(box!.height, `${name} is a 44 px target`).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThanOrEqual(44);
  }
  // The bar stays at the bottom of the screen.
  const barBox = await bar.boundingBox();
  expect(barBox!.y + barBox!.height).toBeCloseTo(740, 0);
  await expect(bar.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  await bar.getByRole('link', { name: 'Communities' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Communities' })).toBeVisible();
  await expect(bar.getByRole('link', { name: 'Communities' })).toHaveAttribute('aria-current', 'page');
  await bar.getByRole('link', { name: 'Me', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/u/${handle}$`));
  // Desktop's header links are not shown twice.
  await expect(page.getByRole('link', { name: 'My events' })).toBeHidden();

  // On a wide screen the header holds the links and the tab bar is gone.
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect(page.getByRole('link', { name: 'My events' })).toBeVisible();
  await expect(bar).toBeHidden();
});

test("a community's sections are one row of tabs; leaders find their tools under Manage", async ({ browser }, info) => {
  const steward = await person(browser, info, 'mng');
  await steward.page.setViewportSize({ width: 375, height: 740 });
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const tabs = steward.page.getByRole('navigation', { name: 'Community' }).getByRole('link');
  const tops = new Set<number>();
  for (const box of await Promise.all((await tabs.all()).map((tab) => tab.boundingBox()))) {
    tops.add(Math.round(box!.y));
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  expect(tops.size, 'one row').toBe(1);
  expect(await steward.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expect(tabs.filter({ hasText: 'About' })).toHaveAttribute('aria-current', 'page');
  await tabs.filter({ hasText: 'Manage' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Manage' })).toBeVisible();
  await expect(steward.page.getByText('Nothing is waiting for you.')).toBeVisible();
  await expect(tabs.filter({ hasText: 'Manage' })).toHaveAttribute('aria-current', 'page');
  await steward.page.getByRole('link', { name: 'Audit log' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

  // A plain member sees the sections but no Manage tab.
  const plain = await member(browser, info, 'pln', path, name);
  await plain.page.setViewportSize({ width: 375, height: 740 });
  await open(plain.page, `${path}/discussions`, info);
  const theirs = plain.page.getByRole('navigation', { name: 'Community' });
  await expect(theirs.getByRole('link', { name: 'Discussions' })).toHaveAttribute('aria-current', 'page');
  await expect(theirs.getByRole('link', { name: /Manage/ })).toHaveCount(0);
});
