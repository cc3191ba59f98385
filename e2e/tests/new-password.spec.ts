// An admin-created user (AdminCreateUser, SigV4-signed) signs in with the temporary password and
// must choose a new one and give the required email the account lacks (NEW_PASSWORD_REQUIRED).
import { randomBytes } from 'node:crypto';

import { admin } from '../admin';
import { expect, test } from '../fixtures';
import { expectAccessible, hostedPage, screenshot } from '../pages';

test('a temporary password must be replaced, with the missing attributes', async ({ page, server }, testInfo) => {
  const username = `invited-${randomBytes(4).toString('hex')}`;
  const temporary = `Tmp-${randomBytes(6).toString('hex')}-Aa1!`;
  const chosen = `Own-${randomBytes(6).toString('hex')}-Aa1!`;
  await admin(server.demo.endpoint, server.demo.region, 'AdminCreateUser', {
    UserPoolId: server.demo.userPoolId,
    Username: username,
    TemporaryPassword: temporary,
    MessageAction: 'SUPPRESS',
  });

  await page.goto(hostedPage(server));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  await expect(page.getByLabel('New password', { exact: true })).toBeFocused();
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'new-password-required');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // The chosen password is now the password.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Password', { exact: true }).fill(chosen);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
});
