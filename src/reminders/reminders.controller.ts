import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { PolicyDto, PolicyListDto, UpdatePolicyDto } from './dto/policy.dto';
import {
  AcknowledgeReminderDto,
  AcknowledgementDto,
  InboxPageDto,
  ReminderPageDto,
  ReminderQueryDto,
  SweepResultDto,
} from './dto/reminder.dto';
import { ReminderPoliciesService } from './reminder-policies.service';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('orgs/:orgId')
export class RemindersController {
  constructor(
    private readonly reminders: RemindersService,
    private readonly policies: ReminderPoliciesService,
  ) {}

  @Post('reminders/sweep')
  @HttpCode(200)
  @Permission('reminder.sweep')
  @ApiOperation({ summary: "Run the Comune's reminder sweep now; answers with the ledger rows it created" })
  @ApiOkResponse({ type: SweepResultDto })
  sweep(@Access() access: OrgAccess): Promise<SweepResultDto> {
    return this.reminders.sweep(access);
  }

  @Get('reminders')
  @Permission('reminder.read')
  @ApiOperation({ summary: 'The reminder ledger, newest first, filtered by state, device or reference code' })
  @ApiOkResponse({ type: ReminderPageDto })
  list(@Access() access: OrgAccess, @Query() query: ReminderQueryDto): Promise<ReminderPageDto> {
    return this.reminders.list(access.organizationId, query);
  }

  @Post('reminders/:id/acknowledge')
  @HttpCode(200)
  @Permission('reminder.acknowledge')
  @ApiOperation({ summary: 'Acknowledge a step ("renewal requested") and pause the ladder, optionally until a day' })
  @ApiOkResponse({ type: AcknowledgementDto })
  acknowledge(
    @Access() access: OrgAccess,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AcknowledgeReminderDto,
  ): Promise<AcknowledgementDto> {
    return this.reminders.acknowledge(access, id, dto);
  }

  @Get('reminder-policies')
  @Permission('reminder_policy.read')
  @ApiOperation({
    summary:
      'The reminder policy of every device kind, of tasks, of nominations with an end date and of password rotation (defaults where not set)',
  })
  @ApiOkResponse({ type: PolicyListDto })
  async listPolicies(@Access() access: OrgAccess): Promise<PolicyListDto> {
    return { items: await this.policies.list(access.organizationId) };
  }

  @Put('reminder-policies/:kind')
  @Permission('reminder_policy.write')
  @ApiOperation({ summary: 'Set the ladder, hour, channels and escalating steps of one kind' })
  @ApiOkResponse({ type: PolicyDto })
  updatePolicy(@Access() access: OrgAccess, @Param('kind') kind: string, @Body() dto: UpdatePolicyDto): Promise<PolicyDto> {
    return this.policies.update(access, kind, dto);
  }

  @Get('inbox')
  @Permission('inbox.read')
  @ApiOperation({ summary: "The caller's in-app reminders in this Comune (look up a reference code here)" })
  @ApiOkResponse({ type: InboxPageDto })
  inbox(@Access() access: OrgAccess, @Query() query: ReminderQueryDto): Promise<InboxPageDto> {
    return this.reminders.inbox(access, query);
  }

  @Post('inbox/:id/read')
  @HttpCode(204)
  @Permission('inbox.read')
  @ApiOperation({ summary: 'Mark an in-app reminder as read' })
  async markRead(@Access() access: OrgAccess, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.reminders.markRead(access, id);
  }
}
