import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  retries: 1,
  workers: 1,
  timeout: 20_000,
  use: { baseURL: 'http://127.0.0.1:4173' },
  webServer: { command: 'node server.js', url: 'http://127.0.0.1:4173/health', reuseExistingServer: false, timeout: 20_000 },
});
