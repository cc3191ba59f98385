// AWS credentials from the demo identity pool on the demo host page (getCredentials()):
// signed out, a guest identity with the guest role; signed in, the user's own identity with the
// user role; signed out again, the kept guest identity. Each set of credentials signs a request
// (SigV4, Node crypto) that the server's admin DescribeRequestSigner attributes to the expected
// identity and role. Credentials are reused until 5 minutes before expiry, then renewed; errors
// reject named after the Cognito exception.
import type { Page } from '@playwright/test';

import { admin, signV4 } from '../admin';
import { expect, test } from '../fixtures';
import { demoPage, expectAccessible, screenshot } from '../pages';
import type { RunningServer } from '../server';

interface PageCredentials {
  identityId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

interface Signer {
  AccessKeyId: string;
  IdentityId: string;
  IdentityPoolId: string;
  RoleArn: string;
  Expired: boolean;
}

/** Presses "Get AWS credentials" and returns what getCredentials() resolved to. */
async function pressGetCredentials(page: Page, role: 'guest' | 'user'): Promise<PageCredentials> {
  await page.evaluate(() => delete (window as unknown as { cognateCredentials?: unknown }).cognateCredentials);
  await page.getByRole('button', { name: 'Get AWS credentials' }).click();
  await page.waitForFunction(() => (window as unknown as { cognateCredentials?: unknown }).cognateCredentials);
  const output = page.locator('#credentials');
  await expect(output).toContainText(new RegExp(`role:\\s+${role} \\(`));
  await expect(output).toContainText(/access key id: ASIA[A-Z2-7]{16}/);
  return page.evaluate(() => {
    const c = (window as unknown as { cognateCredentials: Record<string, unknown> & { expiration: Date } })
      .cognateCredentials;
    return { ...c, expiration: c.expiration.toISOString() } as PageCredentials;
  });
}

/** Signs a PUT to S3 with the credentials and asks the server whose they are. */
async function signer(server: RunningServer, credentials: PageCredentials): Promise<Signer> {
  const { endpoint, region } = server.demo;
  const body = 'hello';
  const request = { method: 'PUT', path: '/key.txt', headers: { host: 'bucket.example.com' }, body };
  const headers = signV4(request, credentials, region, 's3');
  return admin<Signer>(
    endpoint,
    region,
    'DescribeRequestSigner',
    { Method: 'PUT', Path: '/key.txt', Query: '', Headers: headers, Body: body },
    'AWSCognitoIdentityService',
  );
}

test('guest credentials signed out, the user role signed in, the guest again signed out', async ({
  page,
  server,
  user,
}, testInfo) => {
  const { identityPoolId, guestRoleArn, userRoleArn } = server.demo;
  await page.goto(demoPage());
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(page.getByText(`The identity pool ${identityPoolId} gives guests`)).toBeVisible();

  // Signed out: a guest identity, kept in sessionStorage with the widget's session.
  const guest = await pressGetCredentials(page, 'guest');
  expect(guest.identityId).toMatch(/^[a-z0-9-]+:[0-9a-f-]{36}$/);
  expect(new Date(guest.expiration).getTime() - Date.now()).toBeGreaterThan(55 * 60 * 1000);
  await expect(page.locator('#credentials')).toContainText(`identity id:   ${guest.identityId}`);
  await expect(page.locator('#credentials')).not.toContainText(guest.secretAccessKey);
  expect(await page.evaluate((key) => sessionStorage.getItem(key), `cognate:identity:${identityPoolId}:guest`)).toBe(
    guest.identityId,
  );
  const asGuest = await signer(server, guest);
  expect(asGuest).toMatchObject({
    AccessKeyId: guest.accessKeyId,
    IdentityId: guest.identityId,
    IdentityPoolId: identityPoolId,
    RoleArn: guestRoleArn,
    Expired: false,
  });
  await expectAccessible(page);
  await screenshot(page, testInfo, 'guest-credentials');

  // Asked again: the same credentials, from memory.
  const again = await pressGetCredentials(page, 'guest');
  expect(again.accessKeyId).toBe(guest.accessKeyId);

  // Signed in: the user's own identity and role.
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  const signedIn = await pressGetCredentials(page, 'user');
  expect(signedIn.identityId).not.toBe(guest.identityId);
  expect(signedIn.accessKeyId).not.toBe(guest.accessKeyId);
  const asUser = await signer(server, signedIn);
  expect(asUser).toMatchObject({ IdentityId: signedIn.identityId, RoleArn: userRoleArn, Expired: false });
  expect(asUser.RoleArn).not.toBe(asGuest.RoleArn);
  await page.getByText('Show them as shell variables').click();
  await expect(page.locator('#credentials-env')).toContainText(`AWS_SECRET_ACCESS_KEY=${signedIn.secretAccessKey}`);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'user-credentials');

  // A reload (the session restored) finds the same identity for the user.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  expect((await pressGetCredentials(page, 'user')).identityId).toBe(signedIn.identityId);

  // Signed out: guest credentials again, for the kept guest identity.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  const guestAgain = await pressGetCredentials(page, 'guest');
  expect(guestAgain.identityId).toBe(guest.identityId);
  expect(guestAgain.accessKeyId).not.toBe(guest.accessKeyId);
  expect((await signer(server, guestAgain)).RoleArn).toBe(guestRoleArn);
});

