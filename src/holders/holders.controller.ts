import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { etagOf, expectedVersion } from '../common/http/if-match';
import { CreateHolderDto, HolderDto, HolderPageDto, HolderQueryDto, UpdateHolderDto } from './dto/holder.dto';
import { HoldersService } from './holders.service';

@ApiTags('holders')
@ApiBearerAuth()
@Controller('orgs/:orgId/holders')
export class HoldersController {
  constructor(private readonly service: HoldersService) {}

  @Post()
  @HttpCode(201)
  @Permission('holder.write')
  @ApiOperation({ summary: 'Register a person who holds or keeps devices (codice fiscale unique per Comune)' })
  async create(@Access() access: OrgAccess, @Body() dto: CreateHolderDto, @Res({ passthrough: true }) res: Response): Promise<HolderDto> {
    const holder = await this.service.create(access.actor, access.organizationId, dto);
    res.setHeader('ETag', etagOf(holder.version));
    return holder;
  }

  @Get()
  @Permission('holder.read')
  @ApiOperation({ summary: 'List and search holders (by name, office, employment status, codice fiscale)' })
  list(@Access() access: OrgAccess, @Query() query: HolderQueryDto): Promise<HolderPageDto> {
    return this.service.list(access.organizationId, query);
  }

  @Get(':holderId')
  @Permission('holder.read')
  @ApiOperation({ summary: 'Read a holder (ETag carries the version)' })
  async get(
    @Access() access: OrgAccess,
    @Param('holderId', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HolderDto> {
    const holder = await this.service.get(access.organizationId, id);
    res.setHeader('ETag', etagOf(holder.version));
    return holder;
  }

  @Patch(':holderId')
  @Permission('holder.write')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag from GET; or send "version" in the body. One of them is required (428).',
  })
  @ApiOperation({ summary: 'Change a holder (optimistic locking: 412 if changed meanwhile)' })
  async update(
    @Access() access: OrgAccess,
    @Param('holderId', ParseUUIDPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateHolderDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HolderDto> {
    const holder = await this.service.update(access.actor, access.organizationId, id, expectedVersion(ifMatch, dto.version), dto);
    res.setHeader('ETag', etagOf(holder.version));
    return holder;
  }
}
