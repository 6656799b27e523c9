import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { problemFor } from './problem.filter';

describe(problemFor.name, () => {
  it('maps a domain error to its status, code and detail fields', () => {
    const { problem, unexpected } = problemFor(new DomainError('ISTAT_CODE_TAKEN', 'taken', { organizationId: 'x' }));
    expect(problem).toMatchObject({ status: 409, code: 'ISTAT_CODE_TAKEN', detail: 'taken', organizationId: 'x', title: 'Conflict' });
    expect(unexpected).toBe(false);
  });

  it.each([
    ['23505', 'PostgreSQL'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'SQLite'],
  ])('turns a unique violation (%s, %s) from a concurrent insert into 409, not 500', (code) => {
    const error = new QueryFailedError('INSERT ...', [], Object.assign(new Error('duplicate key'), { code }));
    expect(problemFor(error)).toMatchObject({ problem: { status: 409, code: 'CONFLICT' }, unexpected: false });
  });

  it('keeps other database errors as unexpected 500s without their text', () => {
    const error = new QueryFailedError('SELECT secret', [], Object.assign(new Error('syntax error near secret'), { code: '42601' }));
    const { problem, unexpected } = problemFor(error);
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toContain('secret');
    expect(unexpected).toBe(true);
  });

  it('maps framework exceptions and body-parser errors to 4xx problems', () => {
    expect(problemFor(new NotFoundException()).problem).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(problemFor(new BadRequestException('bad')).problem).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
    expect(problemFor({ status: 413, type: 'entity.too.large', message: 'too large' }).problem).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(problemFor({ status: 400, type: 'entity.parse.failed' }).problem).toMatchObject({
      code: 'MALFORMED_REQUEST',
      detail: 'The request body is not valid JSON',
    });
  });
});
