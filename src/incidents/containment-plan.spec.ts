import { planStep, proposedAction } from './containment-plan';

describe('containment plan', () => {
  it('compromises certificates and credentials exposed on a call that gave something away', () => {
    expect(proposedAction('credentials_disclosed', 'credential')).toBe('mark_compromised');
    expect(proposedAction('remote_session_granted', 'workstation_certificate')).toBe('mark_compromised');
    expect(proposedAction('remote_session_granted', 'smart_card')).toBeNull();
  });

  it('reports a lost or stolen card and suspends the credentials of a lost device', () => {
    expect(proposedAction('device_lost', 'smart_card')).toBe('report_lost');
    expect(proposedAction('device_stolen', 'smart_card')).toBe('report_stolen');
    expect(proposedAction('device_stolen', 'credential')).toBe('suspend');
  });

  it('proposes nothing for a call where nothing was given', () => {
    expect(proposedAction('suspicious_call', 'credential')).toBeNull();
    expect(proposedAction('suspicious_call', 'workstation_certificate')).toBeNull();
  });

  it('says in Italian what happens, and skips what the lifecycle does not allow', () => {
    const sut = planStep;
    const cred = { id: 'c1', kind: 'credential' as const, status: 'active' as const, label: 'mrossi' };
    expect(sut('credentials_disclosed', cred, undefined)).toMatchObject({
      action: 'mark_compromised',
      toStatus: 'compromised',
      summary: 'Credenziale «mrossi»: da «attiva» a «compromessa» (da sospendere subito nella consolle o nel sistema)',
    });
    const revoked = { id: 'x', kind: 'workstation_certificate' as const, status: 'revoked' as const, label: '012345-PC-1' };
    expect(sut('remote_session_granted', revoked, undefined)).toMatchObject({ action: null, toStatus: null });
    expect(sut('credentials_disclosed', cred, 'none')).toMatchObject({ action: null });
    const card = { id: 'k', kind: 'smart_card' as const, status: 'active' as const, label: 'SC-1' };
    expect(sut('other', card, 'report_stolen').summary).toContain(
      'richiesta di revoca o blocco da inoltrare; richiesta di un dispositivo sostitutivo',
    );
  });
});
