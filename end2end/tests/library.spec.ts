import { expect, test } from '@playwright/test';
import { open, person } from './helpers';
import { foundCommunity, member } from './community-helpers';

/** A small but real PDF (recognised by its content, not its name). */
function pdf(): Buffer {
  return Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
}

test('members add a guide and a PDF, find them by search, and a steward puts the guide in a collection', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const steward = await person(browser, info, 'lbs');
  const { path, name } = await foundCommunity(steward.page, info, steward.handle);
  const word = `sluice${Date.now().toString(36)}`;

  // A member on a phone writes a guide.
  const volunteer = await member(browser, info, 'lbm', path, name);
  const page = volunteer.page;
  await page.setViewportSize({ width: 375, height: 812 });
  await open(page, `${path}/library`, info);
  const add = page.getByRole('region', { name: 'Add a guide or a link' });
  await add.getByLabel('Title').fill('Weir safety');
  await add.getByLabel('Summary').fill('Read before going in the water.');
  await add.getByLabel('Guide (Markdown)').fill(`## Before\n\nCheck the **${word}** gauge.`);
  await add.getByLabel('Tags').fill('safety, water');
  await add.getByRole('button', { name: 'Add to library' }).click();
  // Without JavaScript the form post lands on the new resource; hydrated, the library stays
  // and lists it (as every add form does), so open it from the list.
  if (info.project.name === 'hydrated') {
    await page.getByRole('region', { name: 'All resources' }).getByRole('link', { name: 'Weir safety' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Weir safety' })).toBeVisible();
  await expect(page.getByText(`Check the ${word} gauge.`)).toBeVisible();
  await page.getByRole('button', { name: 'Mark helpful' }).click();
  await expect(page.getByText('Helpful to 1 member(s).')).toBeVisible();

  // Its owner improves it; the earlier version stays on the guide's history page.
  const edit = page.getByRole('region', { name: 'Edit', exact: true });
  await edit.getByLabel('Guide (Markdown)').fill(`## Before\n\nCheck the **${word}** gauge and the weather.`);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Check the ${word} gauge and the weather.`)).toBeVisible();
  await page.getByRole('link', { name: '1 earlier version' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Guide history' })).toBeVisible();
  await expect(page.getByText(`Check the ${word} gauge.`, { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`Replaced .* by @${volunteer.handle}`) })).toBeVisible();

  // A script renamed .pdf is refused by its content; a real PDF is kept.
  await open(page, `${path}/library`, info);
  let upload = page.getByRole('region', { name: 'Upload a file' });
  await upload.getByLabel('Title').fill('Not a PDF');
  await upload.getByLabel('Licence').fill('CC BY 4.0');
  await upload.getByLabel('Made by').fill('Someone');
  await upload.getByLabel('File').setInputFiles({ name: 'kit.pdf', mimeType: 'application/pdf', buffer: Buffer.from('#!/bin/sh\necho hi\n') });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'this file is none of them' })).toBeVisible();
  upload = page.getByRole('region', { name: 'Upload a file' });
  await upload.getByLabel('Title').fill('Kit list');
  await upload.getByLabel('Licence').fill('CC BY 4.0');
  await upload.getByLabel('Made by').fill('River Keepers');
  await upload.getByLabel('File').setInputFiles({ name: 'kit list.pdf', mimeType: 'application/pdf', buffer: pdf() });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Kit list' })).toBeVisible();
  await expect(page.getByText('Licence: CC BY 4.0')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('kit-list.pdf');

  // Search finds the guide in the library.
  await open(page, `/search?q=${word}`, info);
  const found = page.getByRole('region', { name: 'In the library' });
  await expect(found.getByRole('link', { name: 'Weir safety' })).toBeVisible();

  // The steward makes a "Safety" collection and puts the guide in it.
  await open(steward.page, `${path}/library`, info);
  await steward.page.getByLabel('Collection name').fill('Safety');
  await steward.page.getByRole('button', { name: 'Add collection' }).click();
  await expect(steward.page.getByRole('heading', { level: 2, name: 'Safety', exact: true })).toBeVisible();
  await steward.page.getByRole('link', { name: 'Weir safety' }).first().click();
  await steward.page.getByRole('button', { name: 'Add to Safety' }).click();
  await expect(steward.page.getByRole('button', { name: 'Take out of Safety' })).toBeVisible();
  await open(steward.page, `${path}/library`, info);
  const safety = steward.page.getByRole('region', { name: 'Safety', exact: true });
  await expect(safety.getByRole('link', { name: 'Weir safety' })).toBeVisible();
});
