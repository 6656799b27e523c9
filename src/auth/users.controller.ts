import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PageQueryDto } from '../common/http/pagination';
import { Access, Permission } from './access.decorators';
import { ApiTokensService } from './api-tokens.service';
import {
  AddMemberDto,
  ApiTokenPageDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  CreateUserDto,
  MemberDto,
  MemberPageDto,
  UpdateMemberDto,
} from './dto/user.dto';
import { OrgAccess } from './principal';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('orgs/:orgId')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Post('users')
  @HttpCode(201)
  @Permission('user.create')
  @ApiOperation({ summary: 'Create a user who becomes a member of this Comune with a role' })
  createUser(@Access() access: OrgAccess, @Body() dto: CreateUserDto): Promise<MemberDto> {
    return this.users.createMember(access.actor, access.organizationId, dto);
  }

  @Get('members')
  @Permission('member.list')
  @ApiOperation({ summary: 'List the members of this Comune with their roles' })
  listMembers(@Access() access: OrgAccess, @Query() query: PageQueryDto): Promise<MemberPageDto> {
    return this.users.listMembers(access.organizationId, query);
  }

  @Post('members')
  @HttpCode(201)
  @Permission('member.add')
  @ApiOperation({ summary: 'Make an existing user a member of this Comune (platform administrator)' })
  addMember(@Access() access: OrgAccess, @Body() dto: AddMemberDto): Promise<MemberDto> {
    return this.users.addMember(access.actor, access.organizationId, dto);
  }

  @Patch('members/:userId')
  @Permission('member.update')
  @ApiOperation({ summary: "Change a member's role" })
  updateMember(
    @Access() access: OrgAccess,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: UpdateMemberDto,
  ): Promise<MemberDto> {
    return this.users.updateMemberRole(access.actor, access.organizationId, userId, dto.role);
  }

  @Delete('members/:userId')
  @HttpCode(204)
  @Permission('member.remove')
  @ApiOperation({ summary: 'Remove a member from this Comune' })
  removeMember(@Access() access: OrgAccess, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.users.removeMember(access.actor, access.organizationId, userId);
  }

  @Post('api-tokens')
  @HttpCode(201)
  @Permission('api_token.manage')
  @ApiOperation({ summary: 'Create an API token for an integration (shown once)' })
  createApiToken(@Access() access: OrgAccess, @Body() dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.apiTokens.create(access, dto);
  }

  @Get('api-tokens')
  @Permission('api_token.manage')
  @ApiOperation({ summary: 'List the API tokens of this Comune (never the tokens themselves)' })
  listApiTokens(@Access() access: OrgAccess, @Query() query: PageQueryDto): Promise<ApiTokenPageDto> {
    return this.apiTokens.list(access.organizationId, query);
  }

  @Delete('api-tokens/:tokenId')
  @HttpCode(204)
  @Permission('api_token.manage')
  @ApiOperation({ summary: 'Revoke an API token' })
  revokeApiToken(@Access() access: OrgAccess, @Param('tokenId', ParseUUIDPipe) tokenId: string): Promise<void> {
    return this.apiTokens.revoke(access, tokenId);
  }
}
