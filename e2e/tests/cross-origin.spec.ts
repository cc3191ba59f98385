// The widget embedded in a page of another origin: the host page (served here by a small Node
// server on its own port and host name) loads the widget's script, wasm and stylesheet from the
// Cognate server, signs in against it, and hears the `cognate:signed-in` event.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { expect, test } from '../fixtures';

function hostPage(cognate: string, clientId: string, poolId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Another app</title>
  <link rel="stylesheet" href="${cognate}/widget/cognate.css">
  <script type="module" src="${cognate}/widget/cognate.js"></script>
</head>
<body>
  <main>
    <h1>Another app</h1>
    <cognate-sign-in client-id="${clientId}" user-pool-id="${poolId}" endpoint="${cognate}/"></cognate-sign-in>
    <p id="events" aria-live="polite"></p>
  </main>
  <script>
    document.addEventListener('cognate:signed-in', (event) => {
      document.getElementById('events').textContent =
        'host heard: signed in as ' + event.detail.username;
    });
  </script>
</body>
</html>`;
}

test('a page of another origin embeds the widget and signs in', async ({ page, server, user }) => {
  const html = hostPage(server.baseURL, server.demo.clientId, server.demo.userPoolId);
  const host: Server = createServer((request, response) => {
    response.writeHead(request.url === '/' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(request.url === '/' ? html : 'not found');
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const port = (host.address() as AddressInfo).port;
  try {
    const hostOrigin = `http://127.0.0.1:${port}`;
    expect(new URL(hostOrigin).origin).not.toBe(new URL(server.baseURL).origin);
    await page.goto(`${hostOrigin}/`);
    await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    await expect(page.locator('#events')).toHaveText(`host heard: signed in as ${user.username}`);
  } finally {
    await new Promise<void>((resolve) => host.close(() => resolve()));
  }
});
