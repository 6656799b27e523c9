import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { LeaverDto } from './dto/device-requests.dto';
import { LeaverResultDto, LeaverService } from './leaver.service';

@ApiTags('holders')
@ApiBearerAuth()
@Controller('orgs/:orgId/holders')
export class LeaverController {
  constructor(private readonly service: LeaverService) {}

  @Post(':holderId/leave')
  @HttpCode(200)
  @Permission('holder.leave')
  @ApiOperation({
    summary:
      'Mark a holder as a leaver: opens a task per device (delete credentials, suspend and recover cards, new certificate custodians)',
  })
  leave(@Access() access: OrgAccess, @Param('holderId', ParseUUIDPipe) id: string, @Body() dto: LeaverDto): Promise<LeaverResultDto> {
    return this.service.leave(access, id, dto);
  }
}
