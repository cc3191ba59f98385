// The hosted login page and the OAuth redirect flow, from a host app on another origin (a small
// Node server on its own port): signInWithRedirect() sends the user to the hosted page, they
// sign in (or sign up) there and come back with tokens the widget checked (state, iss, the ID
// token's signature, nonce) and stored; a second sign-in reuses the hosted session; logout ends
// it; an unregistered redirect URI gets the error page; a replayed code fails; a tampered state
// shows an error without any token request. The hosted pages pass axe-core and send the
// security headers. With `refresh-cookie` the refresh token stays in an HttpOnly cookie the page
// never sees, and refresh and sign-out go through it.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Page } from '@playwright/test';

import { admin } from '../admin';
import { latestCode } from '../cognito';
import { expect, test } from '../fixtures';
import { expectAccessible, screenshot } from '../pages';
import type { RunningServer } from '../server';

interface HostApp {
  origin: string;
  clientId: string;
  close: () => Promise<void>;
}

function hostPage(cognate: string, clientId: string, poolId: string, attributes = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Relying app</title>
  <link rel="stylesheet" href="${cognate}/widget/cognate.css">
</head>
<body>
  <main>
    <h1>Relying app</h1>
    <button id="redirect" type="button" disabled>Sign in with the hosted page</button>
    <button id="logout" type="button" disabled>Sign out everywhere</button>
    <cognate-sign-in client-id="${clientId}" user-pool-id="${poolId}" endpoint="${cognate}/" ${attributes}></cognate-sign-in>
    <p id="events" aria-live="polite"></p>
  </main>
  <script type="module">
    const widget = await import('${cognate}/widget/cognate.js');
    const element = document.querySelector('cognate-sign-in');
    document.getElementById('redirect').onclick = () => widget.signInWithRedirect(element);
    document.getElementById('logout').onclick = () =>
      widget.signOutWithRedirect(element, { logoutUri: location.origin + '/signed-out' });
    for (const button of document.querySelectorAll('button[disabled]')) button.disabled = false;
  </script>
  <script>
    document.addEventListener('cognate:signed-in', (event) => {
      document.getElementById('events').textContent = 'host heard: signed in as ' + event.detail.username;
    });
  </script>
</body>
</html>`;
}

/** Serves the relying app and registers its OAuth client with the demo pool. The app's host is
 * 127.0.0.1 (another site than the server's `localhost`) unless `sameSite` asks for `localhost`. */
async function startHostApp(server: RunningServer, attributes = '', sameSite = false): Promise<HostApp> {
  let html = '';
  const host: Server = createServer((request, response) => {
    const page = new URL(request.url ?? '/', 'http://x').pathname;
    if (page === '/' || page === '/signed-out') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page === '/' ? html : '<!doctype html><title>Signed out</title><h1>Signed out</h1>');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const origin = `http://${sameSite ? 'localhost' : '127.0.0.1'}:${(host.address() as AddressInfo).port}`;
  const created = await admin<{ UserPoolClient: { ClientId: string } }>(
    server.demo.endpoint, server.demo.region, 'CreateUserPoolClient', {
      UserPoolId: server.demo.userPoolId,
      ClientName: 'relying-app',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`${origin}/`],
      LogoutURLs: [`${origin}/signed-out`],
    });
  const clientId = created.UserPoolClient.ClientId;
  html = hostPage(server.baseURL, clientId, server.demo.userPoolId, attributes);
  return { origin, clientId, close: () => new Promise((resolve) => host.close(() => resolve())) };
}

async function signInOnHostedPage(page: Page, username: string, password: string) {
  await page.waitForURL(/\/login\?/);
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('redirect sign-in through the hosted page, session reuse, logout', async ({ page, server, user }, testInfo) => {
  const app = await startHostApp(server);
  try {
    await page.goto(`${app.origin}/`);
    const hosted = page.waitForResponse((r) => r.url().startsWith(`${server.baseURL}/login?`));
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    const response = await hosted;
    const headers = response.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    await expectAccessible(page);
    await screenshot(page, testInfo, 'hosted-sign-in');

    await signInOnHostedPage(page, user.username, user.password);
    await page.waitForURL(`${app.origin}/`);
    await expect(page.locator('#events')).toHaveText(`host heard: signed in as ${user.username}`);
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    expect(page.url()).not.toContain('code=');
    const session = await page.evaluate(() => (document.querySelector('cognate-sign-in') as unknown as {
      getSession: () => { idToken: string } | null }).getSession());
    expect(session?.idToken.split('.')).toHaveLength(3);

    // Signed out here only: the hosted session lets the next redirect skip the form.
    await page.evaluate(() => (document.querySelector('cognate-sign-in') as unknown as {
      signOut: () => Promise<void> }).signOut());
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL(`${app.origin}/`);
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

    // Logout ends the hosted session: the next redirect asks again.
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${app.origin}/signed-out`);
    await page.goto(`${app.origin}/`);
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${server.baseURL}/login?`));
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  } finally {
    await app.close();
  }
});

