import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { EntityManager } from 'typeorm';
import { OrgAccess } from '../auth/principal';
import { DomainError } from '../common/errors/domain-error';
import { DEFAULT_PAGE_SIZE, Page, decodeCursor, toPage } from '../common/http/pagination';
import { UnitOfWork } from '../database/unit-of-work.service';
import { HoldersService } from '../holders/holders.service';
import { TaskDto } from '../tasks/dto/task.dto';
import { TasksService } from '../tasks/tasks.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { readDeviceRows } from './device-rows';
import { DeviceViews } from './device-views.service';
import { DeviceFilter, DeviceSort, DeviceSortField, DevicesRepository } from './devices.repository';
import { DeviceDetailDto, DeviceLinkDto, mapAssignment, mapEvent } from './dto/device-detail.dto';
import { DeviceDto } from './dto/device.dto';
import { DeviceQueryDto } from './dto/device-requests.dto';
import { DeviceEntity } from './entities/device.entity';
import { mapReceipt } from './handover/handover.service';
import { statusLabelIt } from './lifecycle';
import { queriesOn } from '../database/queries-on';

const EXPORT_LIMIT = 100_000;
const EXPORT_PAGE = 500;

const link = (d: DeviceEntity): DeviceLinkDto => ({
  id: d.id,
  label: d.label,
  status: d.status,
  statusLabel: statusLabelIt(d.kind, d.status),
  expiresAt: d.expiresAt ? d.expiresAt.toISOString() : null,
});

/** A spreadsheet must not run a cell as a formula (CSV injection). */
const cell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

