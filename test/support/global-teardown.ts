import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Secret {
  value: string;
  origin: string | null;
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/**
 * After the whole suite: the logs, every database file (SQLite with its WAL; PostgreSQL rows as
 * text) and every API response must not contain any secret the tests used, except the one
 * response that created a token. A hit fails the run and names the file.
 */
export default function globalTeardown(): void {
  const dir = process.env.CUSTODE_TEST_ARTIFACTS;
  if (!dir) return;
  const secrets = new Map<string, Secret>();
  for (const file of files(join(dir, 'secrets'))) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const secret = JSON.parse(line) as Secret;
      // A token is sent later by the tests too: the response that created it stays its origin.
      if (!secrets.get(secret.value)?.origin) secrets.set(secret.value, secret);
    }
  }
  const hits: string[] = [];
  const scanned = { logs: 0, databases: 0, responses: 0, bytes: 0 };
  for (const file of [...files(join(dir, 'logs')), ...files(join(dir, 'db'))]) {
    const content = readFileSync(file);
    scanned.bytes += content.length;
    if (file.includes(`${join(dir, 'logs')}`)) scanned.logs += 1;
    else scanned.databases += 1;
    for (const { value } of secrets.values()) {
      if (content.includes(Buffer.from(value, 'utf8'))) hits.push(`${relative(dir, file)}: ${value.slice(0, 6)}…`);
    }
  }
  for (const file of files(join(dir, 'responses'))) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const { id, text } = JSON.parse(line) as { id: string; text: string };
      scanned.responses += 1;
      scanned.bytes += text.length;
      for (const { value, origin } of secrets.values()) {
        if (origin !== id && text.includes(value)) hits.push(`response ${id}: ${value.slice(0, 6)}…`);
      }
    }
  }
  process.stdout.write(
    `\nsecrets scan: ${secrets.size} secrets; ${scanned.logs} log files, ${scanned.databases} database files, ${scanned.responses} responses (${(scanned.bytes / 1e6).toFixed(1)} MB); ${hits.length} hits\n`,
  );
  if (hits.length > 0) throw new Error(`Secrets found where they must never be:\n${hits.slice(0, 30).join('\n')}`);
  if (secrets.size > 0 && scanned.responses === 0) throw new Error('secrets scan saw no response: the harness is broken');
  rmSync(dir, { recursive: true, force: true });
}
