import { expect, test } from '@playwright/test';
import { inDays, open, person } from './helpers';
import { addGoal, foundCommunity, logContribution, member } from './community-helpers';

test('a leader starts a team challenge; members join teams and verified hours move the board', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'chs');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);

  // A goal in hours, so contributions have something to serve.
  await addGoal(steward.page, info, path, { title: 'Volunteer hours', unit: 'hours', target: '500' });

  // The challenge: two teams, ten verified hours, running this week.
  await open(steward.page, `${path}/challenges`, info);
  await steward.page.getByLabel('Title', { exact: true }).fill('Ten hours this week');
  await steward.page.getByLabel('Description', { exact: true }).fill('Every **hour** on the river counts.');
  await steward.page.getByLabel('What counts').selectOption({ label: 'Verified hours' });
  await steward.page.getByLabel('Target', { exact: true }).fill('10');
  await steward.page.getByLabel('First day').fill(inDays(-1));
  await steward.page.getByLabel('Last day').fill(inDays(6));
  await steward.page.getByLabel('How people take part').selectOption({ label: 'Teams: members join a team' });
  await steward.page.getByLabel('Teams (one per line)').fill('Otters\nHerons');
  await steward.page.getByRole('button', { name: 'Start challenge' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Ten hours this week' })).toBeVisible();
  await expect(steward.page.getByText('0 of 10 hours')).toBeVisible();
  const challenge = new URL(steward.page.url()).pathname;

  // A member on a phone joins the Otters and logs three hours.
  const otter = await member(browser, info, 'cho', path, name);
  await otter.page.setViewportSize({ width: 375, height: 812 });
  await open(otter.page, `${path}/challenges`, info);
  await otter.page.getByRole('link', { name: 'Ten hours this week' }).click();
  await otter.page.getByLabel('Your team').selectOption({ label: 'Otters' });
  await otter.page.getByRole('button', { name: 'Join this team' }).click();
  await expect(otter.page.getByText(/You're on team Otters/)).toBeVisible();
  const work = { description: 'Cleared the weir', goal: 'Volunteer hours (hours)', hours: '3' };
  await logContribution(otter.page, info, path, work);

  // Another member joins the Herons.
  const heron = await member(browser, info, 'chh', path, name);
  await open(heron.page, challenge, info);
  await heron.page.getByLabel('Your team').selectOption({ label: 'Herons' });
  await heron.page.getByRole('button', { name: 'Join this team' }).click();
  await expect(heron.page.getByText(/You're on team Herons/)).toBeVisible();

  // Nothing moves until the steward verifies the hours; then the board and progress do.
  await open(steward.page, challenge, info);
  await expect(steward.page.getByText('0 of 10 hours')).toBeVisible();
  await open(steward.page, `${path}/verify`, info);
  await steward.page.getByRole('button', { name: 'Verify: Cleared the weir' }).click();
  await expect(steward.page.getByText('Nothing is waiting for you.')).toBeVisible();
  await open(otter.page, challenge, info);
  await expect(otter.page.getByText('3 of 10 hours')).toBeVisible();
  await expect(otter.page.getByRole('progressbar', { name: 'Progress of Ten hours this week' })).toHaveAttribute('value', '30');
  const leader = otter.page.getByRole('row').nth(1);
  await expect(leader.getByRole('rowheader')).toHaveText('Otters');
  await expect(leader).toContainText('3 hours');
  await expect(otter.page.getByText(/You're on team Otters · 3 hours so far/)).toBeVisible();

  // It shows as running on the community home and the impact page.
  await open(heron.page, path, info);
  await expect(heron.page.getByRole('heading', { name: 'Challenges running now' })).toBeVisible();
  await expect(heron.page.getByRole('link', { name: 'Ten hours this week' })).toBeVisible();
  await open(heron.page, `${path}/impact`, info);
  await expect(heron.page.getByRole('link', { name: 'Ten hours this week' })).toBeVisible();
});
