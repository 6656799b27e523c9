import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One artifacts folder per run: logs, database copies, responses and secrets for the final scan. */
export default function globalSetup(): void {
  if (process.env.CUSTODE_SECRET_SCAN === 'off') return;
  process.env.CUSTODE_TEST_ARTIFACTS = mkdtempSync(join(tmpdir(), 'custode-artifacts-'));
}
