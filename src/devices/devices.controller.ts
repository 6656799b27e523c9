import { Body, Controller, Get, Header, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { etagOf, expectedVersion } from '../common/http/if-match';
import { DeviceQueriesService } from './device-queries.service';
import { CustodyResultDto, DevicesService } from './devices.service';
import { DeviceDetailDto } from './dto/device-detail.dto';
import { DeviceDto, DevicePageDto } from './dto/device.dto';
import {
  CreateCredentialDto,
  CreateSmartCardDto,
  CustodyDto,
  DeviceQueryDto,
  SuccessorDto,
  TransitionDto,
  UpdateDeviceDto,
} from './dto/device-requests.dto';
import { DeviceTransitionsService, TransitionResultDto } from './transitions.service';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'ETag from GET (the version); or "version" in the body. One is required: 428 without, 412 if stale.',
};

@ApiTags('devices')
@ApiBearerAuth()
@Controller('orgs/:orgId')
export class DevicesController {
  constructor(
    private readonly queries: DeviceQueriesService,
    private readonly devices: DevicesService,
    private readonly transitions: DeviceTransitionsService,
  ) {}

  @Get('devices')
  @Permission('device.read')
  @ApiOperation({ summary: 'List devices of every kind: filters, sort, cursor pagination (operators: only their own)' })
  list(@Access() access: OrgAccess, @Query() query: DeviceQueryDto): Promise<DevicePageDto> {
    return this.queries.list(access, query);
  }

  @Get('devices/export.csv')
  @Permission('device.export')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="inventario-dispositivi.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The inventory as CSV (same filters as the list, no paging)' })
  export(@Access() access: OrgAccess, @Query() query: DeviceQueryDto): Promise<string> {
    return this.queries.exportCsv(access, query);
  }

  @Get('devices/:deviceId')
  @Permission('device.read')
  @ApiOperation({ summary: 'One device: status, holder, workstation, successor, history, custody, receipts, tasks' })
  async get(
    @Access() access: OrgAccess,
    @Param('deviceId', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeviceDetailDto> {
    const device = await this.queries.get(access, id);
    res.setHeader('ETag', etagOf(device.version));
    return device;
  }

  @Post('devices/:deviceId/transitions')
  @HttpCode(200)
  @Permission('device.transition')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Apply a lifecycle action (docs/lifecycle.md); 409 names the current status when not allowed' })
  async transition(
    @Access() access: OrgAccess,
    @Param('deviceId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: TransitionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransitionResultDto> {
    const result = await this.transitions.transition(access, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(result.device.version));
    return result;
  }

  @Patch('devices/:deviceId')
  @Permission('device.update')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Change notes and kind details (card type, account name, rotation; expiry of cards and credentials)' })
  async update(
    @Access() access: OrgAccess,
    @Param('deviceId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateDeviceDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeviceDto> {
    const device = await this.devices.update(access, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(device.version));
    return device;
  }

  @Post('devices/:deviceId/custody')
  @HttpCode(200)
  @Permission('device.custody')
  @ApiHeader(IF_MATCH)
  @ApiOperation({
    summary: 'Hand the device to a holder (custodian for certificates); closes the previous assignment; makes a handover receipt',
  })
  async custody(
    @Access() access: OrgAccess,
    @Param('deviceId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: CustodyDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustodyResultDto> {
    const result = await this.devices.assignCustody(access, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(result.device.version));
    return result;
  }

  @Put('devices/:deviceId/successor')
  @Permission('device.update')
  @ApiHeader(IF_MATCH)
  @ApiOperation({ summary: 'Link the device that replaces this one (ends its reminders)' })
  async successor(
    @Access() access: OrgAccess,
    @Param('deviceId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: SuccessorDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DeviceDto> {
    const device = await this.devices.linkSuccessor(access, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(device.version));
    return device;
  }

  @Post('smart-cards')
  @HttpCode(201)
  @Permission('device.create')
  @ApiOperation({ summary: 'Register a smart card (requested by default, or already in use with initialStatus)' })
  createSmartCard(@Access() access: OrgAccess, @Body() dto: CreateSmartCardDto): Promise<DeviceDto> {
    return this.devices.createSmartCard(access, dto);
  }

  @Post('credentials')
  @HttpCode(201)
  @Permission('device.create')
  @ApiOperation({ summary: 'Register a credential (account): no password is ever stored' })
  createCredential(@Access() access: OrgAccess, @Body() dto: CreateCredentialDto): Promise<DeviceDto> {
    return this.devices.createCredential(access, dto);
  }
}
