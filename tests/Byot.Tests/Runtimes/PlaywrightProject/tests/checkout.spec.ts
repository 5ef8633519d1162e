import { test, expect } from '@playwright/test';

// Fails on purpose: the shop's checkout shows no pay button, so the run fails with a screenshot of the page.
test('shows the pay button', async ({ page }) => {
  await page.goto('/checkout');
  await expect(page.getByRole('button', { name: 'Pay' })).toBeVisible({ timeout: 1_000 });
});
