import { describe, expect, it } from 'vitest';
import { SubscriptionSet } from './subscriptionSet';

const quote = (symbol: string, seq: number) => ({ symbol, price: 100 + seq, seq });

describe('SubscriptionSet', () => {
  it('asks the server once per symbol however many holders it has, and lets go when the last one leaves', () => {
    const set = new SubscriptionSet(50);
    set.add(['aapl ', 'AAPL']);
    expect(set.reconcile()).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    expect(set.reconcile()).toEqual([]);
    set.remove(['AAPL']);
    expect(set.reconcile()).toEqual([]);
    set.remove(['aapl']);
    expect(set.reconcile()).toEqual([{ action: 'unsubscribe', symbols: ['AAPL'] }]);
    expect(set.size).toBe(0);
  });

  it('sends options with the symbols that have them, one frame per distinct options, and none without', () => {
    const set = new SubscriptionSet(50);
    set.add(['AAPL', 'MSFT'], { maxRate: 1, fields: ['price', 'volume'] });
    set.add(['TSLA']);
    set.add(['NFLX'], { fields: ['volume', 'price'], maxRate: 1 });
    expect(set.reconcile()).toEqual([
      { action: 'subscribe', symbols: ['AAPL', 'MSFT', 'NFLX'], options: { maxRate: 1, fields: ['price', 'volume'] } },
      { action: 'subscribe', symbols: ['TSLA'] },
    ]);
    expect(set.get('nflx')?.options).toEqual({ fields: ['volume', 'price'], maxRate: 1 });
  });

  it('subscribes a held symbol again when its options change (the edge replaces them), not when they stay', () => {
    const set = new SubscriptionSet(50);
    set.add(['AAPL'], { minChangePercent: 0.5 });
    set.reconcile();
    expect(set.recordQuote(quote('AAPL', 4))).toBe(true);
    set.add(['AAPL'], { minChangePercent: 0.5 });
    set.add(['AAPL']);
    expect(set.reconcile()).toEqual([]);
    set.add(['AAPL'], {});
    expect(set.reconcile()).toEqual([{ action: 'subscribe', symbols: ['AAPL'], since: { AAPL: 4 } }]);
    set.add(['AAPL'], { maxRate: 2 });
    expect(set.reconcile()).toEqual([{ action: 'subscribe', symbols: ['AAPL'], since: { AAPL: 4 }, options: { maxRate: 2 } }]);
  });

  it('resumes on a new connection with since = the highest seq kept per symbol', () => {
    const set = new SubscriptionSet(50);
    set.add(['AAPL', 'MSFT', 'TSLA']);
    set.reconcile();
    expect(set.recordQuote(quote('AAPL', 7))).toBe(true);
    expect(set.recordQuote(quote('AAPL', 9))).toBe(true);
    expect(set.recordQuote(quote('AAPL', 8))).toBe(false);
    expect(set.recordQuote(quote('MSFT', 3))).toBe(true);
    expect(set.recordQuote(quote('NFLX', 1))).toBe(false);
    expect(set.get('aapl')?.lastQuote?.seq).toBe(9);

    set.connectionLost();
    set.startConnection();
    expect(set.reconcile()).toEqual([{ action: 'subscribe', symbols: ['AAPL', 'MSFT', 'TSLA'], since: { AAPL: 9, MSFT: 3 } }]);
  });

  it('takes the seq jump of a symbol evicted and re-created upstream as newer, and resumes from it', () => {
    const set = new SubscriptionSet(50);
    set.add(['AAPL']);
    set.reconcile();
    const before = 1_765_000_000_000_000 + 41; // a state created at epoch ms x 1000
    const after = 1_765_700_000_000_000; // re-created a week later: a jump, not a loss
    expect(set.recordQuote(quote('AAPL', before))).toBe(true);
    expect(set.recordQuote(quote('AAPL', after))).toBe(true);
    expect(set.recordQuote(quote('AAPL', before + 1))).toBe(false);
    expect(Number.isSafeInteger(after)).toBe(true);
    set.connectionLost();
    set.startConnection();
    expect(set.reconcile()).toEqual([{ action: 'subscribe', symbols: ['AAPL'], since: { AAPL: after } }]);
  });

  it('splits frames at maxSymbolsPerMessage, unsubscribes first', () => {
    const set = new SubscriptionSet(2);
    set.add(['A', 'B', 'C']);
    set.reconcile();
    set.remove(['A', 'B', 'C']);
    set.add(['D', 'E', 'F']);
    expect(set.reconcile()).toEqual([
      { action: 'unsubscribe', symbols: ['A', 'B'] },
      { action: 'unsubscribe', symbols: ['C'] },
      { action: 'subscribe', symbols: ['D', 'E'] },
      { action: 'subscribe', symbols: ['F'] },
    ]);
  });

  it('keeps permanent rejections out of the next connection and retries transient ones', () => {
    const set = new SubscriptionSet(50);
    set.add(['AAPL', 'NOPE', 'BUSY']);
    set.reconcile();
    const rejections = set.acknowledge({
      type: 'subscribed',
      symbols: ['AAPL'],
      rejected: [
        { symbol: 'NOPE', code: 'INVALID_SYMBOL', reason: 'unknown' },
        { symbol: 'BUSY', code: 'SUBSCRIPTION_LIMIT_EXCEEDED' },
      ],
    });
    expect(rejections).toEqual([
      { symbol: 'NOPE', code: 'INVALID_SYMBOL', reason: 'unknown' },
      { symbol: 'BUSY', code: 'SUBSCRIPTION_LIMIT_EXCEEDED', reason: undefined },
    ]);
    expect(set.get('AAPL')?.status).toBe('active');
    expect(set.get('NOPE')?.status).toBe('rejected');

    set.connectionLost();
    set.startConnection();
    expect(set.get('AAPL')?.status).toBe('pending');
    expect(set.reconcile()).toEqual([{ action: 'subscribe', symbols: ['AAPL', 'BUSY'] }]);
  });

  it('resubscribes everything held, with since, and nothing when nothing is held', () => {
    const set = new SubscriptionSet(50);
    expect(set.resubscribeHeld()).toEqual([]);
    set.add(['AAPL', 'MSFT']);
    set.reconcile();
    set.recordQuote(quote('MSFT', 12));
    expect(set.resubscribeHeld()).toEqual([{ action: 'subscribe', symbols: ['AAPL', 'MSFT'], since: { MSFT: 12 } }]);
    expect(set.reconcile()).toEqual([]);
  });
});
