import { describe, expect, it } from 'vitest';
import {
  describeChange,
  escapeMarkdown,
  formatBytes,
  formatChangeCompact,
  formatDuration,
  formatFactor,
  formatGeomean,
  formatNumber,
  formatPercent,
  formatThroughput,
  formatValue,
  metricChange,
  safeUrl,
  unitKind,
} from '../src/report/index.ts';
import { bench } from './helpers/comparison.ts';

describe('number formatting', () => {
  it('time per operation in ns becomes human', () => {
    expect(formatDuration(812)).toBe('812 ns');
    expect(formatDuration(8.123)).toBe('8.12 ns');
    expect(formatDuration(1240)).toBe('1.24 µs');
    expect(formatDuration(999.7)).toBe('1.00 µs');
    expect(formatDuration(3_500_000)).toBe('3.50 ms');
    expect(formatDuration(1_200_000_000)).toBe('1.20 s');
    expect(formatDuration(75_300_000_000)).toBe('75.3 s');
    expect(formatDuration(4_000_000_000_000)).toBe('4,000 s');
  });

  it('throughput: grouped below a million, compact above', () => {
    expect(formatThroughput(2539)).toBe('2,539 ops/s');
    expect(formatThroughput(208_253)).toBe('208,253 ops/s');
    expect(formatThroughput(1_231_000)).toBe('1.23M ops/s');
    expect(formatThroughput(1_231_000, 'ops/s', { compact: false })).toBe('1,231,000 ops/s');
    expect(formatThroughput(46)).toBe('46.0 ops/s');
    expect(formatThroughput(2.5e9, 'req/s')).toBe('2.50G req/s');
  });

  it('bytes and other units', () => {
    expect(formatBytes(95_200_000)).toBe('95.2 MB');
    expect(formatBytes(812)).toBe('812 B');
    expect(formatValue(95.2, 'MB')).toBe('95.2 MB');
    expect(formatValue(3.5, 'ms')).toBe('3.50 ms');
    expect(formatValue(1.24, 'us')).toBe('1.24 µs');
    expect(formatValue(93.1, '%')).toBe('93.1%');
    expect(formatValue(12.345, 'widgets')).toBe('12.3 widgets');
    expect(formatValue(1234567, 'instructions')).toBe('1,234,567 instructions');
    expect(formatValue(0.000123, 'J')).toBe('0.000123 J');
    expect(formatValue(Number.NaN, 'ns')).toBe('—');
    expect(formatNumber(-1234.5)).toBe('−1,235');
  });

  it('knows units', () => {
    expect(unitKind('ns')).toBe('time');
    expect(unitKind('µs')).toBe('time');
    expect(unitKind('ops/s')).toBe('throughput');
    expect(unitKind('ops/sec')).toBe('throughput');
    expect(unitKind('Hz')).toBe('throughput');
    expect(unitKind('bytes')).toBe('bytes');
    expect(unitKind('MiB')).toBe('bytes');
    expect(unitKind('score')).toBe('other');
  });

  it('percentages are signed, with a real minus', () => {
    expect(formatPercent(0.228)).toBe('+22.8%');
    expect(formatPercent(-0.126)).toBe('−12.6%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(-0.00001)).toBe('0.0%');
    expect(formatPercent(0.0004)).toBe('+0.04%');
    expect(formatPercent(12.5)).toBe('+1,250%');
    expect(formatPercent(0.181, { percent: false })).toBe('+18.1');
    expect(formatFactor(7.94)).toBe('7.9×');
    expect(formatFactor(55.2)).toBe('55×');
    expect(formatFactor(173.4)).toBe('173×');
    expect(formatGeomean(1.031)).toBe('+3.1% worse');
    expect(formatGeomean(0.98)).toBe('−2.0% better');
    expect(formatGeomean(undefined)).toBe('—');
  });
});

describe('changes', () => {
  it('shows the change of the metric itself, compactly, with its interval', () => {
    const slower = bench({ suite: 's', name: 'lat', unit: 'ns', base: 1000, change: 0.228, ci: [0.181, 0.279], verdict: 'major' });
    expect(formatChangeCompact(metricChange(slower))).toBe('+22.8% [+18.1, +27.9]');
    expect(describeChange(slower)).toBe('22.8% slower (95% CI +18.1% … +27.9%)');

    const lessThroughput = bench({ suite: 's', name: 'tp', unit: 'ops/s', base: 2905, change: -0.126, ci: [-0.15, -0.101], verdict: 'minor' });
    expect(formatChangeCompact(metricChange(lessThroughput))).toBe('−12.6% [−15.0, −10.1]');
    expect(describeChange(lessThroughput)).toBe('12.6% lower throughput (95% CI −15.0% … −10.1%)');

    const faster = bench({ suite: 's', name: 'f', unit: 'ms', base: 10, change: -0.099, verdict: 'improved' });
    expect(describeChange(faster)).toMatch(/^9\.9% faster/);
    const memory = bench({ suite: 's', name: 'm', unit: 'bytes', base: 1e6, change: 0.05, verdict: 'minor' });
    expect(describeChange(memory)).toMatch(/^5\.0% more memory/);
  });

  it('derives the metric change from `worse` when the ratio is absent (direction-aware)', () => {
    const b = bench({ suite: 's', name: 'tp', unit: 'ops/s', base: 100, change: -0.2, ci: [-0.25, -0.15], verdict: 'major' });
    const { ratio: _r, ratioCi: _c, ...withoutRatio } = b;
    const m = metricChange(withoutRatio)!;
    expect(m.change).toBeCloseTo(-0.2, 10);
    expect(m.ci![0]).toBeCloseTo(-0.25, 10);
    expect(m.ci![1]).toBeCloseTo(-0.15, 10);
    expect(metricChange({ direction: 'lower' })).toBeUndefined();
    expect(formatChangeCompact(undefined)).toBe('—');
  });
});

describe('escaping', () => {
  it('renders hostile names as literal text', () => {
    const out = escapeMarkdown('<img src=x onerror=alert(1)>|**x**');
    expect(out).toBe('&lt;img src=x onerror=alert(1)&gt;\\|\\*\\*x\\*\\*');
    expect(escapeMarkdown('a\nb\r\nc')).toBe('a b c');
    expect(escapeMarkdown('`code` _em_ [l](u) ~s~ $x$ \\')).toBe('\\`code\\` \\_em\\_ \\[l\\](u) \\~s\\~ \\$x\\$ \\\\');
    expect(escapeMarkdown('&amp;')).toBe('&amp;amp;');
    expect(escapeMarkdown('@scope/pkg')).toBe('@\u2060scope/pkg');
  });

  it('only links http(s) URLs', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://x.test/a b(c)')).toBe('https://x.test/a%20b%28c%29');
  });
});
