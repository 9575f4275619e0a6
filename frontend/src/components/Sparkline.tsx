export interface SparklineProps {
  values: number[];
  width?: number;
  height?: number;
  label: string;
}

/** Recent prices as an inline SVG polyline: no chart library for 60 points. */
export function Sparkline({ values, width = 96, height = 28, label }: SparklineProps) {
  if (values.length < 2) {
    return (
      <svg className="sparkline" width={width} height={height} role="img" aria-label={`${label}: not enough data yet`}>
        <line x1={0} y1={height / 2} x2={width} y2={height / 2} className="sparkline-empty" />
      </svg>
    );
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pad = 2;
  const step = (width - pad * 2) / (values.length - 1);
  const points = values
    .map((v, i) => `${(pad + i * step).toFixed(1)},${(pad + (height - pad * 2) * (1 - (v - min) / span)).toFixed(1)}`)
    .join(' ');
  const first = values[0];
  const last = values[values.length - 1];
  const trend = last > first ? 'up' : last < first ? 'down' : 'flat';
  const pct = first ? ((last - first) / first) * 100 : 0;
  return (
    <svg
      className={`sparkline sparkline-${trend}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${label}: ${trend} ${Math.abs(pct).toFixed(2)}% over the last ${values.length} updates`}
      data-points={values.length}
    >
      <polyline points={points} fill="none" strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
