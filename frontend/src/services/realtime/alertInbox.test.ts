import { describe, expect, it } from 'vitest';
import { AlertInbox, SEEN_ALERTS_KEY } from './alertInbox';

describe('AlertInbox', () => {
  it('lets an alert id through once, also for the next page of the same browser', () => {
    const storage = window.localStorage;
    storage.removeItem(SEEN_ALERTS_KEY);
    const first = new AlertInbox(storage);
    expect(first.admit('a1')).toBe(true);
    expect(first.admit('a1')).toBe(false);
    expect(new AlertInbox(storage).admit('a1')).toBe(false);
    expect(new AlertInbox(storage).admit('a2')).toBe(true);
  });

  it('survives garbage in storage', () => {
    window.localStorage.setItem(SEEN_ALERTS_KEY, '{not json');
    expect(new AlertInbox(window.localStorage).admit('a1')).toBe(true);
  });
});
