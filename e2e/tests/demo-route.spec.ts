// The URL the start-up banner prints for the demo host page loads the widget.
import { expect, test } from '../fixtures';

test('/demo opens the demo host page with a working widget', async ({ page }) => {
  await page.goto('/demo');
  await expect(page).toHaveURL(/\/widget\/demo\.html$/);
  await expect(page.getByRole('heading', { name: 'Sign in', exact: true })).toBeVisible();
});
