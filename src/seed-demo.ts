import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import forge from 'node-forge';
import { AppModule } from './app.module';
import { SYSTEM_ACTOR } from './audit/actor';
import { OrgAccess } from './auth/principal';
import { UsersService } from './auth/users.service';
import { loadConfig } from './config/configuration';
import { CertificateImportService } from './devices/certificates/certificate-import.service';
import { DevicesService } from './devices/devices.service';
import { HoldersService } from './holders/holders.service';
import { OrganizationsService } from './organizations/organizations.service';
import { WorkstationsService } from './workstations/workstations.service';

/**
 * `npm run seed:demo`: a sample Comune with holders, workstations, certificates made now (some
 * expiring soon, some expired, one replaced), smart cards and credentials, so a new user sees a
 * realistic inventory at once. Idempotent: a second run finds the Comune and stops.
 */
const ISTAT = '999001';
const DAY = 86_400_000;

const PEOPLE: [string, string, string, string][] = [
  ['Maria', 'Rossi', 'RSSMRA80A41H501C', 'Anagrafe'],
  ['Giuseppe', 'Verdi', 'VRDGPP75C12F205B', 'Anagrafe'],
  ['Anna', 'Bianchi', 'BNCNNA82D45L219A', 'Stato civile'],
  ['Luca', 'Esposito', 'SPSLCU90E10F839Z', 'Elettorale'],
  ['Chiara', 'Romano', 'RMNCHR85H50G273B', 'Servizi informatici'],
  ['Marco', 'Colombo', 'CLMMRC78L01D969A', 'Anagrafe'],
  ['Sara', 'Ricci', 'RCCSRA88M41A944M', 'Protocollo'],
  ['Paolo', 'Greco', 'GRCPLA70T12C351D', 'Ufficio del Sindaco'],
];

/** Replaces the check character so every demo code is valid, whatever the table above says. */
function withCheck(code: string): string {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  const val = (ch: string) => (/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65);
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = code[i] as string;
    sum += i % 2 === 0 ? (odd[/\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65] as number) : val(ch);
  }
  return code.slice(0, 15) + String.fromCharCode(65 + (sum % 26));
}

