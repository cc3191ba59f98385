// Test pools for the MFA and device specs: a pool with MFA and email codes, its members signed up
// and confirmed through the API, and the widget's sign-in form filled in.
import { randomBytes } from 'node:crypto';

import type { Page } from '@playwright/test';

import { admin } from './admin';
import { cognito, latestCode } from './cognito';
import type { RunningServer } from './server';

export interface Pool {
  userPoolId: string;
  clientId: string;
}

/** A pool (email alias, auto-verified, plus `settings`) with MFA `mode`, offering the app and
 * email codes, and a public client that signs in with SRP or a password. */
export async function mfaPool(
  server: RunningServer,
  mode: 'ON' | 'OPTIONAL',
  email = true,
  settings: Record<string, unknown> = {},
): Promise<Pool> {
  const call = <T>(op: string, body: unknown) => admin<T>(server.demo.endpoint, server.demo.region, op, body);
  const pool = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
    PoolName: `mfa-${randomBytes(3).toString('hex')}`,
    AutoVerifiedAttributes: ['email'],
    AliasAttributes: ['email'],
    ...settings,
  });
  const userPoolId = pool.UserPool.Id;
  await call('SetUserPoolMfaConfig', {
    UserPoolId: userPoolId,
    MfaConfiguration: mode,
    SoftwareTokenMfaConfiguration: { Enabled: true },
    ...(email ? { EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } } : {}),
  });
  const client = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  return { userPoolId, clientId: client.UserPoolClient.ClientId };
}

/** A confirmed user of `pool`; returns name and password. */
export async function member(server: RunningServer, pool: Pool): Promise<{ username: string; password: string }> {
  const username = `mfa-${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(6).toString('hex')}-Aa1!`;
  const endpoint = server.demo.endpoint;
  await cognito(endpoint, 'SignUp', {
    ClientId: pool.clientId, Username: username, Password: password,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  await cognito(endpoint, 'ConfirmSignUp', {
    ClientId: pool.clientId, Username: username, ConfirmationCode: await latestCode(server.baseURL, username),
  });
  return { username, password };
}

/** Fills the sign-in form and submits it. */
export async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
