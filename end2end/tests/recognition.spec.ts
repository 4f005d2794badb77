import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { open, person } from './helpers';
import { addGoal, foundCommunity, logContribution, member } from './community-helpers';

test('verified hours earn a badge; a steward thanks the work citing a value and the contribution', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const steward = await person(browser, info, 'rcs');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  await addGoal(steward.page, info, path, { title: 'Volunteer hours', unit: 'hours', target: '500' });

  // A member on a phone logs twelve hours; the steward verifies them.
  const volunteer = await member(browser, info, 'rcm', path, name);
  await volunteer.page.setViewportSize({ width: 375, height: 812 });
  const work = { description: 'Cleared the weir', goal: 'Volunteer hours (hours)', hours: '12' };
  await logContribution(volunteer.page, info, path, work);
  await open(steward.page, `${path}/verify`, info);
  await steward.page.getByRole('button', { name: 'Verify: Cleared the weir' }).click();
  await expect(steward.page.getByText('Nothing is waiting for you.')).toBeVisible();

  // The verification crossed the first level of "Hours given": a notice and the badge.
  await open(volunteer.page, '/notifications', info);
  await expect(volunteer.page.getByText('You earned the badge “Hours given · 10 hours”')).toBeVisible();
  await open(volunteer.page, `${path}/badges`, info);
  await volunteer.page.getByRole('link', { name: 'Hours given' }).click();
  await expect(volunteer.page.getByRole('heading', { level: 1, name: 'Hours given' })).toBeVisible();
  await expect(volunteer.page.getByRole('main').getByRole('link', { name: `Person ${volunteer.handle}` })).toBeVisible();

  // The member takes the badge away as an Open Badge and checks it on /badges/verify.
  const [download] = await Promise.all([
    volunteer.page.waitForEvent('download'),
    volunteer.page.getByRole('link', { name: 'Download as Open Badge' }).click(),
  ]);
  const credential = readFileSync(await download.path(), 'utf8');
  expect(credential.split('.')).toHaveLength(3);
  await open(volunteer.page, '/badges/verify', info);
  await volunteer.page.getByLabel('Credential').fill(credential);
  await volunteer.page.getByRole('button', { name: 'Check' }).click();
  await expect(volunteer.page.getByText('Valid: this badge was issued here and still stands.')).toBeVisible();
  await expect(volunteer.page.getByRole('listitem').filter({ hasText: 'Signature' })).toContainText('✓');
  await expect(volunteer.page.getByRole('region', { name: 'Result' }).getByText(`Person ${volunteer.handle}`, { exact: true })).toBeVisible();
  await volunteer.page.getByLabel('Credential').fill(credential.slice(0, -4) + 'AAAA');
  await volunteer.page.getByRole('button', { name: 'Check' }).click();
  await expect(volunteer.page.getByText('Not valid.')).toBeVisible();

  // Sharing is off until the member turns it on; then anyone with the link sees the award.
  await open(volunteer.page, `${path}/badges`, info);
  await volunteer.page.getByRole('link', { name: 'Hours given' }).click();
  await expect(volunteer.page.getByLabel('Share link')).toHaveCount(0);
  await volunteer.page.getByRole('button', { name: 'Turn on share link' }).click();
  const shareLink = await volunteer.page.getByLabel('Share link').inputValue();
  expect(shareLink).toContain('/badges/shared/');
  await open(steward.page, new URL(shareLink).pathname, info);
  await expect(steward.page.getByText(`Awarded to Person ${volunteer.handle} by ${name}`)).toBeVisible();

  // The steward thanks the contribution from the member's record.
  await open(steward.page, `/u/${volunteer.handle}/contributions`, info);
  await steward.page.getByRole('link', { name: 'Say thanks' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Recognition' })).toBeVisible();
  await expect(steward.page.getByLabel('Thank (their handles)')).toHaveValue(volunteer.handle);
  await steward.page.getByLabel('The value they showed').selectOption({ label: 'Care' });
  await steward.page.getByLabel('Your thanks').fill('Twelve hours in cold water. Thank you!');
  await steward.page.getByRole('button', { name: 'Give kudos' }).click();
  const card = steward.page.getByRole('listitem').filter({ hasText: 'Twelve hours in cold water' });
  await expect(card).toBeVisible();
  await expect(card.getByText('Care', { exact: true }).filter({ visible: true })).toBeVisible();
  await expect(card.getByText('For: Cleared the weir')).toBeVisible();

  // The wall filters by value; the member sees the thanks on their profile with the badge.
  await steward.page.getByRole('link', { name: 'Courage' }).click();
  await expect(steward.page.getByText('No kudos yet.')).toBeVisible();
  await open(volunteer.page, `/u/${volunteer.handle}`, info);
  await expect(volunteer.page.getByRole('heading', { name: 'Recognition' })).toBeVisible();
  await expect(volunteer.page.getByText('Thanked by 1 person')).toBeVisible();
  await expect(volunteer.page.getByText('Twelve hours in cold water. Thank you!')).toBeVisible();
  await expect(volunteer.page.getByRole('link', { name: 'Hours given' })).toBeVisible();
  await open(volunteer.page, `/u/${volunteer.handle}/contributions`, info);
  await expect(volunteer.page.getByText('Thanked by 1 person')).toBeVisible();
});

test('a leader creates a badge given by hand and awards it with a reason', async ({ browser }, info) => {
  test.setTimeout(60_000);
  const steward = await person(browser, info, 'rbs');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const hero = await member(browser, info, 'rbm', path, name);
  await open(steward.page, `${path}/badges`, info);
  await expect(steward.page.getByRole('link', { name: 'First contribution' })).toBeVisible();
  await steward.page.getByLabel('Name', { exact: true }).fill('Weir hero');
  await steward.page.getByLabel('What it celebrates').fill('Went into the water when it mattered.');
  await steward.page.getByLabel('Icon').selectOption({ label: 'Heart' });
  await steward.page.getByLabel('Earned by').selectOption({ label: 'Awarded by hand' });
  await steward.page.getByRole('button', { name: 'Create badge' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Weir hero' })).toBeVisible();
  await steward.page.getByLabel("Member's handle").fill(hero.handle);
  await steward.page.getByLabel('Why they receive it').fill('Pulled a trolley out of the weir');
  await steward.page.getByRole('button', { name: 'Award badge' }).click();
  await expect(steward.page.getByRole('main').getByRole('link', { name: `Person ${hero.handle}` })).toBeVisible();
  await expect(steward.page.getByText('Pulled a trolley out of the weir')).toBeVisible();
});
