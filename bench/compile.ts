// Transpiles the processes the harness starts (baseline servers, load worker) to plain JS.
//
// rxchat runs from dist/ on plain `node`, so the baselines must too: under a TypeScript loader
// (tsx) a process carries a loader thread and hooks that rxchat does not pay for. TypeScript's
// `transpileModule` strips the types file by file (no type check: `npm run typecheck` does
// that) into a temporary directory, which is removed when the harness exits.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** bench/, wherever the harness runs from. */
export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

/** The folders of bench/ that run in child processes; they import nothing outside themselves. */
const FOLDERS = ['load', 'baselines'] as const;

export interface CompiledBench {
  /** The load worker's entry point. */
  readonly worker: string;
  /** A baseline server's entry point. */
  baseline(name: 'naive' | 'tuned'): string;
  /** Removes the output directory. Idempotent. */
  dispose(): void;
}

export function compileBench(): CompiledBench {
  const out = mkdtempSync(join(tmpdir(), 'rxchat-bench-'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  for (const folder of FOLDERS) {
    mkdirSync(join(out, folder));
    for (const file of readdirSync(join(BENCH_DIR, folder))) {
      if (!file.endsWith('.ts')) continue;
      const source = readFileSync(join(BENCH_DIR, folder, file), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        fileName: file,
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          verbatimModuleSyntax: true,
          rewriteRelativeImportExtensions: true,
        },
      });
      writeFileSync(join(out, folder, file.replace(/\.ts$/, '.js')), outputText);
    }
  }
  let disposed = false;
  return {
    worker: join(out, 'load', 'worker.js'),
    baseline: (name) => join(out, 'baselines', `${name}.js`),
    dispose() {
      if (disposed) return;
      disposed = true;
      rmSync(out, { recursive: true, force: true });
    },
  };
}
