import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { TaskPageDto, TaskQueryDto } from './dto/task.dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('orgs/:orgId/tasks')
export class TasksController {
  constructor(private readonly service: TasksService) {}

  @Get()
  @Permission('task.read')
  @ApiOperation({ summary: 'List leaver and revocation tasks (newest first), filtered by status, type, holder, device' })
  list(@Access() access: OrgAccess, @Query() query: TaskQueryDto): Promise<TaskPageDto> {
    return this.service.list(access.organizationId, query);
  }
}
