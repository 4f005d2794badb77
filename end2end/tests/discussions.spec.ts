import { expect, test } from '@playwright/test';
import { foundCommunity, member, startThread } from './community-helpers';
import { open, person } from './helpers';

test('members hold a conversation: thread, preview, mention, reply, quote-reply, reaction, search', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'ste');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const maya = await member(browser, info, 'maya', path, name);

  // Maya drafts a thread, previews it, and mentions the steward.
  await open(maya.page, `${path}/discussions`, info);
  await maya.page.getByRole('link', { name: 'Start a discussion' }).click();
  await maya.page.getByLabel('Title', { exact: true }).fill('Saturday clean-up at the weir');
  await maya.page.getByLabel('What would you like to discuss?').fill(`Who can bring **litter pickers**? @${steward.handle} do we have bags?`);
  await maya.page.getByRole('button', { name: 'Preview' }).click();
  const preview = maya.page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('strong', { hasText: 'litter pickers' })).toBeVisible();
  await expect(maya.page.getByLabel('What would you like to discuss?')).toHaveValue(/litter pickers/);
  await maya.page.getByRole('button', { name: 'Post discussion' }).click();
  await expect(maya.page.getByRole('heading', { level: 1, name: 'Saturday clean-up at the weir' })).toBeVisible();
  const thread = new URL(maya.page.url()).pathname;
  await expect(maya.page.getByRole('link', { name: `@${steward.handle}` })).toHaveAttribute('href', `/u/${steward.handle}`);

  // The steward is told about the mention, follows it and replies.
  await open(steward.page, '/notifications', info);
  await steward.page.getByRole('link', { name: `@${maya.handle} mentioned you in “Saturday clean-up at the weir”` }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Saturday clean-up at the weir' })).toBeVisible();
  await steward.page.getByLabel('Your reply').fill('Yes — forty bags in the shed.');
  await steward.page.getByRole('button', { name: 'Post reply' }).click();
  await expect(steward.page.getByText('Yes — forty bags in the shed.')).toBeVisible();
  await expect(steward.page.getByLabel('Your reply')).toHaveValue('');
  // A second reply from the same page is a new submission (its form key moved on), not a repeat.
  await steward.page.getByLabel('Your reply').fill('And gloves in the blue box.');
  await steward.page.getByRole('button', { name: 'Post reply' }).click();
  await expect(steward.page.getByText('And gloves in the blue box.')).toBeVisible();

  // Maya quote-replies to the steward's post and celebrates it.
  await open(maya.page, thread, info);
  const stewardPost = maya.page.getByRole('article', { name: `Person ${steward.handle}` }).first();
  await stewardPost.getByRole('link', { name: 'Quote' }).click();
  await expect(maya.page.getByText(`Replying to @${steward.handle} (#2)`)).toBeVisible();
  await expect(maya.page.getByLabel('Your reply')).toHaveValue(new RegExp(`@${steward.handle} wrote:`));
  await maya.page.getByLabel('Your reply').fill('Brilliant, I will collect them on Friday.');
  await maya.page.getByRole('button', { name: 'Post reply' }).click();
  const answer = maya.page.getByRole('article').filter({ hasText: 'I will collect them on Friday' });
  await expect(answer.getByRole('link', { name: `@${steward.handle} (#2)` })).toBeVisible();

  await stewardPost.getByRole('button', { name: 'Celebrate', exact: true }).click();
  await expect(stewardPost.getByRole('button', { name: 'Celebrate (1)' })).toHaveAttribute('aria-pressed', 'true');

  // The list shows the thread with its replies, and search finds the post.
  await open(maya.page, `${path}/discussions`, info);
  await expect(maya.page.getByRole('link', { name: 'Saturday clean-up at the weir' })).toBeVisible();
  await expect(maya.page.getByText(/3 replies/)).toBeVisible();
  await maya.page.getByLabel('Search discussions').fill('forty bags');
  await maya.page.getByRole('button', { name: 'Search' }).click();
  const result = maya.page.getByRole('listitem').filter({ has: maya.page.getByRole('link', { name: 'Saturday clean-up at the weir' }) });
  await expect(result.locator('mark', { hasText: 'forty' })).toBeVisible();
});

