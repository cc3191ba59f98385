// Tabs share the session without it touching the disk: a new tab of the same site receives the
// session from an open one (sessionStorage is per tab), and signing out in one tab signs out
// the others.
import { expect, test } from '../fixtures';
import { demoPage, hostEvents } from '../pages';

test('a new tab gets the session, and sign-out reaches every tab', async ({ context, server, user }) => {
  const first = await context.newPage();
  await first.goto(demoPage());
  await first.getByLabel('Username').fill(user.username);
  await first.getByLabel('Password', { exact: true }).fill(user.password);
  await first.getByRole('button', { name: 'Sign in' }).click();
  await expect(first.getByText(`Signed in as ${user.username}`)).toBeVisible();

  const second = await context.newPage();
  await second.goto(demoPage());
  await expect(second.getByText(`Signed in as ${user.username}`)).toBeVisible();
  const [event] = await hostEvents(second);
  expect(event.type).toBe('cognate:signed-in');
  expect(event.detail?.username).toBe(user.username);
  // Still nothing on disk: the second tab keeps its copy in its own sessionStorage.
  expect(await second.evaluate(() => localStorage.length)).toBe(0);

  await second.getByRole('button', { name: 'Sign out' }).click();
  await expect(second.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(first.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(first.getByRole('status').filter({ hasText: 'You have signed out.' })).toBeVisible();
  expect((await hostEvents(first)).at(-1)?.type).toBe('cognate:signed-out');
  expect(await first.evaluate(() => sessionStorage.length)).toBe(0);
});
