import { ParsedCertificate } from '../../src/devices/certificates/x509';
import { BulkWriter, SqlValue } from './bulk';
import { Rng } from './rng';

const DAY_MS = 86_400_000;
const FIRST = ['Maria', 'Giuseppe', 'Anna', 'Giovanni', 'Rosa', 'Antonio', 'Lucia', 'Francesco', 'Paola', 'Luigi', 'Chiara', 'Marco'];
const LAST = ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo'];
const OFFICES = ['Anagrafe', 'Stato Civile', 'Elettorale', 'Protocollo', 'Polizia Locale', 'URP'];
const SYSTEMS = ['anpr_console', 'registry_software', 'digital_identity', 'daily_password'] as const;

export interface InventoryOptions {
  organizationId: string;
  istatCode: string;
  devices: number;
  seed: number;
  /** Real parsed certificates whose subject, issuer and PEM the certificate rows reuse. */
  samples: ParsedCertificate[];
  now?: Date;
  /** Expiry of device `i` (default: uniform from a year ago to three years ahead). */
  expiryOf?: (i: number, rng: Rng) => Date | null;
  /** Device rows only, no detail, event or custody rows (what the sweep reads). */
  devicesOnly?: boolean;
  /** Devices per transaction. */
  batch?: number;
}

export interface Inventory {
  /** Device ids in generation order (devicesOnly seeds only). */
  ids: string[];
  devices: number;
  holders: number;
  workstations: number;
  /** A workstation certificate with a longer history (events, custody changes, a predecessor). */
  historyDeviceId: string;
  expiringWithin30Days: number;
  rows: number;
  seconds: number;
}

const DEVICE_COLUMNS = [
  'id',
  'organization_id',
  'kind',
  'status',
  'label',
  'holder_id',
  'workstation_id',
  'custodian_holder_id',
  'expires_at',
  'successor_id',
  'status_changed_at',
  'created_at',
  'updated_at',
  'version',
];
const EVENT_COLUMNS = [
  'id',
  'organization_id',
  'device_id',
  'at',
  'type',
  'action',
  'from_status',
  'to_status',
  'actor_type',
  'actor_id',
  'actor_label',
  'reason',
  'evidence',
  'data',
];
const ASSIGNMENT_COLUMNS = [
  'id',
  'organization_id',
  'device_id',
  'target',
  'holder_id',
  'workstation_id',
  'started_at',
  'ended_at',
  'assigned_by',
  'end_reason',
];

/**
 * A Comune's inventory written in bulk: holders, workstations and devices of every kind with their
 * detail rows, a `created` event and an open custody assignment each. Expiry dates are spread
 * uniformly from one year ago to three years ahead (about 2% fall within any 30 days).
 */
