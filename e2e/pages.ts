// Page helpers shared by the specs: URLs of the hosted page and the demo host page, an axe-core
// scan, and screenshots kept as test artifacts (test-results/<test>/<name>.png).
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';

import { expect } from './fixtures';
import type { RunningServer } from './server';

/** The hosted sign-in page for the demo client, with extra query settings. */
export function hostedPage({ demo }: RunningServer, settings: Record<string, string> = {}): string {
  const query = new URLSearchParams({ clientId: demo.clientId, userPoolId: demo.userPoolId, ...settings });
  return `/widget/?${query}`;
}

/** The demo host page, which embeds `<cognate-sign-in>` and records the events it hears. */
export function demoPage(settings: Record<string, string> = {}): string {
  const query = new URLSearchParams(settings).toString();
  return `/widget/demo.html${query ? `?${query}` : ''}`;
}

/** Asserts that axe-core finds no violations on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const scan = await new AxeBuilder({ page }).analyze();
  expect(scan.violations).toEqual([]);
}

/** Saves a full-page screenshot as a test artifact. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The events the demo page has heard so far. */
export async function hostEvents(page: Page): Promise<{ type: string; detail: HostSession | null }[]> {
  return page.evaluate(() => (window as unknown as { cognateEvents: [] }).cognateEvents);
}

/** What the host receives in `event.detail` and from `getSession()`. */
export interface HostSession {
  username: string;
  idToken: string;
  accessToken: string;
  expiresAt: number;
}
