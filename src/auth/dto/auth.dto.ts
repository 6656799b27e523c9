import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'als@comune.example.it' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Opaque bearer token: send it as "Authorization: Bearer <token>"' }) token: string;
  @ApiProperty({ description: 'ISO-8601 UTC' }) expiresAt: string;
  @ApiProperty({ description: 'True until the password someone else chose is changed' }) mustChangePassword: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: 12, description: 'At least 12 characters, not a common password' })
  @IsString()
  @MaxLength(256)
  newPassword: string;
}

export class MembershipSummaryDto {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty() istatCode: string;
  @ApiProperty() role: string;
  @ApiProperty({ description: 'Italian label of the role' }) roleLabel: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty() isSuperadmin: boolean;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ type: [MembershipSummaryDto] }) memberships: MembershipSummaryDto[];
}
