import { expect, Page, test, TestInfo } from '@playwright/test';
import { open, person } from './helpers';


/** Founds a community through the form and returns its address. */
async function found(page: Page, info: TestInfo, name: string, policy: string): Promise<string> {
  await open(page, '/communities/new', info);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Mission').fill(`${name} exists to keep our river clean.`);
  await page.getByLabel('Vision').fill('Children swimming in clear water.');
  await page.getByLabel('Values').fill('Leave it better: we take out more than we bring\nSafety first: nobody works alone');
  await page.getByLabel('How people join').selectOption(policy);
  if (policy === 'approval') {
    await page.getByLabel('Join questions').fill('What would you like to help with?');
  }
  await page.getByRole('button', { name: 'Create community' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return new URL(page.url()).pathname;
}

test.describe('communities', () => {
  test('a person founds a community and it shows its purpose first', async ({ browser }, info) => {
    const { page, handle } = await person(browser, info, 'founder');
    const name = `Keepers ${handle}`;
    const path = await found(page, info, name, 'open');
    expect(path).toMatch(/^\/c\/keepers-/);
    await expect(page.getByRole('heading', { name: 'Mission' })).toBeVisible();
    await expect(page.getByText(`${name} exists to keep our river clean.`)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Our values' })).toBeVisible();
    await expect(page.getByText('Leave it better', { exact: true })).toBeVisible();
    await expect(page.getByText("You're an owner of this community.")).toBeVisible();

    await open(page, `/communities?q=${encodeURIComponent(name)}`, info);
    await expect(page.getByRole('link', { name })).toBeVisible();
  });

  test('a second person joins an open community by affirming its values', async ({ browser }, info) => {
    const founder = await person(browser, info, 'own');
    const name = `Open ${founder.handle}`;
    const path = await found(founder.page, info, name, 'open');

    const joiner = await person(browser, info, 'join');
    await open(joiner.page, path, info);
    await joiner.page.getByRole('button', { name: 'Join community' }).click();
    await expect(joiner.page.getByText("Please affirm the community's values to join.").first()).toBeVisible();

    await joiner.page.getByLabel(`I affirm the values of ${name}`).check();
    await joiner.page.getByRole('button', { name: 'Join community' }).click();
    await expect(joiner.page.getByText("You're a member of this community.")).toBeVisible();
    await expect(joiner.page.getByText('2 members').first()).toBeVisible();
  });

  test('a third person asks to join an approval community and a steward approves', async ({ browser }, info) => {
    const founder = await person(browser, info, 'stew');
    const name = `Guild ${founder.handle}`;
    const path = await found(founder.page, info, name, 'approval');

    const asker = await person(browser, info, 'ask');
    await open(asker.page, path, info);
    await asker.page.getByLabel('Your answers').fill('I can run the Saturday sessions.');
    await asker.page.getByLabel(`I affirm the values of ${name}`).check();
    await asker.page.getByRole('button', { name: 'Request to join' }).click();
    await expect(asker.page.getByText('Your request to join is waiting for a steward.')).toBeVisible();

    await founder.page.setViewportSize({ width: 375, height: 740 });
    await open(founder.page, path, info);
    // Leaders' tools sit under one "Manage" tab that counts what waits; on a phone the
    // count scrolls with the tabs, never the page.
    const manage = founder.page.getByRole('navigation', { name: 'Community' }).getByRole('link', { name: 'Manage 1 waiting' });
    await expect(manage).toBeAttached();
    expect(await founder.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await manage.click();
    await expect(founder.page.getByText('1 thing is waiting for you.')).toBeVisible();
    await founder.page.getByRole('link', { name: 'Join requests (1)' }).click();
    await expect(founder.page.getByText('I can run the Saturday sessions.')).toBeVisible();
    await founder.page.getByLabel(`Welcome message to @${asker.handle} (optional)`).fill('Welcome aboard!');
    await founder.page.getByRole('button', { name: `Approve @${asker.handle}` }).click();
    await expect(founder.page.getByText('No one is waiting.')).toBeVisible();

    await open(asker.page, path, info);
    await expect(asker.page.getByText("You're a member of this community.")).toBeVisible();
    await open(asker.page, '/notifications', info);
    await expect(asker.page.getByRole('link', { name: /was approved\. Message: Welcome aboard!/ })).toBeVisible();
  });

  test('a steward grants the moderator role; the member list and audit log show it', async ({ browser }, info) => {
    const founder = await person(browser, info, 'lead');
    const name = `Circle ${founder.handle}`;
    const path = await found(founder.page, info, name, 'open');
    const helper = await person(browser, info, 'mod');
    await open(helper.page, path, info);
    await helper.page.getByLabel(`I affirm the values of ${name}`).check();
    await helper.page.getByRole('button', { name: 'Join community' }).click();
    await expect(helper.page.getByText("You're a member of this community.")).toBeVisible();

    await open(founder.page, `${path}/members`, info);
    await founder.page.getByLabel(`Role for @${helper.handle}`).selectOption('moderator');
    await founder.page.getByRole('button', { name: `Save role for @${helper.handle}` }).click();
    await expect(founder.page.getByLabel(`Role for @${helper.handle}`)).toHaveValue('moderator');

    await open(founder.page, `${path}/members?role=moderator`, info);
    await expect(founder.page.getByRole('link', { name: `Person ${helper.handle}` })).toBeVisible();

    await open(founder.page, `${path}/audit`, info);
    const entry = founder.page.getByRole('row').filter({ hasText: 'role changed' });
    await expect(entry).toContainText(`@${helper.handle}`);
    await expect(entry).toContainText('moderator');

    // The new moderator sees no leaders' pages.
    await open(helper.page, `${path}/audit`, info);
    await expect(helper.page.getByText("You don't have permission to do that.")).toBeVisible();
  });
});
