// Sign-in through the widget against the real server: success, wrong password, unconfirmed
// account, and an accessibility scan of the form.
import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';

import { cognito } from '../cognito';
import { expect, test } from '../fixtures';
import type { RunningServer } from '../server';

function widgetPath({ demo }: RunningServer): string {
  const query = new URLSearchParams({ clientId: demo.clientId, userPoolId: demo.userPoolId });
  return `/widget/?${query}`;
}

test('signs in a confirmed user', async ({ page, server, user }) => {
  // Hold the InitiateAuth request to observe the busy state, and check what the widget sends.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let sent: { target?: string; contentType?: string; body?: unknown } = {};
  await page.route(
    (url) => url.pathname === '/',
    async (route) => {
      const request = route.request();
      if (request.method() === 'POST') {
        sent = {
          target: request.headers()['x-amz-target'],
          contentType: request.headers()['content-type'],
          body: request.postDataJSON(),
        };
        await held;
      }
      await route.continue();
    },
  );

  await page.goto(widgetPath(server));
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
  release();
  await expect(page.getByRole('status')).toHaveText(`Signed in as ${user.username}`);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');

  expect(sent).toEqual({
    target: 'AWSCognitoIdentityProviderService.InitiateAuth',
    contentType: 'application/x-amz-json-1.1',
    body: {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: server.demo.clientId,
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    },
  });
});

test('a wrong password shows an alert', async ({ page, server, user }) => {
  await page.goto(widgetPath(server));
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(`${user.password}-wrong`);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');
  await expect(page.getByRole('status')).toHaveText('');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();

  const scan = await new AxeBuilder({ page }).analyze();
  expect(scan.violations).toEqual([]);
});

test('an unconfirmed account is told so', async ({ page, server }) => {
  const username = `unconfirmed-${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(6).toString('hex')}-Aa1!`;
  await cognito(server.demo.endpoint, 'SignUp', {
    ClientId: server.demo.clientId,
    Username: username,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });

  await page.goto(widgetPath(server));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('alert')).toHaveText('Your account is not confirmed yet.');
});

test('the sign-in form has no axe violations', async ({ page, server }) => {
  await page.goto(widgetPath(server));
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();

  const scan = await new AxeBuilder({ page }).analyze();
  expect(scan.violations).toEqual([]);
});
