import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Permission } from '../../auth/access.decorators';
import { OrgAccess } from '../../auth/principal';
import { AcknowledgeDto } from '../dto/device-requests.dto';
import { HandoverReceiptDto, HandoverService } from './handover.service';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('orgs/:orgId/handover-receipts')
export class HandoverController {
  constructor(private readonly service: HandoverService) {}

  @Get(':receiptId')
  @Permission('device.read')
  @ApiOperation({ summary: 'A handover receipt (verbale di consegna) and its acknowledgement' })
  get(@Access() access: OrgAccess, @Param('receiptId', ParseUUIDPipe) id: string): Promise<HandoverReceiptDto> {
    return this.service.get(access, id);
  }

  @Get(':receiptId/pdf')
  @Permission('device.read')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The receipt as a PDF in Italian, for signature' })
  async pdf(@Access() access: OrgAccess, @Param('receiptId', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const { fileName, pdf } = await this.service.pdf(access, id);
    res.status(200).type('application/pdf').setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.end(pdf);
  }

  @Post(':receiptId/acknowledge')
  @HttpCode(200)
  @Permission('handover.acknowledge')
  @ApiOperation({ summary: "Record the holder's acknowledgement (who and when): by the holder, or by an administrator after signature" })
  acknowledge(
    @Access() access: OrgAccess,
    @Param('receiptId', ParseUUIDPipe) id: string,
    @Body() dto: AcknowledgeDto,
  ): Promise<HandoverReceiptDto> {
    return this.service.acknowledge(access, id, dto.note ?? null);
  }
}
