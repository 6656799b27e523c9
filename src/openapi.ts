import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHttpApp, buildOpenApi } from './bootstrap';
import { toolingConfig } from './config/configuration';

/**
 * Writes the OpenAPI document generated from the code (`npm run openapi`), or with `--check`
 * fails when the committed file differs (CI). Runs on an in-memory database, no workers.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const file = args.find((a) => !a.startsWith('--')) ?? 'docs/openapi.json';
  const config = toolingConfig();
  const app = await createHttpApp(config, { workers: false });
  await app.init();
  const text = `${JSON.stringify(sortKeys(buildOpenApi(app)), null, 2)}\n`;
  await app.close();
  if (!check) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
    return;
  }
  const committed = readFileSync(file, 'utf8');
  if (committed !== text) {
    process.stderr.write(`${file} is stale: run "npm run build && npm run openapi" and commit it\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} is up to date\n`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
