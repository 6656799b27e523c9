import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ORG_ROLES, OrgRole } from '../roles';

const toLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'mario.rossi@comune.example.it' })
  @Transform(toLower)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Mario Rossi' })
  @IsString()
  @Length(2, 200)
  displayName: string;

  @ApiProperty({ enum: ORG_ROLES })
  @IsIn(ORG_ROLES)
  role: OrgRole;

  @ApiProperty({ format: 'password', description: 'Initial password; the user must change it at first sign-in' })
  @IsString()
  @MaxLength(256)
  password: string;
}

export class AddMemberDto {
  @ApiProperty({ description: 'E-mail of an existing user' })
  @Transform(toLower)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: ORG_ROLES })
  @IsIn(ORG_ROLES)
  role: OrgRole;
}

export class UpdateMemberDto {
  @ApiProperty({ enum: ORG_ROLES })
  @IsIn(ORG_ROLES)
  role: OrgRole;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'The user id' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ORG_ROLES }) role: OrgRole;
  @ApiProperty({ description: 'Italian label of the role' }) roleLabel: string;
  @ApiProperty() mustChangePassword: boolean;
  @ApiProperty({ nullable: true, type: String }) lockedUntil: string | null;
  @ApiProperty() createdAt: string;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] }) items: MemberDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'registry software sync' })
  @IsString()
  @Length(2, 100)
  name: string;

  @ApiProperty({ enum: ORG_ROLES, description: 'What the token may do, as a member with this role' })
  @IsIn(ORG_ROLES)
  role: OrgRole;

  @ApiPropertyOptional({ minimum: 1, maximum: 730, description: 'Days until it expires; never when omitted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;
}

export class ApiTokenDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ORG_ROLES }) role: OrgRole;
  @ApiProperty({ description: 'First characters, to tell tokens apart' }) tokenPrefix: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The token. Shown once: it is not stored and cannot be shown again.' }) token: string;
}

export class ApiTokenPageDto {
  @ApiProperty({ type: [ApiTokenDto] }) items: ApiTokenDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
