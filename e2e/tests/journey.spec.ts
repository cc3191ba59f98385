// The whole journey on the demo host page, which embeds <cognate-sign-in> like any web page:
// sign up → confirm with the mailed code → sign in → the host hears `cognate:signed-in` with
// tokens that verify against the pool's JWKS → a reload keeps the session → a refresh happens
// before expiry (the page clock is moved forward) → sign out. Every screen passes axe-core and
// is kept as a screenshot.
import { randomBytes } from 'node:crypto';

import { latestCode } from '../cognito';
import { expect, test } from '../fixtures';
import { verifyJwt } from '../jwks';
import { demoPage, expectAccessible, hostEvents, screenshot } from '../pages';

test('sign up, confirm, sign in, reload, refresh and sign out on a host page', async ({ page, server }, testInfo) => {
  const username = `journey-${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(6).toString('hex')}-Aa1!`;
  const issuer = `${server.baseURL}/${server.demo.userPoolId}`;
  // A controllable clock: time flows normally until the test moves it forward.
  await page.clock.install();
  await page.goto(demoPage());
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'demo-sign-in');

  // Sign up: the password rules follow the typing.
  await page.getByRole('button', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await expect(page.getByLabel('Username')).toBeFocused();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  const rules = page.getByRole('list');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await expect(rules.getByRole('listitem').filter({ hasText: 'at least 8 characters' })).toContainText('missing');
  await expect(rules.getByRole('listitem').filter({ hasText: 'a lowercase letter' })).toContainText('done');
  await page.getByLabel('Password', { exact: true }).fill(password);
  await expect(rules.getByRole('listitem').filter({ hasText: 'missing' })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();

  // Confirm with the code from the dev mailbox; resend waits for its cooldown.
  await expect(page.getByRole('heading', { name: 'Confirm your account' })).toBeVisible();
  await expect(page.getByText(/We sent a code to .+\./)).toBeVisible();
  await expect(page.getByRole('button', { name: /Resend code in \d+ s/ })).toBeDisabled();
  await expect(page.getByLabel('Code')).toBeFocused();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'confirm-sign-up');
  await page.getByLabel('Code').fill(await latestCode(server.baseURL, username));
  await page.getByRole('button', { name: 'Confirm' }).click();

  // Sign in, the user name already filled in.
  await expect(page.getByRole('status').filter({ hasText: 'Your account is confirmed' })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'signed-in');

  // The host page heard the event; its tokens verify against the JWKS.
  const [signedIn] = await hostEvents(page);
  expect(signedIn.type).toBe('cognate:signed-in');
  const session = signedIn.detail!;
  expect(session).not.toHaveProperty('refreshToken');
  const idClaims = await verifyJwt(session.idToken, issuer);
  expect(idClaims).toMatchObject({ token_use: 'id', 'cognito:username': username, aud: server.demo.clientId });
  const accessClaims = await verifyJwt(session.accessToken, issuer);
  expect(accessClaims).toMatchObject({ token_use: 'access', client_id: server.demo.clientId });

  // A reload keeps the session (sessionStorage), and the element's API returns it.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  const restored = await page.evaluate(() =>
    (document.querySelector('cognate-sign-in') as unknown as { getSession(): { accessToken: string } }).getSession(),
  );
  expect(restored.accessToken).toBe(session.accessToken);

  // Fifty-six minutes later (the demo client's tokens live an hour) the widget has refreshed.
  await page.clock.fastForward('56:00');
  await expect.poll(async () => (await hostEvents(page)).map((event) => event.type)).toContain('cognate:token-refreshed');
  const refreshed = (await hostEvents(page)).find((event) => event.type === 'cognate:token-refreshed')!.detail!;
  expect(refreshed.accessToken).not.toBe(session.accessToken);
  await verifyJwt(refreshed.accessToken, issuer);
  const fromApi = await page.evaluate(() =>
    (document.querySelector('cognate-sign-in') as unknown as { getAccessToken(): Promise<string> }).getAccessToken(),
  );
  expect(fromApi).toBe(refreshed.accessToken);

  // Sign out: the refresh token is revoked, the session forgotten, the host told.
  const revoke = page.waitForRequest(
    (request) => request.headers()['x-amz-target'] === 'AWSCognitoIdentityProviderService.RevokeToken',
  );
  await page.getByRole('button', { name: 'Sign out' }).click();
  await revoke;
  await expect(page.getByRole('status').filter({ hasText: 'You have signed out.' })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue(username);
  expect((await hostEvents(page)).at(-1)).toEqual({ type: 'cognate:signed-out', detail: null });
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
});
