// Password recovery end to end on the hosted page: forgot password → a wrong code is refused
// next to the code field → the mailed code and a new password → sign in with it.
import { randomBytes } from 'node:crypto';

import { codes, latestCode } from '../cognito';
import { expect, test } from '../fixtures';
import { expectAccessible, hostedPage, screenshot } from '../pages';

test('forgot password, then sign in with the new one', async ({ page, server, user }, testInfo) => {
  const newPassword = `New-${randomBytes(6).toString('hex')}-Aa1!`;
  const codesBefore = (await codes(server.baseURL, user.username)).length;
  await page.goto(hostedPage(server));
  await page.getByLabel('Username').fill(user.username);
  await page.getByRole('button', { name: 'Forgot your password?' }).click();

  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(user.username);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'forgot-password');
  await page.getByRole('button', { name: 'Send code' }).click();

  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByLabel('Code')).toBeFocused();
  const code = await latestCode(server.baseURL, user.username, codesBefore);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Code').fill(wrong);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toHaveText('That code is not right. Check it and try again.');
  await expect(page.getByLabel('Code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Code')).toBeFocused();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'confirm-reset-password');

  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your password was changed' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
});
