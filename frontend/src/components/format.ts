const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });

export function formatPrice(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : price.format(v);
}

export function formatChange(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${price.format(Math.abs(v))}`;
}

export function formatPercent(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  return `${v > 0 ? '+' : v < 0 ? '−' : ''}${price.format(Math.abs(v))}%`;
}

export function formatVolume(v: number | null | undefined): string {
  return v == null || !Number.isFinite(v) ? '—' : compact.format(v);
}

export function direction(v: number | null | undefined): 'up' | 'down' | 'flat' {
  if (v == null || !Number.isFinite(v) || v === 0) return 'flat';
  return v > 0 ? 'up' : 'down';
}
