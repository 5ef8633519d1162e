// Allocates in the page until the container's memory limit kills Chromium's renderer: the run must end oom, not hang.
import { test } from '@playwright/test';

test('hogs memory in the page', async ({ page }) => {
  await page.setContent('<h1>hog</h1>');
  await page.evaluate(() => { const keep: number[][] = []; for (;;) keep.push(new Array(1_000_000).fill(Math.random())); });
});