export async function seedInventory(writer: BulkWriter, options: InventoryOptions): Promise<Inventory> {
  const started = performance.now();
  const rng = new Rng(options.seed);
  const now = options.now ?? new Date();
  const org = options.organizationId;
  const holderCount = Math.max(10, Math.round(options.devices / 100));
  const workstationCount = Math.max(10, Math.round(options.devices / 60));
  const actor = `als.${options.istatCode}@comune.bench.test`;
  let rows = 0;

  const holders: string[] = [];
  const holderRows: SqlValue[][] = [];
  for (let i = 0; i < holderCount; i++) {
    const id = rng.uuid();
    holders.push(id);
    const fiscal = `BNC${String(i).padStart(6, '0')}X${String(rng.int(100, 999))}Z${String.fromCharCode(65 + (i % 26))}`.slice(0, 16);
    holderRows.push([
      id,
      org,
      rng.pick(FIRST),
      rng.pick(LAST),
      fiscal,
      `persona${i}@comune.bench.test`,
      rng.pick(OFFICES),
      "Ufficiale d'anagrafe",
      'active',
      now,
      now,
      1,
    ]);
  }
  await writer.insert(
    'holders',
    [
      'id',
      'organization_id',
      'first_name',
      'last_name',
      'fiscal_code',
      'email',
      'office',
      'role_description',
      'employment_status',
      'created_at',
      'updated_at',
      'version',
    ],
    holderRows,
  );
  rows += holderRows.length;

  const workstations: string[] = [];
  const workstationRows: SqlValue[][] = [];
  for (let i = 0; i < workstationCount; i++) {
    const id = rng.uuid();
    workstations.push(id);
    workstationRows.push([
      id,
      org,
      i % 20 === 0 ? 'server' : 'workstation',
      `PDL-${String(i + 1).padStart(5, '0')}`,
      `pdl${i + 1}.comune.local`,
      rng.pick(OFFICES),
      rng.pick(holders),
      'active',
      now,
      now,
      1,
    ]);
  }
  await writer.insert(
    'workstations',
    ['id', 'organization_id', 'kind', 'code', 'hostname', 'office', 'custodian_holder_id', 'status', 'created_at', 'updated_at', 'version'],
    workstationRows,
  );
  rows += workstationRows.length;

  let expiring = 0;
  let historyDeviceId = '';
  const batch = options.batch ?? 10_000;
  const ids: string[] = [];
  for (let from = 0; from < options.devices; from += batch) {
    const devices: SqlValue[][] = [];
    const certificates: SqlValue[][] = [];
    const cards: SqlValue[][] = [];
    const credentials: SqlValue[][] = [];
    const events: SqlValue[][] = [];
    const assignments: SqlValue[][] = [];
    for (let i = from; i < Math.min(options.devices, from + batch); i++) {
      const id = rng.uuid();
      const r = rng.float();
      const kind = r < 0.6 ? 'workstation_certificate' : r < 0.85 ? 'smart_card' : 'credential';
      let expiresAt: Date | null = options.expiryOf
        ? options.expiryOf(i, rng)
        : new Date(now.getTime() - 365 * DAY_MS + Math.floor(rng.float() * 4 * 365 * DAY_MS));
      if (!options.expiryOf && kind === 'credential' && rng.float() < 0.5) expiresAt = null;
      if (options.devicesOnly) ids.push(id);
      const past = expiresAt !== null && expiresAt.getTime() < now.getTime();
      if (expiresAt && !past && expiresAt.getTime() <= now.getTime() + 30 * DAY_MS) expiring++;
      const holder = rng.pick(holders);
      const created = new Date(now.getTime() - rng.int(30, 1500) * DAY_MS);
      let status: string;
      let label: string;
      let holderId: string | null = null;
      let custodianId: string | null = null;
      let workstationId: string | null = null;
      if (kind === 'workstation_certificate') {
        status = past ? 'expired' : rng.float() < 0.9 ? 'installed' : 'issued';
        label = `${options.istatCode}-PDL-${String(i + 1).padStart(6, '0')}`;
        custodianId = holder;
        workstationId = rng.pick(workstations);
        if (!historyDeviceId && !past) historyDeviceId = id;
        const fingerprint = rng.bytes(32).toString('hex');
        const sample = options.samples[i % Math.max(1, options.samples.length)];
        if (sample)
          certificates.push([
            id,
            org,
            rng.bytes(16).toString('hex'),
            { ...sample.subject, commonName: label, text: sample.subject.text.replace(/CN=[^,]+/, `CN=${label}`) },
            sample.issuer,
            label,
            new Date((expiresAt as Date).getTime() - 3 * 365 * DAY_MS),
            expiresAt,
            fingerprint,
            sample.keyAlgorithm,
            sample.keyBits,
            null,
            null,
            false,
            sample.pem,
            [],
            `lotto-${Math.floor(i / 1000) + 1}.pem`,
          ]);
      } else if (kind === 'smart_card') {
        status = past ? 'expired' : 'active';
        label = `CNS ${String(i + 1).padStart(8, '0')}`;
        holderId = holder;
        cards.push([id, org, `CNS${String(i + 1).padStart(10, '0')}`, 'CNS', 'v3']);
      } else {
        status = 'active';
        const system = SYSTEMS[i % SYSTEMS.length]!;
        label = `${system} utente${i + 1}`;
        holderId = holder;
        credentials.push([id, org, system, `utente${i + 1}`, null, created.toISOString().slice(0, 10), null, expiresAt ? 90 : null]);
      }
      devices.push([id, org, kind, status, label, holderId, workstationId, custodianId, expiresAt, null, created, created, created, 1]);
      events.push([rng.uuid(), org, id, created, 'created', null, null, status, 'user', null, actor, null, null, { source: 'bench' }]);
      assignments.push([rng.uuid(), org, id, 'holder', holder, null, created, null, actor, null]);
    }
    await writer.insert('devices', DEVICE_COLUMNS, devices);
    rows += devices.length;
    if (options.devicesOnly) continue;
    await writer.insert(
      'device_certificates',
      [
        'device_id',
        'organization_id',
        'serial_number',
        'subject',
        'issuer',
        'common_name',
        'not_before',
        'not_after',
        'fingerprint_sha256',
        'key_algorithm',
        'key_bits',
        'ec_curve',
        'fiscal_code',
        'self_signed',
        'pem',
        'chain',
        'source_name',
      ],
      certificates,
    );
    await writer.insert('device_smart_cards', ['device_id', 'organization_id', 'serial_number', 'card_type', 'generation'], cards);
    await writer.insert(
      'device_credentials',
      ['device_id', 'organization_id', 'system', 'username', 'identity_provider', 'issued_on', 'last_rotated_on', 'rotation_days'],
      credentials,
    );
    await writer.insert('device_events', EVENT_COLUMNS, events);
    await writer.insert('custody_assignments', ASSIGNMENT_COLUMNS, assignments);
    rows += certificates.length + cards.length + credentials.length + events.length + assignments.length;
  }
  if (!options.devicesOnly) rows += await addHistory(writer, rng, org, historyDeviceId, holders, workstations, actor, now);
  return {
    ids,
    devices: options.devices,
    holders: holderCount,
    workstations: workstationCount,
    historyDeviceId,
    expiringWithin30Days: expiring,
    rows,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A dozen lifecycle and custody events, an ended assignment and a predecessor it replaced. */
async function addHistory(
  writer: BulkWriter,
  rng: Rng,
  org: string,
  deviceId: string,
  holders: string[],
  workstations: string[],
  actor: string,
  now: Date,
): Promise<number> {
  const events: SqlValue[][] = [];
  const steps: [string, string | null, string | null, string | null][] = [
    ['transition', 'install', 'issued', 'installed'],
    ['custody', null, null, null],
    ['updated', null, null, null],
    ['transition', 'uninstall', 'installed', 'uninstalled'],
    ['transition', 'install', 'uninstalled', 'installed'],
    ['custody', null, null, null],
    ['successor', null, null, null],
    ['updated', null, null, null],
    ['custody', null, null, null],
    ['updated', null, null, null],
  ];
  steps.forEach(([type, action, from, to], i) => {
    events.push([
      rng.uuid(),
      org,
      deviceId,
      new Date(now.getTime() - (steps.length - i) * DAY_MS),
      type,
      action,
      from,
      to,
      'user',
      null,
      actor,
      'Verifica periodica',
      null,
      { step: i + 1 },
    ]);
  });
  await writer.insert('device_events', EVENT_COLUMNS, events);
  const earlier = new Date(now.getTime() - 200 * DAY_MS);
  await writer.insert('custody_assignments', ASSIGNMENT_COLUMNS, [
    [
      rng.uuid(),
      org,
      deviceId,
      'holder',
      rng.pick(holders),
      null,
      earlier,
      new Date(now.getTime() - 100 * DAY_MS),
      actor,
      'Cambio di responsabile',
    ],
    [rng.uuid(), org, deviceId, 'workstation', null, rng.pick(workstations), earlier, null, actor, null],
  ]);
  const predecessor = rng.uuid();
  const old = new Date(now.getTime() - 400 * DAY_MS);
  await writer.insert('devices', DEVICE_COLUMNS, [
    [predecessor, org, 'workstation_certificate', 'revoked', 'certificato precedente', null, null, null, old, deviceId, old, old, old, 1],
  ]);
  return events.length + 3;
}
