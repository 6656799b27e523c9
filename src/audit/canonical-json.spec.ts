import { canonicalJson } from './canonical-json';

describe(canonicalJson.name, () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same value built in another key order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('writes dates as ISO-8601 UTC', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 10, 22, 15, 0, 0)) })).toBe('{"at":"2026-11-22T15:00:00.000Z"}');
  });

  it('refuses values that have no canonical form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});
