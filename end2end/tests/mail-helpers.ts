import { expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/** One message as the test SMTP server (scripts/smtp_sink.py) wrote it. */
export interface ReceivedMail {
  rcpt_tos: string[];
  headers: Record<string, string>;
  text: string;
  html: string;
}

/** Waits until a message to `to` whose subject is `subject` arrives; returns the newest. */
export async function mailTo(to: string, subject: string): Promise<ReceivedMail> {
  const folder = process.env.KINDRED_MAIL_IN;
  if (!folder) throw new Error('KINDRED_MAIL_IN is not set: run the suite through scripts/e2e.sh');
  let found: ReceivedMail | undefined;
  await expect
    .poll(
      () => {
        // Finished messages only: the sink writes each to a hidden file first, then renames it.
        const names = fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort() : [];
        const mails = names.map((n) => JSON.parse(fs.readFileSync(path.join(folder, n), 'utf8')) as ReceivedMail);
        found = mails.filter((m) => m.rcpt_tos.includes(to) && m.headers['Subject'] === subject).pop();
        return found !== undefined;
      },
      { timeout: 20_000, message: `an e-mail "${subject}" to ${to}` },
    )
    .toBe(true);
  return found as ReceivedMail;
}

/** The first link in a message's text part that contains `needle`, as a local path. */
export function linkIn(mail: ReceivedMail, needle: string): string {
  const url = mail.text.split(/\s+/).find((word) => word.startsWith('http') && word.includes(needle));
  if (!url) throw new Error(`no link with ${needle} in: ${mail.text}`);
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
