import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test support: builds certificates, keys and PKCS#12 files with the `openssl` CLI in a temp
 * directory, and reads back what OpenSSL itself prints about them, the oracle the parser's
 * output is compared with. Not used by production code.
 */

export type KeyType = 'rsa2048' | 'rsa4096' | 'p256' | 'p384' | 'ed25519' | 'rsa-pss';

const KEYGEN: Record<KeyType, string[]> = {
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa4096: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  ed25519: ['-algorithm', 'ED25519'],
  'rsa-pss': ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
};

/** A config of our own, so the result does not depend on the machine's openssl.cnf. */
const CONFIG = `
[req]
distinguished_name = dn
prompt = no
string_mask = utf8only
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

export interface CertificateOptions {
  subject: string;
  /** Days from now; see daysUntil. */
  days: number;
  /** OpenSSL -set_serial syntax, e.g. `0x80ff...`. */
  serial?: string;
  ca?: boolean;
}

/** What `openssl x509` prints about a certificate, parsed. */
export interface OpensslView {
  serial: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  fingerprint: string;
  keyBits: number | null;
  nistCurve: string | null;
  isCa: boolean;
}

/** Whole days from now that land on the given UTC day (notAfter keeps the current time of day). */
export function daysUntil(isoDay: string): number {
  return Math.ceil((Date.parse(`${isoDay}T00:00:00Z`) - Date.now()) / 86_400_000);
}

export class OpensslCorpus {
  readonly dir = mkdtempSync(join(tmpdir(), 'custode-x509-'));
  private serials = 1000;

  constructor() {
    writeFileSync(this.path('openssl.cnf'), CONFIG);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }

  write(name: string, data: Buffer | string): void {
    writeFileSync(this.path(name), data);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  openssl(args: string[]): string {
    return execFileSync('openssl', args, {
      cwd: this.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** For commands such as `pkcs12 -info` that print their report on stderr. */
  opensslReport(args: string[]): string {
    const result = spawnSync('openssl', args, { cwd: this.dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
    return `${result.stdout}${result.stderr}`;
  }

  key(name: string, type: KeyType): string {
    this.openssl(['genpkey', ...KEYGEN[type], '-out', `${name}.key`]);
    return `${name}.key`;
  }

  selfSigned(name: string, key: string, options: CertificateOptions): string {
    this.openssl([
      'req',
      '-config',
      'openssl.cnf',
      '-utf8',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      options.subject,
      '-days',
      String(options.days),
      '-set_serial',
      options.serial ?? String(this.serials++),
      '-extensions',
      options.ca === false ? 'leaf_ext' : 'ca_ext',
      '-out',
      `${name}.pem`,
    ]);
    return `${name}.pem`;
  }

  issued(name: string, key: string, issuer: { cert: string; key: string }, options: CertificateOptions): string {
    this.openssl(['req', '-config', 'openssl.cnf', '-utf8', '-new', '-key', key, '-subj', options.subject, '-out', `${name}.csr`]);
    this.openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      issuer.cert,
      '-CAkey',
      issuer.key,
      '-set_serial',
      options.serial ?? String(this.serials++),
      '-days',
      String(options.days),
      '-extfile',
      'openssl.cnf',
      '-extensions',
      options.ca ? 'ca_ext' : 'leaf_ext',
      '-out',
      `${name}.pem`,
    ]);
    return `${name}.pem`;
  }

  view(certFile: string): OpensslView {
    const out = this.openssl([
      'x509',
      '-in',
      certFile,
      '-noout',
      '-serial',
      '-subject',
      '-issuer',
      '-startdate',
      '-enddate',
      '-fingerprint',
      '-sha256',
      '-nameopt',
      'RFC2253,-esc_msb',
    ]);
    const field = (prefix: string): string => {
      const line = out.split('\n').find((l) => l.startsWith(prefix));
      if (line === undefined) throw new Error(`openssl printed no ${prefix}`);
      return line.slice(prefix.length); // no trim: an escaped trailing space is part of a name
    };
    const text = this.openssl(['x509', '-in', certFile, '-noout', '-text']);
    const bits = /Public-Key: \((\d+) bit\)/.exec(text);
    return {
      serial: field('serial='),
      subject: field('subject='),
      issuer: field('issuer='),
      notBefore: new Date(field('notBefore=')),
      notAfter: new Date(field('notAfter=')),
      fingerprint: field('sha256 Fingerprint='),
      keyBits: bits ? Number(bits[1]) : null,
      nistCurve: /NIST CURVE: (\S+)/.exec(text)?.[1] ?? null,
      isCa: /CA:TRUE/.test(text),
    };
  }
}
