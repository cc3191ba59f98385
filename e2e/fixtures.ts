// Test fixtures: one real Cognate server per worker, `baseURL` pointing at it, and a freshly
// signed-up, confirmed user per test.
import { test as base } from '@playwright/test';
import { randomBytes } from 'node:crypto';

import { cognito, latestCode } from './cognito';
import { startServer, type RunningServer } from './server';

export interface User {
  username: string;
  email: string;
  password: string;
}

export const test = base.extend<{ user: User }, { server: RunningServer }>({
  server: [
    async ({}, use) => {
      const server = await startServer();
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  baseURL: async ({ server }, use) => {
    await use(server.baseURL);
  },

  /** Signs a user up through the API and confirms it with the code from the dev mailbox. */
  user: async ({ server }, use) => {
    const { endpoint, clientId } = server.demo;
    const username = `user-${randomBytes(4).toString('hex')}`;
    const user = {
      username,
      email: `${username}@example.com`,
      password: `Pw-${randomBytes(6).toString('hex')}-Aa1!`,
    };
    await cognito(endpoint, 'SignUp', {
      ClientId: clientId,
      Username: user.username,
      Password: user.password,
      UserAttributes: [{ Name: 'email', Value: user.email }],
    });
    const code = await latestCode(server.baseURL, user.username);
    await cognito(endpoint, 'ConfirmSignUp', {
      ClientId: clientId,
      Username: user.username,
      ConfirmationCode: code,
    });
    await use(user);
  },
});

export { expect } from '@playwright/test';
