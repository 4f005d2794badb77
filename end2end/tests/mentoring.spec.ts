import { expect, test } from '@playwright/test';
import { inDays, open, person } from './helpers';
import { foundCommunity, member } from './community-helpers';

/** Yesterday as YYYY-MM-DD (sessions are logged once they happened). */
test('a member offers to mentor, another asks, sees why they are suggested, and a verified session follows', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'mgs');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const mentor = await member(browser, info, 'mgm', path, name);
  const mentee = await member(browser, info, 'mge', path, name);

  // The mentor offers, on a desktop.
  await open(mentor.page, `${path}/mentoring`, info);
  const offer = mentor.page.getByRole('region', { name: 'Offer to mentor' });
  await offer.getByLabel('Skills you can mentor in').fill('Tree care, first aid');
  await offer.getByLabel('Languages you mentor in').fill('English');
  await offer.getByLabel('People at once').fill('2');
  await offer.getByLabel('Availability').fill('Saturday mornings at the nursery');
  await offer.getByRole('button', { name: 'Offer to mentor' }).click();
  await expect(mentor.page.getByRole('region', { name: 'Your offer to mentor' })).toBeVisible();
  await expect(mentor.page.getByRole('region', { name: 'Mentors' }).getByText('2 of 2 places free')).toBeVisible();

  // The mentee asks on a phone and sees the suggestion with its reasons.
  const page = mentee.page;
  await page.setViewportSize({ width: 375, height: 812 });
  await open(page, `${path}/mentoring`, info);
  const ask = page.getByRole('region', { name: 'Ask for a mentor' });
  await ask.getByLabel('What do you want to learn?').fill('Looking after young trees');
  await ask.getByLabel('Skills to learn').fill('tree care');
  await ask.getByLabel('Languages you can learn in').fill('english');
  await ask.getByLabel('Your goal').fill('Run a planting day on my own');
  await ask.getByLabel('Check in').selectOption('weekly');
  await ask.getByRole('button', { name: 'Ask for a mentor' }).click();
  const requests = page.getByRole('region', { name: 'Your requests' });
  await expect(requests.getByText('Offers tree care (self-declared)')).toBeVisible();
  await expect(requests.getByText('Speaks english')).toBeVisible();
  await requests.getByRole('button', { name: `Ask @${mentor.handle}` }).click();
  await expect(page.getByText(`Waiting for @${mentor.handle} to answer`)).toBeVisible();

  // The mentor accepts and logs a session.
  await open(mentor.page, `${path}/mentoring`, info);
  const asked = mentor.page.getByRole('region', { name: 'Asked of you' });
  await expect(asked.getByText(`@${mentee.handle} wants to learn: Looking after young trees`)).toBeVisible();
  await asked.getByRole('button', { name: `Accept @${mentee.handle}` }).click();
  const ours = mentor.page.getByRole('region', { name: 'Your mentorships' });
  await expect(ours.getByRole('heading', { name: `You mentor @${mentee.handle}` })).toBeVisible();
  await ours.getByText('Log a session').click();
  await ours.getByLabel('Date').fill(inDays(-1));
  await ours.getByLabel('Hours').fill('1.5');
  await ours.getByLabel('What you covered').fill('Staking and watering');
  await ours.getByRole('button', { name: 'Log session' }).click();
  await expect(mentor.page.getByText('Waiting for verification')).toBeVisible();

  // The mentee verifies it; it counts as the mentor's verified hours.
  await open(page, `${path}/mentoring`, info);
  const theirs = page.getByRole('region', { name: 'Your mentorships' });
  await expect(theirs.getByRole('heading', { name: `@${mentor.handle} mentors you` })).toBeVisible();
  await theirs.getByRole('button', { name: `Verify session of ${inDays(-1)}` }).click();
  await expect(theirs.getByText(/· Verified$/)).toBeVisible();
  await expect(theirs.getByText(/1\.5 verified hours/)).toBeVisible();

  // The steward sees mentoring health.
  await open(steward.page, `${path}/mentoring`, info);
  const health = steward.page.getByRole('region', { name: 'Mentoring health' });
  await expect(health.getByText('Active mentorships')).toBeVisible();
  await expect(health.getByText('0 of 1')).toBeVisible();
});
