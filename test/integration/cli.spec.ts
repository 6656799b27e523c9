import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as argon2 from 'argon2';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { runCli } from '../../src/cli/run-cli';
import { STRONG_PASSWORD, TestDatabase, createTestDatabase, deleteRedisPrefix, nextIstatCode } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const CLI_ACTOR = { actor_type: 'system', actor_id: 'cli', actor_label: 'cli:tester' };

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Raw SQL on the test database, beside the application: what landed, and tampering. */
interface RawDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

async function openRaw(env: Record<string, string>): Promise<RawDb> {
  if (env.DATABASE_URL) {
    const client = new Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${env.DATABASE_SCHEMA}` });
    await client.connect();
    return {
      query: async <T>(sql: string, params: unknown[] = []) => {
        let n = 0;
        return (
          await client.query(
            sql.replace(/\?/g, () => `$${++n}`),
            params,
          )
        ).rows as T[];
      },
      close: () => client.end(),
    };
  }
  const db = new Database(env.SQLITE_PATH as string);
  return {
    query: async <T>(sql: string, params: unknown[] = []) => {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    close: async () => void db.close(),
  };
}

/** Booleans come back as 0/1 from SQLite and true/false from PostgreSQL. */
const bool = (value: unknown): boolean => value === true || value === 1;

describe('CLI (npm run cli)', () => {
  const id = randomBytes(6).toString('hex');
  let db: TestDatabase;
  let env: Record<string, string | undefined>;
  let raw: RawDb;

  /** One invocation, in-process, exactly as src/cli.ts runs it but with captured output. */
  async function cli(...argv: string[]): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      env,
      osUser: 'tester',
      io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    });
    return { code, stdout, stderr };
  }

  /** A user error: exit 2, one line on stderr naming the problem, nothing on stdout, no stack. */
  function expectUserError(run: CliRun, message: RegExp): void {
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await raw.query<{ n: number | string }>(sql, params))[0]!.n);

  async function createOrg(name = `Comune di Prova ${id}`): Promise<{ id: string; istatCode: string }> {
    const istatCode = nextIstatCode();
    const run = await cli('org:create', '--istat', istatCode, '--name', name, '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    return { id: (JSON.parse(run.stdout) as { id: string }).id, istatCode };
  }

  beforeAll(async () => {
    db = await createTestDatabase(id);
    env = { ...process.env, NODE_ENV: 'test', REDIS_PREFIX: `custode-test-${id}`, LOG_LEVEL: process.env.TEST_LOG_LEVEL, ...db.env };
    // The first invocation creates the schema through the migrations, as on a fresh installation.
    expect((await cli('--help')).code).toBe(0);
    raw = await openRaw(db.env);
  }, 60_000);

  afterAll(async () => {
    await raw?.close();
    await db?.drop();
    await deleteRedisPrefix(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `custode-test-${id}`);
  });

  describe('org:create', () => {
    it('creates the Comune, prints its id and audits the change as the CLI', async () => {
      const istatCode = nextIstatCode();
      const run = await cli('org:create', '--istat', istatCode, '--name', 'Comune di Roccacannuccia', '--province', 'rm');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const [, orgId] = /^id: ([0-9a-f-]{36})$/m.exec(run.stdout) ?? [];
      expect(orgId).toBeDefined();
      expect(run.stdout).toContain(`Organization created: Comune di Roccacannuccia (ISTAT ${istatCode}, RM)`);

      const rows = await raw.query('SELECT istat_code, name, province FROM organizations WHERE id = ?', [orgId]);
      expect(rows).toEqual([{ istat_code: istatCode, name: 'Comune di Roccacannuccia', province: 'RM' }]);
      const audit = await raw.query(
        'SELECT chain, action, actor_type, actor_id, actor_label FROM audit_events WHERE entity_id = ? ORDER BY chain',
        [orgId],
      );
      expect(audit).toEqual([orgId, 'platform'].sort().map((chain) => ({ chain, action: 'organization.created', ...CLI_ACTOR })));
    });

    it('prints the organization as JSON with --json', async () => {
      const istatCode = nextIstatCode();
      const run = await cli('org:create', '--istat', istatCode, '--name', 'Comune di Jsonia', '--json');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        istatCode,
        name: 'Comune di Jsonia',
        province: null,
      });
    });

    it('refuses a taken ISTAT code with one line naming the Comune, exit 2, and stores nothing', async () => {
      const org = await createOrg('Comune Primo');
      const run = await cli('org:create', '--istat', org.istatCode, '--name', 'Comune Secondo');
      expectUserError(run, /^custode: error: ISTAT code \d{6} belongs to Comune Primo \(ISTAT_CODE_TAKEN\)\n$/);
      expect(await count('SELECT COUNT(*) AS n FROM organizations WHERE name = ?', ['Comune Secondo'])).toBe(0);
    });

    it('refuses bad and missing values with exit 2', async () => {
      const before = await count('SELECT COUNT(*) AS n FROM organizations');
      expectUserError(await cli('org:create', '--istat', '12345', '--name', 'Comune X'), /--istat: istatCode must be 6 digits/);
      expectUserError(
        await cli('org:create', '--istat', '123456', '--name', 'Comune X', '--province', 'Roma'),
        /--province: province must be a two-letter/,
      );
      expectUserError(await cli('org:create', '--name', 'Comune X'), /missing required option --istat/);
      expectUserError(await cli('org:create', '--istat', '123456', '--name', 'Comune X', 'extra'), /unexpected argument "extra"/);
      expectUserError(
        await cli('org:create', '--istat', '123456', '--name', 'Comune X', '--json', 'extra'),
        /^\{"error":\{"code":"USAGE","message":"unexpected argument \\"extra\\""\}\}\n$/,
      );
      expect(await count('SELECT COUNT(*) AS n FROM organizations')).toBe(before);
    });
  });

  describe('user:create', () => {
    it('creates a member with a one-time password that works once and must be changed', async () => {
      const org = await createOrg();
      const email = `als.${id}@comune.test`;
      const run = await cli('user:create', '--email', email, '--name', 'Anna Sicuri', '--org', org.istatCode, '--role', 'security_admin');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain(`User created: ${email} (Anna Sicuri)`);
      expect(run.stdout).toContain(`as security_admin: Amministratore locale della sicurezza (ALS)`);
      expect(run.stdout).toContain('must be changed at first sign-in');
      const [, password] = /^one-time password: (\S+)/m.exec(run.stdout) ?? [];
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);

      const [user] = await raw.query<{ id: string; password_hash: string; must_change_password: unknown; is_superadmin: unknown }>(
        'SELECT id, password_hash, must_change_password, is_superadmin FROM users WHERE email = ?',
        [email],
      );
      expect(bool(user!.must_change_password)).toBe(true);
      expect(bool(user!.is_superadmin)).toBe(false);
      expect(user!.password_hash).toMatch(/^\$argon2id\$/);
      await expect(argon2.verify(user!.password_hash, password as string)).resolves.toBe(true);
      expect(await raw.query('SELECT organization_id, role FROM memberships WHERE user_id = ?', [user!.id])).toEqual([
        { organization_id: org.id, role: 'security_admin' },
      ]);
      const audit = await raw.query(
        'SELECT action, actor_type, actor_id, actor_label FROM audit_events WHERE chain = ? AND entity_id = ? ORDER BY seq',
        [org.id, user!.id],
      );
      expect(audit).toEqual([
        { action: 'user.created', ...CLI_ACTOR },
        { action: 'member.added', ...CLI_ACTOR },
      ]);
      // The clear password is printed, never stored or audited.
      expect(await count('SELECT COUNT(*) AS n FROM audit_events WHERE data LIKE ?', [`%${password}%`])).toBe(0);
    });

    it('creates a platform superadmin with a chosen password, by organization id as well, and as JSON', async () => {
      const email = `root.${id}@custode.test`;
      const run = await cli(
        'user:create',
        '--email',
        email,
        '--name',
        'Seconda Amministratrice',
        '--superadmin',
        '--password',
        STRONG_PASSWORD,
        '--json',
      );
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const out = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(out).toEqual({
        id: expect.any(String),
        email,
        displayName: 'Seconda Amministratrice',
        isSuperadmin: true,
        mustChangePassword: true,
        membership: null,
      });
      const [user] = await raw.query<{ password_hash: string; is_superadmin: unknown }>(
        'SELECT password_hash, is_superadmin FROM users WHERE id = ?',
        [out.id],
      );
      expect(bool(user!.is_superadmin)).toBe(true);
      await expect(argon2.verify(user!.password_hash, STRONG_PASSWORD)).resolves.toBe(true);
      expect(await count('SELECT COUNT(*) AS n FROM memberships WHERE user_id = ?', [out.id])).toBe(0);

      const org = await createOrg();
      const member = await cli(
        'user:create',
        '--email',
        `op.${id}@comune.test`,
        '--name',
        'Oreste Operatore',
        '--org',
        org.id,
        '--role',
        'operator',
        '--json',
      );
      expect(member.code).toBe(0);
      expect(JSON.parse(member.stdout)).toMatchObject({
        membership: { organizationId: org.id, istatCode: org.istatCode, role: 'operator' },
        oneTimePassword: expect.any(String),
      });
    });

    it('refuses bad input with exit 2 and creates nobody', async () => {
      const org = await createOrg();
      const users = await count('SELECT COUNT(*) AS n FROM users');
      const email = `nuovo.${id}@comune.test`;
      expectUserError(
        await cli('user:create', '--email', email, '--name', 'Nuovo Utente', '--password', 'corto'),
        /at least 12 characters \(WEAK_PASSWORD\)/,
      );
      expectUserError(await cli('user:create', '--email', 'not-an-email', '--name', 'Nuovo Utente'), /--email: email must be an email/);
      expectUserError(
        await cli('user:create', '--email', email, '--name', 'Nuovo Utente', '--org', org.istatCode),
        /--org and --role go together/,
      );
      expectUserError(
        await cli('user:create', '--email', email, '--name', 'Nuovo Utente', '--org', org.istatCode, '--role', 'sindaco'),
        /--role: role must be one of/,
      );
      expectUserError(
        await cli('user:create', '--email', email, '--name', 'Nuovo Utente', '--org', org.istatCode, '--role', 'auditor', '--superadmin'),
        /--superadmin cannot be combined with --org/,
      );
      expectUserError(
        await cli('user:create', '--email', email, '--name', 'Nuovo Utente', '--org', '999999', '--role', 'auditor'),
        /No organization has ISTAT code 999999 \(ORGANIZATION_NOT_FOUND\)/,
      );
      expectUserError(
        await cli('user:create', '--email', email, '--name', 'Nuovo Utente', '--org', 'Roccacannuccia', '--role', 'auditor'),
        /neither a 6-digit ISTAT code nor an organization id/,
      );
      expectUserError(await cli('user:create', '--name', 'Nuovo Utente'), /missing required option --email/);
      expect(await count('SELECT COUNT(*) AS n FROM users')).toBe(users);

      expect((await cli('user:create', '--email', email, '--name', 'Nuovo Utente')).code).toBe(0);
      expectUserError(
        await cli('user:create', '--email', email.toUpperCase(), '--name', 'Altro Utente'),
        /already exists.*\(USER_ALREADY_EXISTS\)/,
      );
    });
  });

  describe('member:add', () => {
    it('adds an existing user to a Comune, by ISTAT code or id, and audits it', async () => {
      const first = await createOrg();
      const second = await createOrg();
      const email = `alp.${id}@comune.test`;
      expect(
        (
          await cli(
            'user:create',
            '--email',
            email,
            '--name',
            'Alberto Postazioni',
            '--org',
            first.istatCode,
            '--role',
            'workstation_admin',
          )
        ).code,
      ).toBe(0);

      const run = await cli('member:add', '--email', email, '--org', second.istatCode, '--role', 'auditor');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(
        new RegExp(`^${email} is now a member of .* \\(ISTAT ${second.istatCode}\\) as auditor: Revisore / RPD\\n$`),
      );
      const rows = await raw.query<{ organization_id: string; role: string }>(
        'SELECT m.organization_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? ORDER BY m.role',
        [email],
      );
      expect(rows).toEqual([
        { organization_id: second.id, role: 'auditor' },
        { organization_id: first.id, role: 'workstation_admin' },
      ]);
      expect(await raw.query('SELECT action, actor_label FROM audit_events WHERE chain = ?', [second.id])).toEqual([
        { action: 'organization.created', actor_label: 'cli:tester' },
        { action: 'member.added', actor_label: 'cli:tester' },
      ]);

      const third = await createOrg();
      const byId = await cli('member:add', '--email', email.toUpperCase(), '--org', third.id, '--role', 'operator', '--json');
      expect(byId.code).toBe(0);
      expect(JSON.parse(byId.stdout)).toMatchObject({ email, role: 'operator', organizationId: third.id, istatCode: third.istatCode });
    });

    it('refuses a duplicate membership, an unknown user, Comune or role with exit 2', async () => {
      const org = await createOrg();
      const email = `doppio.${id}@comune.test`;
      expect(
        (await cli('user:create', '--email', email, '--name', 'Davide Doppio', '--org', org.istatCode, '--role', 'operator')).code,
      ).toBe(0);
      const memberships = await count('SELECT COUNT(*) AS n FROM memberships');
      expectUserError(
        await cli('member:add', '--email', email, '--org', org.istatCode, '--role', 'auditor'),
        /already a member of the Comune \(MEMBERSHIP_EXISTS\)/,
      );
      expectUserError(
        await cli('member:add', '--email', `nessuno.${id}@comune.test`, '--org', org.istatCode, '--role', 'auditor'),
        /\(USER_NOT_FOUND\)/,
      );
      expectUserError(
        await cli('member:add', '--email', email, '--org', '00000000-0000-4000-8000-000000000000', '--role', 'auditor'),
        /\(ORGANIZATION_NOT_FOUND\)/,
      );
      expectUserError(
        await cli('member:add', '--email', email, '--org', org.istatCode, '--role', 'superadmin'),
        /--role: role must be one of/,
      );
      expectUserError(await cli('member:add', '--email', email, '--org', org.istatCode), /missing required option --role/);
      expect(await count('SELECT COUNT(*) AS n FROM memberships')).toBe(memberships);
    });
  });

  describe('audit:verify', () => {
    let target: { id: string; istatCode: string };

    beforeAll(async () => {
      target = await createOrg('Comune da Manomettere');
      expect(
        (
          await cli(
            'user:create',
            '--email',
            `vittima.${id}@comune.test`,
            '--name',
            'Vera Vittima',
            '--org',
            target.istatCode,
            '--role',
            'security_admin',
          )
        ).code,
      ).toBe(0);
      expect(
        (
          await cli(
            'user:create',
            '--email',
            `testimone.${id}@comune.test`,
            '--name',
            'Tito Testimone',
            '--org',
            target.istatCode,
            '--role',
            'auditor',
          )
        ).code,
      ).toBe(0);
    });

    it('reports every chain valid with the rows checked, exit 0', async () => {
      const run = await cli('audit:verify', '--json');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const report = JSON.parse(run.stdout) as {
        valid: boolean;
        chains: { chain: string; valid: boolean; checked: number; firstBrokenSeq: number | null }[];
      };
      expect(report.valid).toBe(true);
      const stored = await raw.query<{ chain: string; n: number | string }>('SELECT chain, COUNT(*) AS n FROM audit_events GROUP BY chain');
      expect(report.chains.map((c) => [c.chain, c.checked]).sort()).toEqual(stored.map((s) => [s.chain, Number(s.n)]).sort());
      expect(report.chains[0]!.chain).toBe('platform');
      expect(report.chains.every((c) => c.valid && c.firstBrokenSeq === null)).toBe(true);

      const one = await cli('audit:verify', '--org', target.istatCode);
      expect(one).toMatchObject({ code: 0, stderr: '' });
      expect(one.stdout).toMatch(new RegExp(`^${target.id}\\s+${target.istatCode} Comune da Manomettere\\s+valid\\s+5\\s+-$`, 'm'));
      expect(one.stdout).toMatch(/^1 chain verified: all valid$/m);
    });

    it('names the first tampered row and exits 1, for --org and --all', async () => {
      // seq 1 organization.created, 2 user.created, 3 member.added, 4 user.created, 5 member.added
      await raw.query(`UPDATE audit_events SET data = ? WHERE chain = ? AND seq = 3`, ['{"role":"auditor"}', target.id]);

      const one = await cli('audit:verify', '--org', target.id);
      expect(one).toMatchObject({ code: 1, stderr: '' });
      expect(one.stdout).toMatch(new RegExp(`^${target.id}\\s+${target.istatCode} Comune da Manomettere\\s+BROKEN\\s+3\\s+3$`, 'm'));
      expect(one.stdout).toContain(`1 of 1 chain BROKEN: ${target.istatCode} from seq 3`);

      const all = await cli('audit:verify', '--all', '--json');
      expect(all.code).toBe(1);
      const report = JSON.parse(all.stdout) as {
        valid: boolean;
        chains: { chain: string; valid: boolean; firstBrokenSeq: number | null }[];
      };
      expect(report.valid).toBe(false);
      expect(report.chains.filter((c) => !c.valid)).toEqual([
        expect.objectContaining({ chain: target.id, istatCode: target.istatCode, firstBrokenSeq: 3 }),
      ]);
    });

    it('detects an edited actor and a deleted chain head too', async () => {
      const org = await createOrg();
      await raw.query('UPDATE audit_events SET actor_label = ? WHERE chain = ? AND seq = 1', ['someone-else', org.id]);
      const edited = await cli('audit:verify', '--org', org.istatCode, '--json');
      expect(edited.code).toBe(1);
      expect(JSON.parse(edited.stdout)).toMatchObject({
        valid: false,
        chains: [{ chain: org.id, valid: false, checked: 1, firstBrokenSeq: 1 }],
      });

      const other = await createOrg();
      await raw.query('DELETE FROM audit_chain_heads WHERE chain = ?', [other.id]);
      const all = await cli('audit:verify', '--json');
      expect(all.code).toBe(1);
      const broken = (JSON.parse(all.stdout) as { chains: { chain: string; valid: boolean }[] }).chains
        .filter((c) => !c.valid)
        .map((c) => c.chain);
      expect(broken.sort()).toEqual([target.id, org.id, other.id].sort());
    });

    it('refuses --org with --all, and an unknown Comune, with exit 2', async () => {
      expectUserError(await cli('audit:verify', '--org', target.istatCode, '--all'), /give either --org or --all, not both/);
      expectUserError(await cli('audit:verify', '--org', '999998'), /\(ORGANIZATION_NOT_FOUND\)/);
    });
  });

  describe('usage', () => {
    it('answers unknown commands and options with exit 2, help with exit 0', async () => {
      const unknown = await cli('org:delete');
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr).toContain("error: unknown command 'org:delete'");
      const option = await cli('member:add', '--admin');
      expect(option).toMatchObject({ code: 2, stdout: '' });
      expect(option.stderr).toContain("error: unknown option '--admin'");
      const none = await cli();
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('Usage: custode');

      const help = await cli('user:create', '--help');
      expect(help).toMatchObject({ code: 0, stderr: '' });
      expect(help.stdout).toMatch(/--org <istat-or-id>/);
      expect(help.stdout).toMatch(/--json/);
    });

    it('stops on a bad configuration value with exit 78 and one line naming the variable', async () => {
      let stderr = '';
      const code = await runCli(['audit:verify'], {
        env: { ...env, REDIS_PREFIX: 'bad:prefix' },
        io: { stdout: () => undefined, stderr: (t) => void (stderr += t) },
      });
      expect(code).toBe(78);
      expect(stderr).toMatch(/^Invalid configuration: REDIS_PREFIX must be [^\n]+\n$/);
    });
  });

  describe('the entry point src/cli.ts in its own process', () => {
    const exec = promisify(execFile);
    const spawnCli = async (...argv: string[]): Promise<CliRun> => {
      // The CLI's own default log level (warn), not the test's.
      const childEnv = Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && k !== 'LOG_LEVEL'));
      try {
        const { stdout, stderr } = await exec(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', ...argv], {
          cwd: ROOT,
          env: childEnv,
          timeout: 60000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };

    it('creates an organization, exits 0 with only the result on stdout, and exits 2 on a user error', async () => {
      const istatCode = nextIstatCode();
      const ok = await spawnCli('org:create', '--istat', istatCode, '--name', 'Comune di Processo', '--json');
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(ok.stdout)).toMatchObject({ istatCode, name: 'Comune di Processo' });
      const [row] = await raw.query<{ actor_label: string }>('SELECT actor_label FROM audit_events WHERE entity_id = ? AND chain = ?', [
        JSON.parse(ok.stdout).id,
        'platform',
      ]);
      expect(row!.actor_label).toMatch(/^cli:\S+$/);

      const dup = await spawnCli('org:create', '--istat', istatCode, '--name', 'Comune Doppio');
      expectUserError(dup, /^custode: error: ISTAT code \d{6} belongs to Comune di Processo \(ISTAT_CODE_TAKEN\)\n$/);
    }, 120_000);
  });
});
