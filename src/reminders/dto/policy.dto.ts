import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsInt, Max, Min } from 'class-validator';
import { POLICY_SUBJECTS, PolicySubject } from '../entities/reminder-policy.entity';
import { CHANNELS, Channel } from '../entities/reminder.entity';
import { Policy } from '../reminder-policy';

export class UpdatePolicyDto {
  @ApiProperty({ type: [Number], example: [90, 60, 30, 14, 7, 1, 0], description: 'Days before expiry (tasks: 1 and/or -1)' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(-1, { each: true })
  @Max(730, { each: true })
  steps: number[];

  @ApiProperty({ minimum: 0, maximum: 23, example: 9, description: 'Hour of the day in Europe/Rome' })
  @IsInt()
  @Min(0)
  @Max(23)
  sendHour: number;

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: Channel[];

  @ApiProperty({ type: [Number], example: [7, 1, 0], description: "Steps that also go to the Mayor's office when not acknowledged" })
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsInt({ each: true })
  escalateSteps: number[];
}

export class PolicyDto {
  @ApiProperty({ enum: POLICY_SUBJECTS }) subjectKind: PolicySubject;
  @ApiProperty({ type: [Number] }) steps: number[];
  @ApiProperty() sendHour: number;
  @ApiProperty({ enum: CHANNELS, isArray: true }) channels: Channel[];
  @ApiProperty({ type: [Number] }) escalateSteps: number[];
  @ApiProperty({ description: 'False: the defaults apply' }) custom: boolean;
}

export class PolicyListDto {
  @ApiProperty({ type: [PolicyDto] }) items: PolicyDto[];
}

export const mapPolicy = (p: Policy): PolicyDto => ({
  subjectKind: p.subjectKind,
  steps: [...p.steps],
  sendHour: p.sendHour,
  channels: [...p.channels],
  escalateSteps: [...p.escalateSteps],
  custom: p.custom,
});
