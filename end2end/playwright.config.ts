import { defineConfig } from '@playwright/test';

// Every spec runs twice: hydrated (WASM loaded) and with JavaScript off (plain forms).
export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: process.env.KINDRED_URL ?? 'http://127.0.0.1:3000',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    // Live updates need JavaScript, so live.spec.ts runs in the hydrated project only.
    { name: 'no-js', use: { javaScriptEnabled: false }, testIgnore: /(live|pwa|a11y)\.spec\.ts/ },
  ],
});
