import { CallHandler, ExecutionContext, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import { DomainError } from '../../common/errors/domain-error';

/**
 * Wraps FileInterceptor: multer's size limit becomes the parser's FILE_TOO_LARGE (422), so an
 * oversized certificate file is refused like any other bad file.
 */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new DomainError('FILE_TOO_LARGE', 'The file is larger than the upload limit (UPLOAD_LIMIT_BYTES).')
              : error,
          ),
        ),
      );
  }
}
