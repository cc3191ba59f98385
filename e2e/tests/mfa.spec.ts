// Multi-factor sign-in in the widget against pools with MFA: adding an authenticator app from
// the signed-in view (the key read from the page, codes computed here per RFC 6238) and signing
// in with it; an email code from the dev mailbox; choosing between two factors; and the forced
// authenticator setup of a pool with MFA ON — also on the hosted login page. Screens pass axe-core.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { admin } from '../admin';
import { cognito, latestCode } from '../cognito';
import { expect, test } from '../fixtures';
import { expectAccessible, hostedPage, screenshot } from '../pages';
import { member, mfaPool, signIn } from '../pools';

/** An RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 key, `step` steps from now. */
function totp(key: string, step = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of key.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const secret = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test('add an authenticator app from the signed-in view, then sign in with it', async ({ page, server }, testInfo) => {
  const pool = await mfaPool(server, 'OPTIONAL');
  const { username, password } = await member(server, pool);
  await page.goto(hostedPage(server, { clientId: pool.clientId, userPoolId: pool.userPoolId }));
  await signIn(page, username, password);
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  await page.getByRole('button', { name: 'Sign-in security' }).click();
  await expect(page.getByRole('heading', { name: 'Sign-in security' })).toBeVisible();
  await expect(page.getByText('Authenticator app: Off')).toBeVisible();
  await page.getByRole('button', { name: 'Set up' }).click();
  await expect(page.getByRole('img', { name: 'Sign-in security' }).or(page.locator('#cognate-qr svg'))).toBeVisible();
  const key = (await page.locator('.cognate-key').textContent()) ?? '';
  expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32,}$/);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'authenticator-setup');
  await page.getByLabel('Code from the app').fill(totp(key));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Authenticator app: On (Preferred)')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, username, password);
  await expect(page.getByRole('heading', { name: "Verify it's you" })).toBeVisible();
  await expect(page.getByText('Enter the code from your authenticator app.')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert')).toContainText('That code is not right');
  await page.getByLabel('Code').fill(totp(key, 1)); // the next step: the setup code is spent
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
});

test('an email code, and a choice between two factors', async ({ page, server }, testInfo) => {
  const pool = await mfaPool(server, 'OPTIONAL');
  const { username, password } = await member(server, pool);
  const call = (op: string, body: unknown) => admin(server.demo.endpoint, server.demo.region, op, body);
  await call('AdminSetUserMFAPreference', {
    UserPoolId: pool.userPoolId, Username: username, EmailMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  await page.goto(hostedPage(server, { clientId: pool.clientId, userPoolId: pool.userPoolId }));
  await signIn(page, username, password);
  await expect(page.getByText(/We sent a code to .+@.+\./)).toBeVisible();
  await page.getByLabel('Code').fill(await latestCode(server.baseURL, username, 1));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  // Add the app through the API too, with no preferred factor: the next sign-in asks which.
  const tokens = await cognito<{ AuthenticationResult?: { AccessToken: string }; Session?: string }>(
    server.demo.endpoint, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: username, PASSWORD: password },
    });
  const answered = await cognito<{ AuthenticationResult: { AccessToken: string } }>(
    server.demo.endpoint, 'RespondToAuthChallenge', {
      ClientId: pool.clientId, ChallengeName: 'EMAIL_OTP', Session: tokens.Session,
      ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: await latestCode(server.baseURL, username, 2) },
    });
  const access = answered.AuthenticationResult.AccessToken;
  const { SecretCode } = await cognito<{ SecretCode: string }>(server.demo.endpoint, 'AssociateSoftwareToken', { AccessToken: access });
  await cognito(server.demo.endpoint, 'VerifySoftwareToken', { AccessToken: access, UserCode: totp(SecretCode) });
  await call('AdminSetUserMFAPreference', {
    UserPoolId: pool.userPoolId, Username: username,
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false }, EmailMfaSettings: { Enabled: true, PreferredMfa: false },
  });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, username, password);
  await expect(page.getByText('How do you want to verify your sign-in?')).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, 'select-mfa-type');
  await page.getByRole('button', { name: 'Email code' }).click();
  await expect(page.getByText(/We sent a code to .+@.+\./)).toBeVisible();
  await page.getByLabel('Code').fill(await latestCode(server.baseURL, username, 3));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
});

test('a pool with MFA ON walks a new user through authenticator setup', async ({ page, server }, testInfo) => {
  const pool = await mfaPool(server, 'ON', false);
  const { username, password } = await member(server, pool);
  await page.goto(hostedPage(server, { clientId: pool.clientId, userPoolId: pool.userPoolId }));
  await signIn(page, username, password);
  await expect(page.getByRole('heading', { name: 'Set up an authenticator app' })).toBeVisible();
  await expect(page.locator('#cognate-qr svg')).toBeVisible();
  const key = (await page.locator('.cognate-key').textContent()) ?? '';
  await expectAccessible(page);
  await screenshot(page, testInfo, 'mfa-setup');
  await page.getByLabel('Code').fill(totp(key));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
});

test('the hosted login page asks for the same MFA setup before redirecting', async ({ page, server }) => {
  const pool = await mfaPool(server, 'ON', false);
  const { username, password } = await member(server, pool);
  const app = createServer((_, response) => response.end('back in the app'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
  const client = await admin<{ UserPoolClient: { ClientId: string } }>(
    server.demo.endpoint, server.demo.region, 'CreateUserPoolClient', {
      UserPoolId: pool.userPoolId, ClientName: 'oauth', AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [callback],
    });
  const query = new URLSearchParams({
    response_type: 'code', client_id: client.UserPoolClient.ClientId, redirect_uri: callback, state: 's',
    code_challenge: 'a'.repeat(43), code_challenge_method: 'S256',
  });
  await page.goto(`${server.baseURL}/oauth2/authorize?${query}`);
  await signIn(page, username, password);
  await expect(page.getByRole('heading', { name: 'Set up an authenticator app' })).toBeVisible();
  const key = (await page.locator('.cognate-key').textContent()) ?? '';
  await expectAccessible(page);
  await page.getByLabel('Code').fill(totp(key));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL((url) => url.href.startsWith(callback));
  expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
  await expect(page.getByText('back in the app')).toBeVisible();
  await new Promise((resolve) => app.close(resolve));
});
