// BYOT's Playwright config wrapper: the runtime's default command runs `playwright test --config <this file>`.
// It loads the project's own playwright.config.* from the working directory (/app) and adds only what the user
// has not set: the JSON and JUnit reporters into /artifacts (on top of the user's reporters, or `list`), screenshots
// on failure, traces on the first retry, and the output directory in /artifacts. Paths the user's config gives
// relative to its own directory are made absolute against that directory, as Playwright itself would.
// On BYOT's local image (BYOT_PLAYWRIGHT_CHROMIUM set) Chromium is Debian's, launched at that path.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const artifacts = process.env.BYOT_ARTIFACTS_DIR || '/artifacts';
const projectDir = process.cwd();
const names = ['ts', 'js', 'mts', 'mjs', 'cts', 'cjs'].map(ext => `playwright.config.${ext}`);
const found = names.map(name => path.join(projectDir, name)).find(file => fs.existsSync(file));
// Playwright's own loader, the one this run uses (the project's node_modules first, then the image's): it compiles a
// TypeScript config as Playwright would when it loads the config itself.
const playwrightTest = createRequire(path.join(projectDir, 'package.json')).resolve('@playwright/test');
const { transform } = createRequire(playwrightTest)('playwright/lib/common');
const loaded = found ? await transform.requireOrImport(found) : {};
const user = (loaded && 'default' in loaded ? loaded.default : loaded) ?? {};

const absolute = value => (typeof value === 'string' ? path.resolve(projectDir, value) : value);
const absoluteAll = value => (Array.isArray(value) ? value.map(absolute) : absolute(value));
const withPaths = (config) => {
  const copy = { ...config };
  for (const key of ['testDir', 'outputDir', 'snapshotDir', 'tsconfig']) if (key in copy) copy[key] = absolute(copy[key]);
  return copy;
};

const config = withPaths(user);
for (const key of ['globalSetup', 'globalTeardown']) if (key in config) config[key] = absoluteAll(config[key]);
config.testDir ??= projectDir;
config.outputDir ??= path.join(artifacts, 'test-results');
if (Array.isArray(config.projects)) config.projects = config.projects.map(withPaths);
const servers = config.webServer && (Array.isArray(config.webServer) ? config.webServer : [config.webServer]);
if (servers) {
  const fixed = servers.map(server => ({ ...server, cwd: server.cwd ? absolute(server.cwd) : projectDir }));
  config.webServer = Array.isArray(config.webServer) ? fixed : fixed[0];
}

const reporters = config.reporter === undefined ? [['list']]
  : typeof config.reporter === 'string' ? [[config.reporter]]
  : config.reporter.map(r => (typeof r === 'string' ? [r] : r));
config.reporter = [
  ...reporters.map(([name, options]) => [name, options && {
    ...options,
    ...(options.outputFile ? { outputFile: absolute(options.outputFile) } : {}),
    ...(options.outputFolder ? { outputFolder: absolute(options.outputFolder) } : {}),
  }].filter(part => part !== undefined)),
  ['json', { outputFile: path.join(artifacts, 'playwright-report.json') }],
  ['junit', { outputFile: path.join(artifacts, 'junit.xml') }],
];

const use = { ...config.use };
use.screenshot ??= 'only-on-failure';
use.trace ??= 'on-first-retry';
const chromium = process.env.BYOT_PLAYWRIGHT_CHROMIUM;
if (chromium) {
  // The container is the sandbox (docs/security.md): Playwright launches Chromium with --no-sandbox by default.
  use.launchOptions = { executablePath: chromium, ...use.launchOptions };
}
config.use = use;

export default config;
