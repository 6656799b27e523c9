import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets the tests use (passwords, PKCS#12 passwords, tokens, private-key bytes). When the run has
 * an artifacts folder (see global-setup.ts), each is recorded, and after the whole suite
 * global-teardown.ts scans the logs, the database files and every API response for them.
 * `origin` names the one response allowed to carry the secret (a token in its own creation answer).
 */
export const artifactsDir = (): string | null => process.env.CUSTODE_TEST_ARTIFACTS ?? null;

export function registerSecret(value: string | null | undefined, origin: string | null = null): void {
  const dir = artifactsDir();
  if (!dir || !value || value.length < 8) return;
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  appendFileSync(join(dir, 'secrets', `${process.pid}.jsonl`), `${JSON.stringify({ value, origin })}\n`);
}

/** Body fields that carry secrets in Custode's API. */
export const SECRET_FIELDS = ['password', 'currentPassword', 'newPassword', 'token', 'phrase', 'secret'];

/** Response fields that show a secret once (a new token, an intervention's verification phrase): that response is its origin. */
export const RESPONSE_SECRET_FIELDS = ['token', 'verificationPhrase'];
