import { expect, Page, test, TestInfo } from '@playwright/test';
import { newContext, open, person } from './helpers';
import { addGoal, logContribution } from './community-helpers';

/** Founds a community through the form and returns its address. */
async function found(page: Page, info: TestInfo, name: string, mission: string): Promise<string> {
  await open(page, '/communities/new', info);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Mission').fill(mission);
  await page.getByRole('button', { name: 'Create community' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return new URL(page.url()).pathname;
}

test('work logged on a member-owned initiative moves the goal tree once its owner verifies it', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'stw');
  const name = `Wandle ${steward.handle}`;
  const path = await found(steward.page, info, name, 'Bring the river back to life.');

  // A goal tree: Restore the river <- Trees planted (60) + Volunteer hours (40).
  await addGoal(steward.page, info, path, { title: 'Restore the river', unit: 'points', target: '1' });
  await addGoal(steward.page, info, path, { title: 'Trees planted', unit: 'trees', target: '100', parent: 'Restore the river', weight: '60' });
  await addGoal(steward.page, info, path, { title: 'Volunteer hours', unit: 'hours', target: '500', parent: 'Restore the river', weight: '40' });

  // A member proposes an initiative; the steward approves it.
  const owner = await person(browser, info, 'own');
  await open(owner.page, path, info);
  await owner.page.getByLabel(`I affirm the values of ${name}`).check();
  await owner.page.getByRole('button', { name: 'Join community' }).click();
  await expect(owner.page.getByText("You're a member of this community.")).toBeVisible();
  await open(owner.page, `${path}/initiatives`, info);
  await owner.page.getByLabel('Title', { exact: true }).fill('Saturday planting');
  await owner.page.getByLabel('Description', { exact: true }).fill('We plant along the weir every Saturday.');
  await owner.page.getByLabel('Trees planted', { exact: true }).check();
  await owner.page.getByRole('button', { name: 'Propose initiative' }).click();
  await expect(owner.page.getByRole('heading', { level: 1, name: 'Saturday planting' })).toBeVisible();
  const initiative = new URL(owner.page.url()).pathname;

  await open(steward.page, initiative, info);
  await steward.page.getByRole('button', { name: 'Approve initiative' }).click();
  await expect(steward.page.getByText(/Approved/)).toBeVisible();

  // The owner opens an opportunity; another member signs up and logs hours and trees.
  await open(owner.page, initiative, info);
  await owner.page.getByLabel('Opportunity', { exact: true }).fill('Planting crew');
  await owner.page.getByLabel('People needed', { exact: true }).fill('5');
  await owner.page.getByRole('button', { name: 'Add opportunity' }).click();
  await expect(owner.page.getByRole('heading', { name: 'Planting crew' })).toBeVisible();

  const helper = await person(browser, info, 'hlp');
  await open(helper.page, path, info);
  await helper.page.getByLabel(`I affirm the values of ${name}`).check();
  await helper.page.getByRole('button', { name: 'Join community' }).click();
  await expect(helper.page.getByText("You're a member of this community.")).toBeVisible();
  await open(helper.page, initiative, info);
  await helper.page.getByRole('button', { name: 'Sign up for Planting crew' }).click();
  await expect(helper.page.getByText(`On it: @${helper.handle}`)).toBeVisible();
  await helper.page.getByRole('link', { name: 'Log a contribution' }).click();
  await helper.page.getByLabel('What did you do?').fill('Planted saplings by the weir');
  await helper.page.getByLabel('Goal it moves').selectOption({ label: 'Trees planted (trees)' });
  await helper.page.getByLabel("Quantity, in the goal's unit").fill('25');
  await helper.page.getByLabel('Hours', { exact: true }).fill('3');
  await expect(helper.page.getByLabel('Initiative', { exact: true })).toHaveValue(initiative.split('/').pop()!);
  await helper.page.getByRole('button', { name: 'Log contribution' }).click();
  await expect(helper.page.getByText('Reported — waiting for verification')).toBeVisible();

  // Each one's home says what's next: the helper's sign-up and waiting contribution, and
  // for the owner the contribution to verify, one tap from there.
  await open(helper.page, '/', info);
  await expect(helper.page.getByRole('heading', { level: 1, name: "What's next" })).toBeVisible();
  await expect(helper.page.getByRole('region', { name: 'You signed up for' }).getByText('Planting crew')).toBeVisible();
  await expect(
    helper.page.getByRole('region', { name: 'Waiting for verification' }).getByText('Planted saplings by the weir'),
  ).toBeVisible();

  // The initiative's owner verifies it.
  await open(owner.page, '/', info);
  await owner.page.getByRole('link', { name: '1 contribution to verify' }).click();
  await owner.page.getByRole('button', { name: 'Verify: Planted saplings by the weir' }).click();
  await expect(owner.page.getByText('Nothing is waiting for you.')).toBeVisible();

  // The goal and its parent have moved, on the goal page and the public impact page.
  await open(steward.page, `${path}/goals`, info);
  await steward.page.getByRole('link', { name: 'Trees planted' }).click();
  await expect(steward.page.getByText('25 of 100 trees').first()).toBeVisible();
  await expect(steward.page.getByRole('img', { name: /Trees planted over time: 25 of 100 trees/ })).toBeVisible();

  const visitor = await (await newContext(browser, info)).newPage();
  await open(visitor, `${path}/impact`, info);
  await expect(visitor.getByRole('heading', { level: 1, name: `Impact of ${name}` })).toBeVisible();
  await expect(visitor.getByText('25 of 100 trees')).toBeVisible();
  await expect(visitor.getByRole('progressbar', { name: 'Progress of Restore the river' })).toHaveAttribute('value', '15');
  await expect(visitor.getByRole('progressbar', { name: 'Progress of Trees planted' })).toHaveAttribute('value', '25');
  await expect(visitor.getByText('3', { exact: true }).first()).toBeVisible();
});

test('hours, quantities and targets take decimals, as the server does', async ({ browser }, info) => {
  const founder = await person(browser, info, 'dec');
  const name = `Halves ${founder.handle}`;
  const path = await found(founder.page, info, name, 'Count every half hour.');
  await addGoal(founder.page, info, path, { title: 'Litter cleared', unit: 'kg', target: '12.5' });

  const work = { description: 'Cleared the towpath', goal: 'Litter cleared (kg)', quantity: '2.5', hours: '1.5' };
  await logContribution(founder.page, info, path, work);
  await expect(founder.page.getByText(/2\.5 kg.*1\.5 hours/).first()).toBeVisible();
});
