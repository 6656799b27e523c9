import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/configuration';

export const API_PREFIX = 'api/v1';

/** Creates the HTTP application exactly as production runs it (used by main, tests and tools). */
export async function createHttpApp(config: AppConfig, options: { workers: boolean }): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register({ config, workers: options.workers }), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureHttpApp(app, config);
  return app;
}

export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Swagger UI needs inline styles and scripts; nothing else is served as HTML.
      contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'"] } },
    }),
  );
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimit, extended: false });
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health/(.*)', method: RequestMethod.GET }, 'metrics'] });
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const document = new DocumentBuilder()
    .setTitle('Custode API')
    .setDescription(
      'Inventory and lifecycle of ANPR security devices (workstation certificates, smart cards, credentials) ' +
        'for Italian Comuni. Errors are RFC 9457 application/problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Token from POST /api/v1/auth/login or an API token' })
    .build();
  return SwaggerModule.createDocument(app, document, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}
