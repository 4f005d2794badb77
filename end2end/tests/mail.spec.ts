import { expect, test } from '@playwright/test';
import { newContext, open, person } from './helpers';
import { linkIn, mailTo } from './mail-helpers';

test('a forgotten password is reset through the e-mail that arrives, and other sessions end', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const member = await person(browser, info, 'pw');
  const address = `${member.handle}@example.org`;

  // On a phone, signed out: ask for a link.
  const phone = await (await newContext(browser, info)).newPage();
  await phone.setViewportSize({ width: 375, height: 812 });
  await open(phone, '/signin', info);
  await phone.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
  await phone.getByLabel('Handle or email').fill(address);
  await phone.getByRole('button', { name: 'Send me a link' }).click();
  await expect(phone.getByRole('status')).toContainText("we've e-mailed it a link");

  // The e-mail arrives at the SMTP server with both parts; its link opens the reset form.
  const mail = await mailTo(address, 'Reset your Kindred password');
  expect(mail.html).toContain('Choose a new password');
  const link = linkIn(mail, '/reset-password?token=');
  await open(phone, link, info);
  await phone.getByLabel('New password').fill('a fresh and long password');
  await phone.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(phone.getByRole('status')).toContainText('Your new password is saved');
  await expect(phone.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();

  // The session on the other device is over; the link does not work twice.
  await open(member.page, '/notifications', info);
  await expect(member.page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await open(phone, link, info);
  await expect(phone.getByText("This reset link doesn't work any more.")).toBeVisible();

  // The new password signs in.
  await open(member.page, '/signin', info);
  await member.page.getByLabel('Handle or email').fill(member.handle);
  await member.page.getByLabel('Password').fill('a fresh and long password');
  await member.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(member.page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
});

test('a member confirms their address from the sign-up e-mail and chooses what is mailed', async ({ browser }, info) => {
  test.setTimeout(60_000);
  const member = await person(browser, info, 'ns');
  const page = member.page;
  await page.setViewportSize({ width: 375, height: 812 });
  await open(page, '/settings/notifications', info);
  await expect(page.getByText('not confirmed yet')).toBeVisible();

  const mail = await mailTo(`${member.handle}@example.org`, 'Confirm your e-mail address for Kindred');
  await open(page, linkIn(mail, '/verify-email?token='), info);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page.getByRole('status')).toContainText('your address is confirmed');

  await open(page, '/settings/notifications', info);
  await expect(page.getByText('confirmed', { exact: false }).first()).toBeVisible();
  await expect(page.getByText('not confirmed yet')).toHaveCount(0);
  await page.getByLabel('Kudos you receive').selectOption({ label: 'By e-mail' });
  await page.getByLabel('How often').selectOption({ label: 'Daily' });
  await page.getByLabel('Your time zone').fill('Mars/Olympus');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Choose a time zone such as Europe/London.').first()).toBeVisible();
  await open(page, '/settings/notifications', info);
  await page.getByLabel('Kudos you receive').selectOption({ label: 'By e-mail' });
  await page.getByLabel('How often').selectOption({ label: 'Daily' });
  await page.getByLabel('Your time zone').fill('Europe/Berlin');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toContainText('Saved.');
  await expect(page.getByLabel('Kudos you receive')).toHaveValue('email');
  await expect(page.getByLabel('How often')).toHaveValue('daily');
  await expect(page.getByLabel('Your time zone')).toHaveValue('Europe/Berlin');
});
