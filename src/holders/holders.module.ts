import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { HoldersController } from './holders.controller';
import { HoldersRepository } from './holders.repository';
import { HoldersService } from './holders.service';

@Module({
  imports: [AuditModule],
  controllers: [HoldersController],
  providers: [HoldersService, HoldersRepository],
  exports: [HoldersService],
})
export class HoldersModule {}
