import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { UploadedFileLike } from '../attachments/attachments.service';
import { Access, Permission } from '../auth/access.decorators';
import { OrgAccess } from '../auth/principal';
import { asDownload } from '../common/http/download';
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
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    description:
      'JSON with the note and optionally the id of a file already stored in this Comune, or multipart/form-data with the note ' +
      'and the evidence file itself in the field "file" (PDF, PNG, JPEG or text; stored with its SHA-256 in the same transaction)',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ConfirmTaskDto) },
        {
          type: 'object',
          required: ['note', 'file'],
          properties: { note: { type: 'string', minLength: 3, maxLength: 2000 }, file: { type: 'string', format: 'binary' } },
        },
      ],
    },
  })
  @ApiOperation({ summary: 'Confirm it was done, with evidence (a note, and a file or the id of a stored one): -> confirmed' })
  @ApiOkResponse({ type: TaskWorkflowDto })
  confirm(
    @Access() access: OrgAccess,
    @Param('taskId', ParseUUIDPipe) id: string,
    @Body() dto: ConfirmTaskDto,
    @UploadedFile() file: UploadedFileLike | undefined,
  ): Promise<TaskWorkflowDto> {
    return this.workflow.confirm(access, id, dto, file);
  }

  @Get('attachments/:attachmentId')
  @Permission('task.read')
  @ApiProduces('application/pdf', 'image/png', 'image/jpeg', 'text/plain')
  @ApiOperation({ summary: "Download an evidence file cited in the task's history" })
  async downloadEvidence(
    @Access() access: OrgAccess,
    @Param('taskId', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
  ): Promise<StreamableFile> {
    return asDownload(await this.workflow.evidenceContent(access, id, attachmentId));
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
