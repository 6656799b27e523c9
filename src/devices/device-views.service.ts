import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { HoldersService } from '../holders/holders.service';
import { WorkstationsService } from '../workstations/workstations.service';
import { DeviceRows } from './device-rows';
import { DevicesRepository } from './devices.repository';
import { DeviceDto, mapDevice } from './dto/device.dto';
import { DeviceEntity } from './entities/device.entity';
import { queriesOn } from '../database/queries-on';

/** Builds device responses: names of holders and workstations beside their ids, kind details. */
@Injectable()
export class DeviceViews {
  constructor(
    private readonly repository: DevicesRepository,
    private readonly holders: HoldersService,
    private readonly workstations: WorkstationsService,
  ) {}

  async many(
    em: EntityManager,
    organizationId: string,
    devices: DeviceEntity[],
    options: { withPem?: boolean } = {},
  ): Promise<DeviceDto[]> {
    const [details, holders, workstations] = await queriesOn(
      em,
      () => this.repository.detailsOf(em, devices),
      () =>
        this.holders.refsInTx(
          em,
          organizationId,
          devices.flatMap((d) => [d.holderId, d.custodianHolderId]),
        ),
      () =>
        this.workstations.refsInTx(
          em,
          organizationId,
          devices.map((d) => d.workstationId),
        ),
    );
    const holderNames = new Map([...holders].map(([id, h]) => [id, h.name]));
    const now = new Date();
    return devices.map((d) =>
      mapDevice(d, {
        holderNames,
        workstations,
        now,
        withPem: options.withPem,
        certificate: details.certificates.get(d.id),
        smartCard: details.smartCards.get(d.id),
        credential: details.credentials.get(d.id),
      }),
    );
  }

  /** Responses for devices read with their details by readDeviceRows (lists and the export). */
  fromRows(rows: DeviceRows, devices: DeviceEntity[] = rows.devices): DeviceDto[] {
    const now = new Date();
    const { holderNames, workstations, details } = rows;
    return devices.map((d) =>
      mapDevice(d, {
        holderNames,
        workstations,
        now,
        certificate: details.certificates.get(d.id),
        smartCard: details.smartCards.get(d.id),
        credential: details.credentials.get(d.id),
      }),
    );
  }

  async one(em: EntityManager, organizationId: string, device: DeviceEntity, options: { withPem?: boolean } = {}): Promise<DeviceDto> {
    return (await this.many(em, organizationId, [device], options))[0] as DeviceDto;
  }
}
