// Builds the dashboard into dist/: hashed, minified assets under dist/assets and the shell dist/index.html that
// names them. Byot.Functions.csproj runs this (after npm ci) and embeds dist/ in the Functions assembly.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(here, 'dist');
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await build({
  entryPoints: [path.join(here, 'src/main.js'), path.join(here, 'src/app.css')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari16'],
  outdir: path.join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
});

const outputs = Object.keys(result.metafile.outputs).map((o) => path.relative(dist, path.resolve(o)));
const named = (ext) => {
  const found = outputs.find((o) => o.endsWith(ext) && !o.endsWith('.LEGAL.txt'));
  if (!found) throw new Error(`no ${ext} output`);
  return '/app/' + found.split(path.sep).join('/');
};
const shell = (await readFile(path.join(here, 'src/index.html'), 'utf8'))
  .replace('%CSS%', named('.css'))
  .replace('%JS%', named('.js'));
await writeFile(path.join(dist, 'index.html'), shell);
await writeFile(path.join(here, 'dist.stamp'), new Date().toISOString() + '\n');
