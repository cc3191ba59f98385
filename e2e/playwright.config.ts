// Playwright configuration: Debian's Chromium (never `npx playwright install`), no retries,
// screenshots and traces kept in test-results/. Each worker starts its own Cognate server
// (see fixtures.ts), so tests need nothing running beforehand but a built server and dist/.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Two cores on CI: one server + one browser per worker.
  workers: process.env.CI ? 1 : 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        // Without these Chromium keeps calling home over the (closed) network.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
});
