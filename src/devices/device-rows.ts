import { EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { HolderEntity } from '../holders/holder.entity';
import { WorkstationEntity } from '../workstations/workstation.entity';
import type { DeviceDetails } from './devices.repository';
import { DeviceCertificateEntity, DeviceCredentialEntity, DeviceSmartCardEntity } from './entities/device-details.entity';
import { DeviceEntity } from './entities/device.entity';

/** A page of devices with everything a device response shows beside them. */
export interface DeviceRows {
  devices: DeviceEntity[];
  details: DeviceDetails;
  holderNames: Map<string, string>;
  workstations: Map<string, { id: string; code: string; hostname: string | null }>;
}

type Convert = (value: unknown) => unknown;

interface Part {
  alias: string;
  columns: { key: string; column: ColumnMetadata; convert: Convert }[];
}

/** TypeORM's SQLite `datetime` text (UTC, `YYYY-MM-DD HH:MM:SS.SSS`). */
const SQLITE_DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/**
 * How a raw column value becomes the entity's value: the driver's own conversion
 * (prepareHydratedValue, as TypeORM's hydration), with short cuts for the values of a list page
 * that take the most time there: plain text, and SQLite's datetime text.
 */
function converterOf(column: ColumnMetadata, driver: Driver): Convert {
  const hydrate: Convert = (value) => driver.prepareHydratedValue(value, column);
  if (column.transformer) return hydrate;
  if (column.type === 'varchar' || column.type === 'text' || column.type === 'uuid') return (value) => value;
  if (column.type === 'datetime') {
    return (value) => (typeof value === 'string' && SQLITE_DATETIME.test(value) ? new Date(`${value.replace(' ', 'T')}Z`) : hydrate(value));
  }
  return hydrate;
}

const parts = new WeakMap<EntityMetadata, Map<string, Part>>();

/** The columns of an entity selected under `alias` (cached per metadata), minus `skip`. */
function partOf(metadata: EntityMetadata, driver: Driver, alias: string, skip: readonly string[] = []): Part {
  let byAlias = parts.get(metadata);
  if (!byAlias) parts.set(metadata, (byAlias = new Map()));
  const id = `${alias}:${skip.join(',')}`;
  let part = byAlias.get(id);
  if (!part) {
    const columns = metadata.columns
      .filter((c) => !skip.includes(c.propertyName))
      .map((column) => ({ key: `${alias}__${column.databaseName}`, column, convert: converterOf(column, driver) }));
    part = { alias, columns };
    byAlias.set(id, part);
  }
  return part;
}

/**
 * Reads a page of devices (the query built by DevicesRepository.pageQuery) together with its kind
 * details, holder names and workstation, in one query: the page joined with the detail tables (on
 * the primary key), holders and workstations of the same Comune read by subqueries. Rows are read raw and
 * each column converted as TypeORM's hydration does (by the driver; dates, JSON, booleans),
 * without its entity transformer, which cost more than the query on a 50-device page (bench:api).
 * The list leaves out the PEM (only the single-device view shows it).
 */
export async function readDeviceRows(qb: SelectQueryBuilder<DeviceEntity>, options: { withPem?: boolean } = {}): Promise<DeviceRows> {
  const connection = qb.connection;
  const driver = connection.driver;
  const meta = <T extends ObjectLiteral>(target: EntityTarget<T>) => connection.getMetadata(target);
  const device = partOf(meta(DeviceEntity), driver, 'd');
  const certificate = partOf(meta(DeviceCertificateEntity), driver, 'dc', options.withPem ? [] : ['pem']);
  const smartCard = partOf(meta(DeviceSmartCardEntity), driver, 'ds');
  const credential = partOf(meta(DeviceCredentialEntity), driver, 'dr');
  const all = [device, certificate, smartCard, credential];
  const [first, ...rest] = all.flatMap((p) => p.columns.map((c) => ({ sql: `${p.alias}.${c.column.databaseName}`, key: c.key })));
  qb.select(first!.sql, first!.key);
  for (const c of rest) qb.addSelect(c.sql, c.key);
  // Holders and the workstation as scalar subqueries, not joins: PostgreSQL plans a join of seven
  // tables by trying their orders (13 ms per request here, for 1 ms of execution); four plan in 0.5 ms.
  const sameComune = (alias: string, column: string) => `${alias}.id = d.${column} AND ${alias}.organization_id = d.organization_id`;
  qb.addSelect(
    (sub) => sub.select("hh.first_name || ' ' || hh.last_name").from(HolderEntity, 'hh').where(sameComune('hh', 'holder_id')),
    'h__name',
  )
    .addSelect(
      (sub) => sub.select("hk.first_name || ' ' || hk.last_name").from(HolderEntity, 'hk').where(sameComune('hk', 'custodian_holder_id')),
      'hc__name',
    )
    .addSelect((sub) => sub.select('w1.code').from(WorkstationEntity, 'w1').where(sameComune('w1', 'workstation_id')), 'w__code')
    .addSelect((sub) => sub.select('w2.hostname').from(WorkstationEntity, 'w2').where(sameComune('w2', 'workstation_id')), 'w__hostname')
    .leftJoin(DeviceCertificateEntity, 'dc', 'dc.device_id = d.id AND dc.organization_id = d.organization_id')
    .leftJoin(DeviceSmartCardEntity, 'ds', 'ds.device_id = d.id AND ds.organization_id = d.organization_id')
    .leftJoin(DeviceCredentialEntity, 'dr', 'dr.device_id = d.id AND dr.organization_id = d.organization_id');
  const raw = await qb.getRawMany<Record<string, unknown>>();

  const plain = <T>(part: Part, row: Record<string, unknown>): T => {
    const out: Record<string, unknown> = {};
    for (const { key, column, convert } of part.columns) out[column.propertyName] = convert(row[key]);
    return out as T;
  };
  const rows: DeviceRows = {
    devices: [],
    details: { certificates: new Map(), smartCards: new Map(), credentials: new Map() },
    holderNames: new Map(),
    workstations: new Map(),
  };
  for (const row of raw) {
    const d = plain<DeviceEntity>(device, row);
    rows.devices.push(d);
    if (row.dc__device_id != null) rows.details.certificates.set(d.id, plain<DeviceCertificateEntity>(certificate, row));
    if (row.ds__device_id != null) rows.details.smartCards.set(d.id, plain<DeviceSmartCardEntity>(smartCard, row));
    if (row.dr__device_id != null) rows.details.credentials.set(d.id, plain<DeviceCredentialEntity>(credential, row));
    // holderName(): first and last name with one space, as the SQL above concatenates them (the
    // inventory e2e compares every list item with its single view).
    if (d.holderId && row.h__name != null) rows.holderNames.set(d.holderId, String(row.h__name));
    if (d.custodianHolderId && row.hc__name != null) rows.holderNames.set(d.custodianHolderId, String(row.hc__name));
    if (d.workstationId && row.w__code != null)
      rows.workstations.set(d.workstationId, {
        id: d.workstationId,
        code: String(row.w__code),
        hostname: (row.w__hostname as string | null) ?? null,
      });
  }
  return rows;
}
