import fc from 'fast-check';

/** Strings that have broken real services: injection, traversal, encodings, control characters. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e',
  '😀'.repeat(50),
  'é'.repeat(300),
  'x'.repeat(10_000),
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '%00',
  '%',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/dev/zero',
  'file:///etc/passwd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://127.0.0.1/a}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '2026-02-30',
  '2026-13-01',
  '9999-12-31T23:59:59Z',
  'T',
  'null',
  'true',
  'RSSMRA80A01H501X',
  '00000000-0000-0000-0000-000000000000',
  'cus_' + 'A'.repeat(43),
];

export const HOSTILE_NUMBERS = [0, -1, 1, -0, 2 ** 31, -(2 ** 31), 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 0.5, 1e-12];

/** Any JSON value, biased to the boundary values above. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, null, true, false),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.integer(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'id', '__proto__', 'constructor', 'email', 'role', 'name'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

export interface SchemaObject {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  $ref?: string;
  allOf?: SchemaObject[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  nullable?: boolean;
}

/** A value of the schema's type near its limits, or (often) a hostile value of another type. */
export function valueFor(schema: SchemaObject, resolve: (s: SchemaObject) => SchemaObject, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const typed: fc.Arbitrary<unknown> = (() => {
    if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), fc.constantFrom(...HOSTILE_STRINGS));
    switch (s.type) {
      case 'string':
        return fc.oneof(
          fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 50, 300) }),
          fc.constantFrom(...HOSTILE_STRINGS),
          fc.string({ minLength: (s.maxLength ?? 300) + 1, maxLength: (s.maxLength ?? 300) + 5 }),
          fc.constantFrom('2026-04-25', '2026-03-29T01:30:00Z', 'mario.rossi@comune.example.it', '015146', 'RSSMRA80A01H501U'),
        );
      case 'integer':
      case 'number':
        return fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: (s.minimum ?? 0) - 2, max: (s.maximum ?? 100) + 2 }));
      case 'boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom<unknown>('true', 0, 1, null));
      case 'array':
        return depth > 2 ? fc.constant([]) : fc.array(s.items ? valueFor(s.items, resolve, depth + 1) : hostileValue, { maxLength: 5 });
      case 'object':
      default:
        if (!s.properties || depth > 2) return hostileValue;
        return objectFor(s, resolve, depth + 1);
    }
  })();
  return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: hostileValue });
}

export function objectFor(
  schema: SchemaObject,
  resolve: (s: SchemaObject) => SchemaObject,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const s = resolve(schema);
  const props = Object.entries(s.properties ?? {});
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, prop] of props) record[name] = valueFor(prop, resolve, depth);
  return fc
    .record(record, { requiredKeys: [] })
    .chain((obj) =>
      fc.oneof(
        { weight: 5, arbitrary: fc.constant(obj) },
        { weight: 1, arbitrary: fc.constant({ ...obj, unexpectedField: 'x', isSuperadmin: true }) },
      ),
    );
}
