// BYOT's Playwright launcher: the runtime's default command is `node <this file> test --config <the wrapper>`.
// It finds Playwright's command line as `npx --no-install playwright` would, the project's own node_modules in the
// working directory (/app) first, then the image's (NODE_PATH), and runs it in this very process. npx would load
// npm and start a second node for the same thing: about 0.3 s of CPU per run, a tenth of a small browser run under
// the default one-CPU limit (docs/isolation.md, bench `playwright`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

// Node's own lookup order for the working directory: its node_modules and those above, then NODE_PATH. The package's
// folder is found there directly, not through require.resolve, which a package's `exports` may refuse.
const folders = createRequire(path.join(process.cwd(), 'package.json')).resolve.paths('@playwright/test') ?? [];
const cli = ['@playwright/test', 'playwright'].flatMap(name => folders.map(folder => path.join(folder, name))).map(dir => {
  try {
    // The package's `playwright` bin, the file npx would run.
    const bin = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).bin;
    const file = typeof bin === 'string' ? bin : bin?.playwright;
    return file && path.join(dir, file);
  } catch {
    return undefined;
  }
}).find(Boolean);

if (!cli) {
  console.error(`BYOT: no @playwright/test in ${path.join(process.cwd(), 'node_modules')} nor in the image (NODE_PATH): `
    + 'upload the project with its node_modules (npm ci before packing), or use an image that has it.');
  process.exit(1);
}

require(cli);
