// Remembered devices in the widget (a pool that tracks devices, remembered on the user's prompt,
// with email MFA): after the MFA code the signed-in view asks "Remember this device?"; once
// remembered, the next sign-in proves the device (DEVICE_SRP_AUTH) and skips MFA; the sign-in
// security settings list the device as this one and forget it, after which MFA is asked again;
// "Not now" leaves the device unremembered. Screens pass axe-core.
import type { Page } from '@playwright/test';

import { admin } from '../admin';
import { codes, latestCode } from '../cognito';
import { expect, test } from '../fixtures';
import { expectAccessible, hostedPage, screenshot } from '../pages';
import { member, mfaPool, signIn } from '../pools';

/** Records the challenge names the page answers (RespondToAuthChallenge bodies). */
function challengesOf(page: Page): string[] {
  const answered: string[] = [];
  page.on('request', (request) => {
    if (request.headers()['x-amz-target']?.endsWith('.RespondToAuthChallenge')) {
      answered.push(request.postDataJSON().ChallengeName);
    }
  });
  return answered;
}

test('remember this device after MFA, sign in without MFA, then forget it', async ({ page, server }, testInfo) => {
  const pool = await mfaPool(server, 'OPTIONAL', true, {
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });
  const { username, password } = await member(server, pool);
  await admin(server.demo.endpoint, server.demo.region, 'AdminSetUserMFAPreference', {
    UserPoolId: pool.userPoolId, Username: username, EmailMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  const answered = challengesOf(page);
  await page.goto(hostedPage(server, { clientId: pool.clientId, userPoolId: pool.userPoolId }));

  // A new device: the email code, then the question.
  await signIn(page, username, password);
  await page.getByLabel('Code').fill(await latestCode(server.baseURL, username, 1));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Remember this device?' })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'remember-device');
  await page.getByRole('button', { name: 'Remember', exact: true }).click();
  await expect(page.getByText('This device is remembered.')).toBeVisible();
  expect(answered).toEqual(['PASSWORD_VERIFIER', 'EMAIL_OTP']);

  // The remembered device proves itself instead of a code.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const mailed = (await codes(server.baseURL, username)).length;
  answered.length = 0;
  await signIn(page, username, password);
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
  expect(answered).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  expect((await codes(server.baseURL, username)).length).toBe(mailed);
  await expect(page.getByRole('heading', { name: 'Remember this device?' })).toHaveCount(0);

  // The device list shows this device; forgetting it brings MFA back.
  await page.getByRole('button', { name: 'Sign-in security' }).click();
  await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
  const device = page.locator('.cognate-device');
  await expect(device).toHaveCount(1);
  await expect(device).toContainText('(this device)');
  await expect(device).toContainText('Last used');
  await expectAccessible(page);
  await screenshot(page, testInfo, 'device-list');
  await device.getByRole('button', { name: /^Forget/ }).click();
  await expect(page.getByText('Device forgotten.')).toBeVisible();
  await expect(device).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, username, password);
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  await page.getByLabel('Code').fill(await latestCode(server.baseURL, username, mailed));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // "Not now": the device stays unremembered, and MFA is asked again.
  await page.getByRole('button', { name: 'Not now' }).click();
  await expect(page.getByRole('heading', { name: 'Remember this device?' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, username, password);
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
});
