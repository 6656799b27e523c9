import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/access.decorators';
import { DomainError } from '../../common/errors/domain-error';
import { CalendarFeedService } from './calendar-feed.service';

/** Calendar applications cannot send a bearer header: the feed token in the path is the credential. */
@ApiTags('reminders')
@Controller('calendar')
export class CalendarController {
  constructor(private readonly feeds: CalendarFeedService) {}

  @Get(':file')
  @Public()
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'iCalendar feed (path from POST .../calendar-feed): read-only, revocable' })
  feed(@Param('file') file: string): Promise<string> {
    const token = /^(cfd_[A-Za-z0-9_-]{20,100})\.ics$/.exec(file)?.[1];
    if (!token) throw new DomainError('CALENDAR_FEED_NOT_FOUND', 'Calendar feed not found');
    return this.feeds.render(token);
  }
}
