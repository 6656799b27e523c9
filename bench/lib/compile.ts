import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** Under bench/results (git-ignored), so `require` finds the project's node_modules. */
export const BUILD_DIR = join(ROOT, 'bench', 'results', 'build');

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) yield path;
  }
}

let built = false;

/**
 * Transpiles src/ and bench/lib/ to plain JavaScript (no type check, like ts-node's transpile-only,
 * but ahead of time): Custode's benchmark process then runs as `node dist/...` does in production,
 * without the TypeScript compiler in its memory or its start-up.
 */
export function buildForBench(): string {
  if (built) return BUILD_DIR;
  const started = performance.now();
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => readFileSync(p, 'utf8'));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
    declaration: false,
    noEmit: false,
  };
  rmSync(BUILD_DIR, { recursive: true, force: true });
  let files = 0;
  for (const top of ['src', join('bench', 'lib')]) {
    for (const file of tsFiles(join(ROOT, top))) {
      const out = join(BUILD_DIR, relative(ROOT, file)).replace(/\.ts$/, '.js');
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
      files++;
    }
  }
  built = true;
  console.log(`transpiled ${files} files for the benchmark processes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return BUILD_DIR;
}
