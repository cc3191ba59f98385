// Languages: from the `locale` setting or the browser's languages; Arabic lays out right to
// left and passes axe-core.
import { expect, test } from '../fixtures';
import { expectAccessible, hostedPage, screenshot } from '../pages';

test('Arabic renders right to left', async ({ page, server }, testInfo) => {
  await page.goto(hostedPage(server, { locale: 'ar' }));
  await expect(page.getByRole('heading', { name: 'تسجيل الدخول' })).toBeVisible();
  const widget = page.locator('.cognate');
  await expect(widget).toHaveAttribute('dir', 'rtl');
  await expect(widget).toHaveAttribute('lang', 'ar');
  // Right to left: the username label sits at the right edge of its field.
  const label = await page.getByText('اسم المستخدم').boundingBox();
  const input = await page.getByLabel('اسم المستخدم').boundingBox();
  expect(Math.abs(label!.x + label!.width - (input!.x + input!.width))).toBeLessThan(2);
  await expectAccessible(page);
  await screenshot(page, testInfo, 'sign-in-ar');
});

test.describe('with a German browser', () => {
  test.use({ locale: 'de-DE' });

  test('the browser language is used when no locale is set', async ({ page, server }) => {
    await page.goto(hostedPage(server));
    await expect(page.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
    await expect(page.getByLabel('Passwort', { exact: true })).toBeVisible();
  });
});
