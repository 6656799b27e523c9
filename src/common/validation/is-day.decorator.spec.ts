import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsDay } from './is-day.decorator';

class Body {
  @IsDay()
  on: string;
}

const errorsOf = (on: unknown) => validateSync(plainToInstance(Body, { on }));

describe(IsDay.name, () => {
  it.each(['2026-02-28', '2028-02-29', '2026-12-31', '2026-01-01'])('accepts %s', (on) => {
    expect(errorsOf(on)).toEqual([]);
  });

  it.each(['2026-02-29', '2026-02-31', '2026-04-31', '2026-13-01', '2026-00-10', '2026-2-3', '2026-02-03T00:00', '', 20260203, null])(
    'refuses %j',
    (on) => {
      const errors = errorsOf(on);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.constraints).toEqual({ isDay: 'on must be a real day as YYYY-MM-DD' });
    },
  );
});