test('sign up on the hosted page and come back signed in', async ({ page, server }) => {
  const app = await startHostApp(server);
  const username = `hosted-${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(6).toString('hex')}-Aa1!`;
  try {
    await page.goto(`${app.origin}/`);
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL(/\/login\?/);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { name: 'Confirm your account' })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel('Code').fill(await latestCode(server.baseURL, username));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.origin}/`);
    await expect(page.locator('#events')).toHaveText(`host heard: signed in as ${username}`);
  } finally {
    await app.close();
  }
});

test('refusals: unregistered redirect URI, replayed code, tampered state', async ({ page, server, user }) => {
  const app = await startHostApp(server);
  try {
    const wrong = await page.goto(
      `${server.baseURL}/oauth2/authorize?response_type=code&client_id=${app.clientId}` +
        `&redirect_uri=${encodeURIComponent('https://evil.example/')}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
    );
    expect(wrong?.status()).toBe(400);
    await expect(page.getByRole('heading', { name: 'Sign-in request refused' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('not registered');
    await expectAccessible(page);

    // The code the browser brought back (read from the widget's exchange) cannot be used twice.
    await page.goto(`${app.origin}/`);
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    const exchange = page.waitForRequest(
      (r) => r.url() === `${server.baseURL}/oauth2/token` && r.method() === 'POST',
    );
    await signInOnHostedPage(page, user.username, user.password);
    const sent = new URLSearchParams((await exchange).postData() ?? '');
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    const code = sent.get('code') ?? '';
    expect(code).not.toBe('');
    const replay = await fetch(`${server.baseURL}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: app.clientId,
        redirect_uri: `${app.origin}/`, code_verifier: 'x'.repeat(43) }),
    });
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toBe('invalid_grant');

    // A return whose state is not this tab's attempt: an error, and no token request.
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${app.origin}/`);
    const tokenRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/oauth2/token')) tokenRequests.push(request.url());
    });
    await page.evaluate(() => {
      sessionStorage.setItem('cognate:oauth', JSON.stringify({ state: 'the-real-state', clientId: 'x',
        issuer: 'x', tokenEndpoint: '/oauth2/token', jwksUri: 'x', redirectUri: location.href, verifier: 'v', nonce: 'n' }));
    });
    await page.goto(`${app.origin}/?code=stolen&state=tampered`);
    await expect(page.getByRole('alert')).toContainText('did not match this sign-in attempt');
    expect(tokenRequests).toEqual([]);
    expect(page.url()).not.toContain('code=');
  } finally {
    await app.close();
  }
});

test('lang picks the hosted page language and /signup opens on sign-up', async ({ page, server }) => {
  const app = await startHostApp(server);
  try {
    const query = new URLSearchParams({
      response_type: 'code', client_id: app.clientId, redirect_uri: `${app.origin}/`,
      code_challenge: 'a'.repeat(43), code_challenge_method: 'S256',
    });
    await page.goto(`${server.baseURL}/login?${query}&lang=fr`);
    await expect(page.getByRole('heading', { name: 'Se connecter' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await page.goto(`${server.baseURL}/signup?${query}`);
    await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
    await expectAccessible(page);
  } finally {
    await app.close();
  }
});

test('refresh-cookie: the refresh token stays in an HttpOnly cookie; refresh and sign-out use it', async ({ page, server, user }) => {
  // SameSite=Strict: the cookie only works for an app on the server's site (another port is fine).
  const app = await startHostApp(server, 'refresh-cookie', true);
  try {
    await page.goto(`${app.origin}/`);
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    const exchange = page.waitForResponse((r) => r.url() === `${server.baseURL}/oauth2/token`);
    await signInOnHostedPage(page, user.username, user.password);
    const answer = await (await exchange).json();
    expect(answer.access_token).toBeTruthy();
    expect(answer.refresh_token).toBeUndefined();
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

    const name = `cognate-refresh-${app.clientId}`;
    const cookie = (await page.context().cookies(server.baseURL + '/oauth2/token')).find((c) => c.name === name);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/oauth2/' });
    const key = `cognate:${app.clientId}`;
    const stored = () => page.evaluate((k) => JSON.parse(sessionStorage.getItem(k) ?? 'null'), key);
    const before = await stored();
    expect(before.refreshToken).toBe(`cognate:cookie:${server.baseURL}/oauth2/token`);
    expect(JSON.stringify(before)).not.toContain(cookie?.value ?? 'no cookie');

    // Make the tokens due for refresh and reload: the widget refreshes through the cookie.
    await page.evaluate((k) => {
      const session = JSON.parse(sessionStorage.getItem(k) ?? '{}');
      session.issuedAt = Date.now() - 3_540_000;
      session.expiresAt = Date.now() + 60_000;
      sessionStorage.setItem(k, JSON.stringify(session));
    }, key);
    const refreshed = page.waitForRequest((r) => r.url() === `${server.baseURL}/oauth2/token`);
    await page.reload();
    const request = await refreshed;
    expect(request.headers()['x-cognate-refresh-cookie']).toBe('1');
    expect(new URLSearchParams(request.postData() ?? '').get('grant_type')).toBe('refresh_token');
    expect(request.postData()).not.toContain('refresh_token=');
    await expect.poll(async () => (await stored())?.accessToken).not.toBe(before.accessToken);
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

    // Sign-out revokes through the cookie and clears it.
    const revoked = page.waitForResponse((r) => r.url() === `${server.baseURL}/oauth2/revoke`);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    expect((await revoked).status()).toBe(200);
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    const left = await page.context().cookies(server.baseURL + '/oauth2/token');
    expect(left.find((c) => c.name === name)).toBeUndefined();
  } finally {
    await app.close();
  }
});
