import { callerKey } from '../../../gateway/budget/index.js';

describe('callerKey', () => {
  it('uses the subject when authenticated', () => {
    expect(callerKey({ subject: 'ada', address: '10.0.0.1' })).toBe('sub:ada');
  });

  it('uses the address when anonymous', () => {
    expect(callerKey({ address: '10.0.0.1' })).toBe('addr:10.0.0.1');
  });

  it('keeps a subject that looks like an address apart', () => {
    expect(callerKey({ subject: '10.0.0.1' })).not.toBe(callerKey({ address: '10.0.0.1' }));
  });

  it('shares one bucket without subject or address', () => {
    expect(callerKey({})).toBe('anonymous');
  });
});
