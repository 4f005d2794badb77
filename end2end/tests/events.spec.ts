import { expect, test } from '@playwright/test';
import { inDays, open, person } from './helpers';
import { foundCommunity, member } from './community-helpers';

test('a leader plans a weekly event; members fill it, wait, and take a freed seat', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'evh');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);

  await open(steward.page, `${path}/events`, info);
  await steward.page.getByRole('link', { name: 'New event' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'New event' })).toBeVisible();
  await steward.page.getByLabel('Title', { exact: true }).fill('Saturday river clean-up');
  await steward.page.getByLabel('Description', { exact: true }).fill('Bring **gloves** and boots.');
  await steward.page.getByLabel('Date', { exact: true }).fill(inDays(3));
  await steward.page.getByLabel('Starts', { exact: true }).fill('10:00');
  await steward.page.getByLabel('Ends', { exact: true }).fill('12:00');
  await steward.page.getByLabel('Time zone').fill('Europe/London');
  await steward.page.getByLabel('Place', { exact: true }).fill('Mill Lane bridge');
  await steward.page.getByLabel('Repeats').selectOption({ label: 'Every week' });
  await steward.page.getByLabel('Last date (repeating events)').fill(inDays(3 + 21));
  await steward.page.getByLabel('Seats').fill('1');
  await steward.page.getByRole('button', { name: 'Create event' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Saturday river clean-up' })).toBeVisible();
  await expect(steward.page.getByText('10:00–12:00')).toBeVisible();
  await expect(steward.page.getByRole('heading', { name: 'Next in this series' })).toBeVisible();
  const event = new URL(steward.page.url()).pathname;

  // The first member, on a phone, takes the only seat.
  const first = await member(browser, info, 'evf', path, name);
  await first.page.setViewportSize({ width: 375, height: 812 });
  await open(first.page, `${path}/events`, info);
  await first.page.getByRole('link', { name: 'Saturday river clean-up' }).first().click();
  await first.page.getByRole('button', { name: 'Going', exact: true }).click();
  await expect(first.page.getByText("You're going.")).toBeVisible();
  await expect(first.page.getByText('Full: 1 seat')).toBeVisible();

  // The second member joins the waitlist.
  const second = await member(browser, info, 'evs', path, name);
  await open(second.page, event, info);
  await second.page.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(second.page.getByText("You're on the waitlist: number 1 in line.")).toBeVisible();

  // The first member cannot come after all: the seat is offered to the second, who takes it.
  await first.page.getByRole('button', { name: 'Not going', exact: true }).click();
  await expect(first.page.getByText("You're not going.")).toBeVisible();
  await open(second.page, event, info);
  await expect(second.page.getByText(/A seat opened up and is held for you until/)).toBeVisible();
  await second.page.getByRole('button', { name: 'Take the seat' }).click();
  await expect(second.page.getByText("You're going.")).toBeVisible();

  // It is on the second member's own list of events, and the host sees who comes.
  await open(second.page, '/events', info);
  await expect(second.page.getByRole('link', { name: 'Saturday river clean-up' })).toBeVisible();
  await second.page.getByRole('button', { name: 'Make a private calendar link' }).click();
  await expect(second.page.getByText(/\/calendar\/[0-9a-f]{64}\.ics$/)).toBeVisible();
  const feed = (await second.page.getByText(/\/calendar\/[0-9a-f]{64}\.ics$/).textContent())!.trim();
  const ics = await (await second.page.request.get(feed)).text();
  expect(ics).toContain('SUMMARY:Saturday river clean-up');
  await open(steward.page, event, info);
  await expect(steward.page.getByRole('heading', { name: 'Going (1)' })).toBeVisible();
  await expect(steward.page.getByRole('link', { name: `Person ${second.handle}` })).toBeVisible();

  // The host moves every later date to the weir; the second member answers for all of them.
  await steward.page.getByRole('link', { name: 'Edit event' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Edit Saturday river clean-up' })).toBeVisible();
  await steward.page.getByLabel('Change').selectOption({ label: 'This date and every later one' });
  await steward.page.getByLabel('Place', { exact: true }).fill('Weir car park');
  await steward.page.getByRole('button', { name: 'Save changes' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Saturday river clean-up' })).toBeVisible();
  await expect(steward.page.getByText('Weir car park')).toBeVisible();
  await open(second.page, event, info);
  await expect(second.page.getByText('Weir car park')).toBeVisible();
  // The later dates show the answer given for all of them.
  const later = second.page.getByRole('region', { name: 'Next in this series' });
  await expect(later.getByText("You're going")).toHaveCount(0);
  await second.page.getByRole('button', { name: 'Going to every date' }).click();
  await expect(later.getByText("You're going")).toHaveCount(3);
  await open(second.page, `${path}/events`, info);
  await expect(second.page.getByText("You're going")).toHaveCount(4);
});

test('a member checks in with the code on a phone and the hours show on the impact page', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'evc');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);

  // An event starting in half an hour (UTC), so check-in is open.
  const start = new Date(Date.now() + 30 * 60 * 1000);
  const end = new Date(start.getTime() + 60 * 60 * 1000);
  const hhmm = (d: Date) => d.toISOString().slice(11, 16);
  await open(steward.page, `${path}/events/new`, info);
  await steward.page.getByLabel('Title', { exact: true }).fill('Evening litter pick');
  await steward.page.getByLabel('Date', { exact: true }).fill(start.toISOString().slice(0, 10));
  await steward.page.getByLabel('Starts', { exact: true }).fill(hhmm(start));
  await steward.page.getByLabel('Ends', { exact: true }).fill(hhmm(end));
  if (end.toISOString().slice(0, 10) !== start.toISOString().slice(0, 10)) {
    await steward.page.getByLabel('Ends after midnight').check();
  }
  await steward.page.getByLabel('Time zone').fill('UTC');
  await steward.page.getByLabel('Place', { exact: true }).fill('The towpath');
  await steward.page.getByRole('button', { name: 'Create event' }).click();
  await expect(steward.page.getByRole('heading', { level: 1, name: 'Evening litter pick' })).toBeVisible();
  const event = new URL(steward.page.url()).pathname;
  await expect(steward.page.getByRole('heading', { name: 'Check people in' })).toBeVisible();
  await expect(steward.page.getByRole('img', { name: 'QR code of the check-in link' })).toBeVisible();
  const code = (await steward.page.getByText(/^[A-HJ-NP-Z2-9]{6}$/).textContent())!.trim();

  const attendee = await member(browser, info, 'eva', path, name);
  await attendee.page.setViewportSize({ width: 375, height: 812 });
  await open(attendee.page, event, info);
  await attendee.page.getByLabel('Event code').fill(code);
  await attendee.page.getByRole('button', { name: 'Check in', exact: true }).click();
  await expect(attendee.page.getByText("You're checked in. Thank you for coming!")).toBeVisible();

  await open(attendee.page, `${path}/impact`, info);
  await expect(attendee.page.getByText('Events held: 0 · check-ins: 1 · hours from events: 1')).toBeVisible();
});