/** Reading the inventory: lists, one device with its history, CSV export. Operators see their own. */
@Injectable()
export class DeviceQueriesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: DevicesRepository,
    private readonly views: DeviceViews,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
    private readonly tasks: TasksService,
  ) {}

  async list(access: OrgAccess, query: DeviceQueryDto): Promise<Page<DeviceDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor);
    const sort = sortOf(query);
    return this.uow.read(async (em) => {
      const filter = await this.filterOf(em, access, query);
      const after = cursor ? { k: cursor.k === '' ? null : cursor.k, id: cursor.id } : null;
      const rows = await readDeviceRows(this.repository.pageQuery(em, access.organizationId, filter, sort, after, limit + 1));
      const page = toPage(
        rows.devices,
        limit,
        (d) => ({ k: keyOf(d, sort.field), id: d.id }),
        (d) => d,
      );
      return { items: this.views.fromRows(rows, page.items), nextCursor: page.nextCursor };
    });
  }

  async get(access: OrgAccess, id: string): Promise<DeviceDetailDto> {
    const detail = await this.uow.read(async (em) => {
      const device = await this.findVisible(em, access, id);
      const [view, events, assignments, receipts, predecessors, successor] = await queriesOn(
        em,
        () => this.views.one(em, access.organizationId, device, { withPem: true }),
        () => this.repository.findEvents(em, device.id),
        () => this.repository.findAssignments(em, device.id),
        () => this.repository.findReceiptsOfDevice(em, device.id),
        () => this.repository.findPredecessors(em, access.organizationId, device.id),
        () => (device.successorId ? this.repository.findById(em, access.organizationId, device.successorId) : Promise.resolve(null)),
      );
      const holders = await this.holders.refsInTx(
        em,
        access.organizationId,
        assignments.map((a) => a.holderId),
      );
      const workstations = await this.workstations.refsInTx(
        em,
        access.organizationId,
        assignments.map((a) => a.workstationId),
      );
      const holderNames = new Map([...holders].map(([k, h]) => [k, h.name]));
      const codes = new Map([...workstations].map(([k, w]) => [k, w.code]));
      return {
        ...view,
        successor: successor ? link(successor) : null,
        predecessors: predecessors.map(link),
        history: events.map((e) => mapEvent(device.kind, e)),
        custody: assignments.map((a) => mapAssignment(a, holderNames, codes)),
        handoverReceipts: receipts.map(mapReceipt),
        tasks: [] as TaskDto[],
      } satisfies DeviceDetailDto;
    });
    // Tasks are for administrators; an operator's view leaves them out.
    if (access.role !== 'operator') detail.tasks = await this.tasks.forDevice(access.organizationId, id);
    return detail;
  }

  /** The inventory as CSV (Italian headers, one row per device, same filters as the list). */
  async exportCsv(access: OrgAccess, query: DeviceQueryDto): Promise<string> {
    const sort = sortOf(query);
    const rows: DeviceDto[] = [];
    await this.uow.read(async (em) => {
      const filter = await this.filterOf(em, access, query);
      let after: { k: string | number | null; id: string } | null = null;
      while (rows.length < EXPORT_LIMIT) {
        const read = await readDeviceRows(this.repository.pageQuery(em, access.organizationId, filter, sort, after, EXPORT_PAGE));
        const batch = read.devices;
        rows.push(...this.views.fromRows(read));
        const last = batch[batch.length - 1];
        if (batch.length < EXPORT_PAGE || !last) break;
        after = { k: keyOf(last, sort.field) || null, id: last.id };
      }
    });
    const header = [
      'id',
      'tipo',
      'stato',
      'identificativo',
      'titolare',
      'responsabile',
      'postazione',
      'scadenza',
      'giorni_alla_scadenza',
      'numero_di_serie',
      'impronta_sha256',
      'algoritmo_chiave',
      'bit_chiave',
      'emittente',
      'sistema',
      'utenza',
      'sostituito_da',
    ];
    const body = rows.map((d) =>
      [
        d.id,
        d.kindLabel,
        d.statusLabel,
        d.label,
        d.holder?.name,
        d.custodian?.name,
        d.workstation?.code,
        d.expiresAt,
        d.daysToExpiry,
        d.serialNumber,
        d.fingerprintSha256,
        d.keyAlgorithm,
        d.keyBits,
        d.issuer?.commonName,
        d.systemLabel,
        d.username,
        d.successorId,
      ].map(cell),
    );
    return stringify([header, ...body], { record_delimiter: '\r\n' });
  }

  private async filterOf(em: EntityManager, access: OrgAccess, q: DeviceQueryDto): Promise<DeviceFilter> {
    const now = new Date();
    return {
      kind: q.kind,
      status: q.status,
      holderId: q.holderId,
      workstationId: q.workstationId,
      office: q.office,
      q: q.q,
      expired: q.expired,
      now,
      expiringBefore: q.expiringWithinDays !== undefined ? new Date(now.getTime() + q.expiringWithinDays * 86_400_000) : undefined,
      ...(access.role === 'operator'
        ? { onlyHolderId: await this.holders.holderIdOfUserInTx(em, access.organizationId, access.userId) }
        : {}),
    };
  }

  /** Operators reach only devices they hold or keep; any other id answers 404 like a missing one. */
  private async findVisible(em: EntityManager, access: OrgAccess, id: string): Promise<DeviceEntity> {
    const device = await this.repository.findById(em, access.organizationId, id);
    if (!device) throw new DomainError('DEVICE_NOT_FOUND', 'Device not found');
    if (access.role === 'operator') {
      const own = await this.holders.holderIdOfUserInTx(em, access.organizationId, access.userId);
      if (own === null || (device.holderId !== own && device.custodianHolderId !== own))
        throw new DomainError('DEVICE_NOT_FOUND', 'Device not found');
    }
    return device;
  }
}

function sortOf(q: DeviceQueryDto): DeviceSort {
  const param = q.sort ?? 'expiresAt';
  return { field: param.replace(/^-/, '') as DeviceSortField, descending: param.startsWith('-') };
}

/** The cursor key: '' stands for "no expiry" (those sort last). */
function keyOf(d: DeviceEntity, field: DeviceSortField): string {
  if (field === 'label') return d.label.toLowerCase();
  const value = field === 'expiresAt' ? d.expiresAt : d.createdAt;
  return value ? value.toISOString() : '';
}
