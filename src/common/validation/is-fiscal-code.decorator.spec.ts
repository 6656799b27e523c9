import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsFiscalCode } from './is-fiscal-code.decorator';

class HolderBody {
  @IsFiscalCode()
  fiscalCode: string;
}

class OptionalBody {
  @IsFiscalCode({ optional: true })
  fiscalCode?: string;
}

function check<T extends object>(cls: new () => T, plain: object) {
  const sut = plainToInstance(cls, plain);
  return { sut, errors: validateSync(sut, { whitelist: true, forbidNonWhitelisted: true }) };
}

describe(IsFiscalCode.name, () => {
  it('uppercases and trims, then accepts a valid code', () => {
    const { sut, errors } = check(HolderBody, { fiscalCode: ' rssmra80a01h501u ' });
    expect(errors).toEqual([]);
    expect(sut.fiscalCode).toBe('RSSMRA80A01H501U');
  });

  it.each([['RSSMRA80A01H501V'], ['RSSMRA80B30H501X'], ['not a code'], [42], [undefined]])('refuses %j', (fiscalCode) => {
    const { errors } = check(HolderBody, { fiscalCode });
    expect(errors).toHaveLength(1);
    expect(errors[0].constraints).toEqual({
      isFiscalCode: 'fiscalCode must be a valid codice fiscale',
    });
  });

  it('accepts an absent value only when optional', () => {
    expect(check(OptionalBody, {}).errors).toEqual([]);
    expect(check(OptionalBody, { fiscalCode: 'rssmra79b11c566r' }).sut.fiscalCode).toBe('RSSMRA79B11C566R');
    expect(check(OptionalBody, { fiscalCode: 'RSSMRA79B11C566X' }).errors).toHaveLength(1);
  });

  it('describes the field for OpenAPI', () => {
    const metadata = Reflect.getMetadata('swagger/apiModelProperties', HolderBody.prototype, 'fiscalCode') as Record<string, unknown>;
    expect(metadata).toMatchObject({
      example: 'RSSMRA80A01H501U',
      required: true,
      pattern: expect.stringContaining('[ABCDEHLMPRST]'),
    });
  });
});