test('credentials are renewed within 5 minutes of their expiry', async ({ page }) => {
  await page.clock.install();
  await page.goto(demoPage());
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  const first = await pressGetCredentials(page, 'guest');
  await page.clock.fastForward('50:00');
  expect((await pressGetCredentials(page, 'guest')).accessKeyId).toBe(first.accessKeyId);
  await page.clock.fastForward('06:00');
  const renewed = await pressGetCredentials(page, 'guest');
  expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
  expect(renewed.identityId).toBe(first.identityId);
});

test('identity ids are kept where the widget keeps its session', async ({ page, server }) => {
  const key = `cognate:identity:${server.demo.identityPoolId}:guest`;
  const kept = () => page.evaluate((k) => [sessionStorage.getItem(k), localStorage.getItem(k)], key);
  await page.goto(demoPage({ storage: 'local' }));
  const local = await pressGetCredentials(page, 'guest');
  expect(await kept()).toEqual([null, local.identityId]);
  await page.evaluate(() => localStorage.clear());
  await page.goto(demoPage({ storage: 'memory' }));
  const memory = await pressGetCredentials(page, 'guest');
  expect(memory.identityId).not.toBe(local.identityId);
  expect(await kept()).toEqual([null, null]);
});

test('errors reject with the Cognito exception name', async ({ page, server }) => {
  const { endpoint, region, userPoolId, clientId } = server.demo;
  const membersOnly = await admin<{ IdentityPoolId: string }>(
    endpoint,
    region,
    'CreateIdentityPool',
    {
      IdentityPoolName: 'members only',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: `${new URL(endpoint).host}/${userPoolId}`, ClientId: clientId }],
    },
    'AWSCognitoIdentityService',
  );
  await page.goto(demoPage());
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  const attempt = async (identityPoolId: string) => {
    await page.locator('cognate-sign-in').evaluate((element, id) => element.setAttribute('identity-pool-id', id), identityPoolId);
    await page.getByRole('button', { name: 'Get AWS credentials' }).click();
    await expect(page.locator('#credentials')).not.toHaveText('Asking the identity pool…');
    return page.locator('#credentials').textContent();
  };
  expect(await attempt(membersOnly.IdentityPoolId)).toMatch(/^NotAuthorizedException: Unauthenticated access/);
  expect(await attempt(`${region}:00000000-0000-4000-8000-000000000000`)).toMatch(/^ResourceNotFoundException: /);
  await expect(page.locator('#credentials-shell')).toBeHidden();
});