test('a flagged post is hidden citing a value, and its author sees why', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'ste');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const author = await member(browser, info, 'auth', path, name);
  const reader = await member(browser, info, 'read', path, name);

  const thread = await startThread(author.page, info, path, 'Council meeting', 'The council are all idiots.');

  // A reader flags it, citing Care.
  await open(reader.page, thread, info);
  const post = reader.page.getByRole('article', { name: `Person ${author.handle}` });
  await post.getByText('Flag', { exact: true }).click();
  await post.getByLabel('Which of our values does it go against?').selectOption({ label: 'Care' });
  await post.getByRole('button', { name: 'Flag post' }).click();
  await expect(post.getByText('You flagged this post for moderators.')).toBeVisible();

  // The steward works the queue and hides it.
  await open(steward.page, `${path}/moderation`, info);
  await expect(steward.page.getByText(`@${reader.handle}: Goes against our value “Care”`)).toBeVisible();
  await steward.page.getByLabel('Value it goes against').selectOption({ label: 'Care' });
  await steward.page.getByLabel('Note to the author').fill('Please criticise decisions, not people.');
  await steward.page.getByRole('button', { name: 'Hide post' }).click();
  await expect(steward.page.getByText('Nothing flagged. All clear.')).toBeVisible();

  // Readers see the reason but not the words; the author sees both, and is told.
  await open(reader.page, thread, info);
  await expect(reader.page.getByText('Hidden by moderators.')).toBeVisible();
  await expect(reader.page.getByText('Goes against our value “Care”: Please criticise decisions, not people.')).toBeVisible();
  await expect(reader.page.getByText('all idiots')).toHaveCount(0);
  await open(author.page, thread, info);
  await expect(author.page.getByText('Goes against our value “Care”: Please criticise decisions, not people.')).toBeVisible();
  await expect(author.page.getByText('The council are all idiots.')).toBeVisible();
  await open(author.page, '/notifications', info);
  await expect(author.page.getByRole('link', { name: /Moderators hid your post.*Care/ })).toBeVisible();

  // And the audit log records it.
  await open(steward.page, `${path}/audit`, info);
  await expect(steward.page.getByText('post hidden')).toBeVisible();
});

test('an author edits a post (history kept) and deletes another (placeholder kept)', async ({ browser }, info) => {
  test.setTimeout(60_000);
  const steward = await person(browser, info, 'ste');
  const { path } = await foundCommunity(steward.page, info, steward.handle);
  const thread = await startThread(steward.page, info, path, 'Tool library', 'We have 10 rakes.');
  await steward.page.getByLabel('Your reply').fill('Posted by mistake.');
  await steward.page.getByRole('button', { name: 'Post reply' }).click();
  await expect(steward.page.getByText('Posted by mistake.')).toBeVisible();

  const first = steward.page.getByRole('article').filter({ hasText: 'We have 10 rakes.' });
  await first.getByRole('link', { name: 'Edit' }).click();
  await steward.page.getByLabel('Edit your post').fill('We have 12 rakes.');
  await steward.page.getByRole('button', { name: 'Save changes' }).click();
  await expect(steward.page.getByText('We have 12 rakes.')).toBeVisible();
  await steward.page.getByRole('link', { name: 'edited' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Edit history' })).toBeVisible();
  await expect(steward.page.getByText('We have 10 rakes.')).toBeVisible();

  await open(steward.page, thread, info);
  const second = steward.page.getByRole('article').filter({ hasText: 'Posted by mistake.' });
  await second.getByText('Delete', { exact: true }).click();
  await second.getByRole('button', { name: 'Delete post' }).click();
  await expect(steward.page.getByText('This post was deleted.')).toBeVisible();
  await expect(steward.page.getByText('Posted by mistake.')).toHaveCount(0);

  // On a phone-sized screen the thread fits the width: nothing scrolls sideways.
  await steward.page.setViewportSize({ width: 360, height: 740 });
  await open(steward.page, thread, info);
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Tool library' })).toBeVisible();
  expect(await steward.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test('a refused thread comes back with what was typed, and goes through once fixed', async ({ browser }, info) => {
  const steward = await person(browser, info, 'kep');
  const { path } = await foundCommunity(steward.page, info, steward.handle);
  const page = steward.page;
  await open(page, `${path}/discussions/new`, info);
  const body = 'A long note about the weir & its "new" gauge <v2>, written with care.';
  await page.getByLabel('Title', { exact: true }).fill('ab');
  await page.getByLabel('What would you like to discuss?').fill(body);
  await page.getByRole('button', { name: 'Post discussion' }).click();

  // Hydrated, the form stays as it was; without JavaScript the page comes back with it.
  await expect(page.getByLabel('Title', { exact: true })).toHaveAccessibleDescription('Use 3–200 characters.');
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('ab');
  await expect(page.getByLabel('What would you like to discuss?')).toHaveValue(body);

  await page.getByLabel('Title', { exact: true }).fill('About the weir gauge');
  await page.getByRole('button', { name: 'Post discussion' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'About the weir gauge' })).toBeVisible();
  await expect(page.getByText('written with care.')).toBeVisible();
});
