// Builds the web page into dist/page/ with esbuild: `npm run build:web` (and so `npm run build`,
// `npm start`, `npm test` and `prepare`, which run it first).
//
// Why a build step and not a build at server start: esbuild is a development tool (a devDependency,
// a native binary) and the server should not need it, nor the page's sources, to run; a built page
// is an artifact like dist/'s JavaScript, made once, and the server only reads it into memory at
// start (src/drivers/http-page.ts). Every npm script that serves or tests the page builds it first
// (about 0.2 s), so it is never stale.
//
// Output (flat): index.html (from src/web/dom/index.html, naming the hashed files), app.<hash>.js
// (src/web/dom/main.ts and everything it imports: the client reducer, the line protocol's parser,
// rxjs), app.<hash>.css, icon.<hash>.svg, and the JS source map. Hashed names let the server mark them
// immutable; index.html is revalidated on every load. Files of an older build are removed.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PAGE_DIR } from '../drivers/http-page.ts';

const DOM_DIR = fileURLToPath(new URL('./dom/', import.meta.url));

export interface BuiltPage {
  readonly dir: string;
  /** The files written, by name. */
  readonly files: readonly string[];
  /** The script's size in bytes (minified). */
  readonly scriptBytes: number;
}

/** Bundles the page into `outDir` (default dist/page/); resolves with what it wrote. */
export async function buildPage(outDir: string = PAGE_DIR): Promise<BuiltPage> {
  const result = await build({
    entryPoints: { app: join(DOM_DIR, 'main.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name].[hash]',
    outdir: outDir,
    write: false,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const files = new Map<string, Buffer>();
  for (const file of result.outputFiles) files.set(basename(file.path), Buffer.from(file.contents));
  const css = readFileSync(join(DOM_DIR, 'page.css'));
  const icon = readFileSync(join(DOM_DIR, 'icon.svg'));
  const cssName = `app.${hash(css)}.css`;
  const iconName = `icon.${hash(icon)}.svg`;
  files.set(cssName, css);
  files.set(iconName, icon);
  const scriptName = [...files.keys()].find((name) => /^app\.[^.]+\.js$/u.test(name));
  if (scriptName === undefined) throw new Error('esbuild wrote no script');
  const html = readFileSync(join(DOM_DIR, 'index.html'), 'utf8')
    .replaceAll('%SCRIPT%', `/${scriptName}`)
    .replaceAll('%STYLE%', `/${cssName}`)
    .replaceAll('%ICON%', `/${iconName}`);
  if (/%[A-Z]+%/u.test(html)) throw new Error(`index.html has an unknown placeholder: ${/%[A-Z]+%/u.exec(html)?.[0]}`);
  files.set('index.html', Buffer.from(html, 'utf8'));

  // Each file is written whole and renamed into place, index.html last: a server starting meanwhile
  // never reads half a file, and a concurrent build writes the same bytes under the same names.
  mkdirSync(outDir, { recursive: true });
  const names = [...files.keys()].sort((a, b) => Number(a === 'index.html') - Number(b === 'index.html'));
  for (const name of names) {
    const temp = join(outDir, `.${name}.${process.pid}.tmp`);
    writeFileSync(temp, files.get(name) as Buffer);
    renameSync(temp, join(outDir, name));
  }
  for (const stale of readdirSync(outDir)) {
    if (!files.has(stale) && !stale.startsWith('.')) rmSync(join(outDir, stale), { force: true });
  }
  return { dir: outDir, files: names, scriptBytes: files.get(scriptName)?.length ?? 0 };
}

function hash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 10);
}

// `tsx src/web/build.ts [outDir]`
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  buildPage(process.argv[2]).then(
    (page) => {
      process.stdout.write(`web page built in ${Math.round(performance.now() - started)} ms: ${page.dir} (${page.files.join(', ')}; script ${(page.scriptBytes / 1024).toFixed(1)} KiB)\n`);
    },
    (err: unknown) => {
      process.stderr.write(`build:web failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
