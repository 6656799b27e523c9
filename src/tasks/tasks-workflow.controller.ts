import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { CancelTaskDto, ConfirmTaskDto, RequestTaskDto, TaskWorkflowDto } from './dto/task-workflow.dto';
import { TasksWorkflowService } from './tasks-workflow.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('orgs/:orgId/tasks/:taskId')
export class TasksWorkflowController {
  constructor(private readonly workflow: TasksWorkflowService) {}

  @Get('workflow')
  @Permission('task.read')
  @ApiOperation({ summary: "A task's status, deadline and workflow history" })
  @ApiOkResponse({ type: TaskWorkflowDto })
  get(@Access() access: OrgAccess, @Param('taskId', ParseUUIDPipe) id: string): Promise<TaskWorkflowDto> {
    return this.workflow.get(access, id);
  }

  @Post('request')
  @HttpCode(200)
  @Permission('task.workflow')
  @ApiOperation({ summary: 'Record that the ANPR console or the Ministry was asked (date and reference): open -> requested' })
  @ApiOkResponse({ type: TaskWorkflowDto })
  request(@Access() access: OrgAccess, @Param('taskId', ParseUUIDPipe) id: string, @Body() dto: RequestTaskDto): Promise<TaskWorkflowDto> {
    return this.workflow.request(access, id, dto);
  }

  @Post('confirm')
  @HttpCode(200)
  @Permission('task.workflow')
  @ApiOperation({ summary: 'Confirm it was done, with evidence: -> confirmed' })
  @ApiOkResponse({ type: TaskWorkflowDto })
  confirm(@Access() access: OrgAccess, @Param('taskId', ParseUUIDPipe) id: string, @Body() dto: ConfirmTaskDto): Promise<TaskWorkflowDto> {
    return this.workflow.confirm(access, id, dto);
  }

  @Post('cancel')
  @HttpCode(200)
  @Permission('task.workflow')
  @ApiOperation({ summary: 'Cancel the task, with the reason: -> cancelled' })
  @ApiOkResponse({ type: TaskWorkflowDto })
  cancel(@Access() access: OrgAccess, @Param('taskId', ParseUUIDPipe) id: string, @Body() dto: CancelTaskDto): Promise<TaskWorkflowDto> {
    return this.workflow.cancel(access, id, dto);
  }
}
