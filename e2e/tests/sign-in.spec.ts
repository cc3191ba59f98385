// Sign-in through the hosted page against the real server: what is sent (SRP), the busy state, errors
// next to their field, lockout, unconfirmed accounts, show/hide password, keyboard-only use.
import { randomBytes } from 'node:crypto';

import { admin } from '../admin';
import { cognito } from '../cognito';
import { expect, test } from '../fixtures';
import { expectAccessible, hostedPage, screenshot } from '../pages';

test('signs in a confirmed user with SRP: the password never leaves the page', async ({ page, server, user }) => {
  // Hold the InitiateAuth request to observe the busy state, and record what the widget sends.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const sent: { target?: string; contentType?: string; body: Record<string, unknown> }[] = [];
  await page.route(
    (url) => url.pathname === '/',
    async (route) => {
      const request = route.request();
      if (request.method() === 'POST') {
        sent.push({
          target: request.headers()['x-amz-target'],
          contentType: request.headers()['content-type'],
          body: request.postDataJSON(),
        });
        if (sent.length === 1) await held;
      }
      await route.continue();
    },
  );

  await page.goto(hostedPage(server));
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('button', { name: 'Signing in…' })).toBeDisabled();
  await expect(page.locator('form')).toHaveAttribute('aria-busy', 'true');
  release();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  expect(sent.map((request) => request.target)).toEqual([
    'AWSCognitoIdentityProviderService.InitiateAuth',
    'AWSCognitoIdentityProviderService.RespondToAuthChallenge',
  ]);
  expect(sent.every((request) => request.contentType === 'application/x-amz-json-1.1')).toBe(true);
  expect(sent[0].body).toEqual({
    ClientId: server.demo.clientId,
    AuthFlow: 'USER_SRP_AUTH',
    AuthParameters: { USERNAME: user.username, SRP_A: expect.stringMatching(/^[0-9a-f]{700,}$/) },
  });
  expect(sent[1].body).toEqual({
    ClientId: server.demo.clientId,
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: expect.any(String),
    ChallengeResponses: {
      USERNAME: user.username,
      PASSWORD_CLAIM_SECRET_BLOCK: expect.any(String),
      PASSWORD_CLAIM_SIGNATURE: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      TIMESTAMP: expect.stringMatching(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} UTC \d{4}$/),
    },
  });
  expect(JSON.stringify(sent)).not.toContain(user.password);
});

test('a wrong password is reported next to the password field', async ({ page, server, user }, testInfo) => {
  await page.goto(hostedPage(server));
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(`${user.password}-wrong`);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const password = page.getByLabel('Password', { exact: true });
  await expect(page.getByRole('alert')).toHaveText('Incorrect username or password.');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription('Incorrect username or password.');
  await expect(password).toBeFocused();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'sign-in-error');
});

test('after five wrong passwords the account is locked for a while', async ({ page, server, user }) => {
  // Told only by a client that reveals which users exist (LEGACY): where they are hidden, as with
  // the demo client, a locked account answers as a wrong password does.
  const created = await admin<{ UserPoolClient: { ClientId: string } }>(
    server.demo.endpoint,
    server.demo.region,
    'CreateUserPoolClient',
    {
      UserPoolId: server.demo.userPoolId,
      ClientName: 'legacy',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'LEGACY',
    },
  );
  const clientId = created.UserPoolClient.ClientId;
  await page.goto(hostedPage(server, { clientId }));
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  // Failures through the API until the lockout delay (1 s after the fifth, doubling after each
  // further failure) is long enough to cover the widget's SRP round trips.
  for (let attempt = 0; attempt < 7; attempt++) {
    if (attempt >= 5) await new Promise((resolve) => setTimeout(resolve, 1100 * 2 ** (attempt - 5)));
    await expect(
      cognito(server.demo.endpoint, 'InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.username, PASSWORD: 'Wrong-password-1!' },
      }),
    ).rejects.toThrow('NotAuthorizedException');
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Too many failed attempts. Wait a while, then try again.');
});

test('an unconfirmed account is sent a new code and asked for it', async ({ page, server }) => {
  const username = `unconfirmed-${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(6).toString('hex')}-Aa1!`;
  await cognito(server.demo.endpoint, 'SignUp', {
    ClientId: server.demo.clientId,
    Username: username,
    Password: password,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });

  await page.goto(hostedPage(server));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('heading', { name: 'Confirm your account' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Your account is not confirmed yet' })).toBeVisible();
});

test('the password can be shown and hidden', async ({ page, server }) => {
  await page.goto(hostedPage(server));
  const password = page.getByLabel('Password', { exact: true });
  const toggle = page.getByRole('button', { name: 'Show password' });
  await password.fill('secret');
  await expect(password).toHaveAttribute('type', 'password');
  await toggle.click();
  await expect(password).toHaveAttribute('type', 'text');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(password).toHaveAttribute('type', 'password');
});

test('works from the keyboard alone', async ({ page, server, user }) => {
  await page.goto(hostedPage(server));
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.keyboard.type(user.username);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
});

test('a configuration with a client secret is refused', async ({ page, server }) => {
  await page.goto(hostedPage(server, { clientSecret: 'shh' }));
  await expect(page.getByRole('alert')).toContainText('browsers cannot keep secrets');
  await expect(page.getByLabel('Username')).toHaveCount(0);
});
