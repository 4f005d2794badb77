import { Browser, expect, Page, TestInfo } from '@playwright/test';
import { open, person } from './helpers';

/** A steward founds a community with values and returns its path and name. */
export async function foundCommunity(page: Page, info: TestInfo, handle: string): Promise<{ path: string; name: string }> {
  const name = `Talk ${handle}`;
  await open(page, '/communities/new', info);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Mission').fill('Keep the river clean, together.');
  await page.getByLabel('Values').fill('Care: we look after each other\nCourage: we speak up');
  await page.getByRole('button', { name: 'Create community' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return { path: new URL(page.url()).pathname, name };
}

/** Someone signs up and joins the community. */
export async function member(
  browser: Browser,
  info: TestInfo,
  prefix: string,
  path: string,
  name: string,
  baseURL?: string,
) {
  const who = await person(browser, info, prefix, baseURL);
  await open(who.page, path, info);
  await who.page.getByLabel(`I affirm the values of ${name}`).check();
  await who.page.getByRole('button', { name: 'Join community' }).click();
  await expect(who.page.getByText("You're a member of this community.")).toBeVisible();
  return who;
}

/** Starts a thread from the discussions page and waits for it to open. */
export async function startThread(page: Page, info: TestInfo, path: string, title: string, body: string) {
  await open(page, `${path}/discussions`, info);
  await page.getByRole('link', { name: 'Start a discussion' }).click();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('What would you like to discuss?').fill(body);
  await page.getByRole('button', { name: 'Post discussion' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** A leader adds a goal on the goals page and waits for it to be listed. */
export async function addGoal(page: Page, info: TestInfo, path: string, goal: { title: string; unit: string; target: string; parent?: string; weight?: string }) {
  await open(page, `${path}/goals`, info);
  await page.getByLabel('Goal', { exact: true }).fill(goal.title);
  await page.getByLabel('What is counted').fill(goal.unit);
  await page.getByLabel('Unit', { exact: true }).fill(goal.unit);
  await page.getByLabel('Target', { exact: true }).fill(goal.target);
  if (goal.parent) await page.getByLabel('Part of (optional)').selectOption({ label: goal.parent });
  if (goal.weight) await page.getByLabel('Weight among its siblings').fill(goal.weight);
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(page.getByRole('link', { name: goal.title })).toBeVisible();
}

/** A member logs a contribution towards `goal` (its label, "Title (unit)") on the contribute
 * page and sees it waiting for verification. */
export async function logContribution(
  page: Page,
  info: TestInfo,
  path: string,
  work: { description: string; goal: string; quantity?: string; hours: string },
) {
  await open(page, `${path}/contribute`, info);
  await page.getByLabel('What did you do?').fill(work.description);
  await page.getByLabel('Goal it moves').selectOption({ label: work.goal });
  if (work.quantity) await page.getByLabel("Quantity, in the goal's unit").fill(work.quantity);
  await page.getByLabel('Hours', { exact: true }).fill(work.hours);
  await page.getByRole('button', { name: 'Log contribution' }).click();
  await expect(page.getByText('Reported — waiting for verification')).toBeVisible();
}