function certificate(
  cn: string,
  notBefore: Date,
  notAfter: Date,
  ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null,
) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const subject = [
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: 'Comune di Borgo Demo' },
    { name: 'countryName', value: 'IT' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(ca ? ca.cert.subject.attributes : subject);
  cert.setExtensions([{ name: 'basicConstraints', cA: ca === null }]);
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  cert.sign(ca ? ca.key : key, forge.md.sha256.create());
  return { cert, key, pem: forge.pki.certificateToPem(cert) };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, workers: false }), { logger: ['error', 'warn'] });
  try {
    const orgs = app.get(OrganizationsService);
    const existing = (await orgs.list({ userId: null, all: true }, { limit: 200 })).items.find((o) => o.istatCode === ISTAT);
    if (existing) {
      process.stdout.write(`Demo Comune already present: ${existing.name} (ISTAT ${ISTAT}, id ${existing.id}). Nothing changed.\n`);
      return;
    }
    const actor = { ...SYSTEM_ACTOR, label: 'seed:demo' };
    const org = await orgs.create(actor, {
      istatCode: ISTAT,
      name: 'Comune di Borgo Demo',
      province: 'RM',
      settings: { patronSaintDay: '06-29' },
    });
    const access: OrgAccess = { organizationId: org.id, role: 'security_admin', actor, userId: null };
    const users = app.get(UsersService);
    const logins: string[] = [];
    for (const [role, email, name] of [
      ['security_admin', 'als@borgodemo.example', 'Chiara Romano'],
      ['workstation_admin', 'alp@borgodemo.example', 'Marco Colombo'],
      ['operator', 'maria.rossi@borgodemo.example', 'Maria Rossi'],
    ] as const) {
      const password = `Demo-${randomBytes(9).toString('base64url')}`;
      await users.createMember(actor, org.id, { email, displayName: name, role, password });
      logins.push(`  ${role.padEnd(18)} ${email}  one-time password: ${password}`);
    }

    const holders = app.get(HoldersService);
    const people = [];
    for (const [firstName, lastName, cf, office] of PEOPLE) {
      const email = `${firstName}.${lastName}@borgodemo.example`.toLowerCase();
      people.push(
        await holders.create(actor, org.id, {
          firstName,
          lastName,
          fiscalCode: withCheck(cf),
          email,
          office,
          roleDescription: office === 'Anagrafe' ? "Ufficiale d'anagrafe" : undefined,
        }),
      );
    }
    const [maria, giuseppe, anna, luca, chiara, marco] = people as [(typeof people)[number], ...typeof people];

    const workstations = app.get(WorkstationsService);
    const ws = [];
    for (const [n, office, custodian, ip] of [
      [1, 'Anagrafe', maria, '10.10.1.11'],
      [2, 'Anagrafe', giuseppe, '10.10.1.12'],
      [3, 'Stato civile', anna, '10.10.1.13'],
      [4, 'Elettorale', luca, '10.10.1.14'],
      [5, 'Anagrafe', marco, '10.10.1.15'],
    ] as const) {
      ws.push(
        await workstations.create(actor, org.id, {
          code: `${ISTAT}-PC-${n}`,
          hostname: `demo-pc${n}`,
          ipAddress: ip,
          office,
          function: 'Postazione ANPR',
          custodianHolderId: custodian?.id,
        }),
      );
    }
    const server = await workstations.create(actor, org.id, {
      kind: 'server',
      code: `${ISTAT}-CO-1`,
      hostname: 'demo-srv1',
      ipAddress: '10.10.0.5',
      office: 'Servizi informatici',
      function: 'Web service ANPR',
      custodianHolderId: chiara?.id,
    });

    const now = Date.now();
    const ca = certificate('Demo CA per certificati di postazione', new Date(now - 400 * DAY), new Date(now + 3650 * DAY), null);
    const importer = app.get(CertificateImportService);
    const put = async (
      cn: string,
      fromDays: number,
      toDays: number,
      workstationId: string | undefined,
      kind: 'workstation_certificate' | 'server_certificate' = 'workstation_certificate',
    ) => {
      const leaf = certificate(cn, new Date(now + fromDays * DAY), new Date(now + toDays * DAY), ca);
      await importer.import({
        organizationId: org.id,
        actor,
        role: 'security_admin',
        data: Buffer.from(leaf.pem + forge.pki.certificateToPem(ca.cert)),
        fileName: `${cn}.pem`,
        password: undefined,
        passwordMap: undefined,
        kind,
        workstationId,
        custodianHolderId: undefined,
      });
    };
    const [w1, w2, w3, w4, w5] = ws as [(typeof ws)[number], ...typeof ws];
    await put(`${ISTAT}-PC-1`, -1700, 20, w1.id); // expiring in 20 days
    await put(`${ISTAT}-PC-2`, -1500, 70, w2!.id); // in 70 days
    await put(`${ISTAT}-PC-3`, -1830, -5, w3!.id); // expired 5 days ago
    await put(`${ISTAT}-PC-4`, -1825, 6, w4!.id); // 6 days: urgent
    await put(`${ISTAT}-PC-4`, -2, 1800, w4!.id); // its successor, already issued
    await put(`${ISTAT}-PC-5`, -300, 1500, w5!.id);
    await put('PC-SENZA-ISTAT', -100, 1700, undefined); // warns: CN without the ISTAT code, no workstation yet
    await put(`${ISTAT}-CO-1`, -1800, -40, server.id, 'server_certificate'); // expired server certificate
    await put(`${ISTAT}-CO-1`, -40, 1780, server.id, 'server_certificate');

    const devices = app.get(DevicesService);
    const cards: [typeof maria, string, number | null, 'active' | 'requested' | 'pin_blocked' | 'delivered_to_comune'][] = [
      [maria, 'CNS-0001', 60, 'active'],
      [giuseppe, 'CNS-0002', 400, 'active'],
      [anna, 'CNS-0003', 25, 'pin_blocked'],
      [luca, 'CNS-0004', -3, 'active'],
      [marco, 'CNS-0005', null, 'requested'],
      [chiara, 'CNS-0006', 900, 'delivered_to_comune'],
    ];
    for (const [holder, serial, days, status] of cards) {
      await devices.createSmartCard(access, {
        serialNumber: serial,
        cardType: 'CNS',
        generation: '3',
        holderId: holder!.id,
        initialStatus: status,
        expiresAt: days === null ? undefined : new Date(now + days * DAY).toISOString(),
      });
    }
    for (const [holder, system, username] of [
      [maria, 'anpr_console', 'mrossi'],
      [giuseppe, 'anpr_console', 'gverdi'],
      [chiara, 'registry_software', 'ws-anpr-borgo'],
      [anna, 'digital_identity', 'abianchi-cie'],
    ] as const) {
      await devices.createCredential(access, {
        system,
        username,
        holderId: holder!.id,
        initialStatus: 'active',
        identityProvider: system === 'digital_identity' ? 'cie' : undefined,
        rotationDays: system === 'registry_software' ? 90 : undefined,
      });
    }
    process.stdout.write(
      [
        `Demo Comune created: Comune di Borgo Demo (ISTAT ${ISTAT}, id ${org.id})`,
        `  ${people.length} holders, ${ws.length + 1} workstations, 9 certificates (2 expired, 2 expiring within 30 days, 1 replaced), 6 smart cards, 4 credentials`,
        'Sign in (change the password at first sign-in):',
        ...logins,
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed:demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
