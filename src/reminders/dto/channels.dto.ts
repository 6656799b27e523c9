import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, Length, MaxLength } from 'class-validator';
import { WebhookEndpointEntity } from '../entities/webhook-endpoint.entity';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://siem.comune.example/custode', description: 'http(s) URL that receives a signed POST per reminder' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url: string;

  @ApiProperty({ example: 'SIEM del Comune' })
  @IsString()
  @Length(1, 200)
  description: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty() description: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ description: 'HMAC-SHA256 key of X-Custode-Signature; shown only now' }) secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items: WebhookDto[];
}

export class CalendarFeedDto {
  @ApiProperty({
    description: 'Subscribe to this path on this server; the token is shown only now',
    example: '/api/v1/calendar/cfd_....ics',
  })
  path: string;
  @ApiProperty() token: string;
}

export const mapWebhook = (w: WebhookEndpointEntity): WebhookDto => ({
  id: w.id,
  url: w.url,
  description: w.description,
  createdAt: w.createdAt.toISOString(),
  revokedAt: w.revokedAt?.toISOString() ?? null,
});
