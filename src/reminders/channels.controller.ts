import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { CalendarFeedService } from './calendar/calendar-feed.service';
import { CalendarFeedDto, CreateWebhookDto, CreatedWebhookDto, WebhookListDto } from './dto/channels.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('reminders')
@ApiBearerAuth()
@Controller('orgs/:orgId')
export class ChannelsController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly calendar: CalendarFeedService,
  ) {}

  @Post('webhooks')
  @Permission('webhook.manage')
  @ApiOperation({ summary: 'Add a webhook endpoint; the signing secret is in this response only' })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  createWebhook(@Access() access: OrgAccess, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(access, dto);
  }

  @Get('webhooks')
  @Permission('webhook.manage')
  @ApiOperation({ summary: "The Comune's webhook endpoints" })
  @ApiOkResponse({ type: WebhookListDto })
  async listWebhooks(@Access() access: OrgAccess): Promise<WebhookListDto> {
    return { items: await this.webhooks.list(access.organizationId) };
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  @Permission('webhook.manage')
  @ApiOperation({ summary: 'Revoke a webhook endpoint: its pending deliveries fail' })
  async revokeWebhook(@Access() access: OrgAccess, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.revoke(access, id);
  }

  @Post('calendar-feed')
  @Permission('calendar_feed.manage')
  @ApiOperation({ summary: 'Create (or replace) your iCalendar feed of expiries and task deadlines; the token is in this response only' })
  @ApiCreatedResponse({ type: CalendarFeedDto })
  createFeed(@Access() access: OrgAccess): Promise<CalendarFeedDto> {
    return this.calendar.create(access);
  }

  @Delete('calendar-feed')
  @HttpCode(204)
  @Permission('calendar_feed.manage')
  @ApiOperation({ summary: 'Revoke your calendar feed token' })
  async revokeFeed(@Access() access: OrgAccess): Promise<void> {
    await this.calendar.revoke(access);
  }
}
