import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log/index.js';
import { Metrics } from '../../../src/metrics/index.js';

describe('structured logs', () => {
  it('write one JSON object per line and drop biometric and identity fields', () => {
    const lines: string[] = [];
    const log = createLogger('info', { service: 'realperson' }, (l) => lines.push(l)).child({ sessionId: 'ses_1' });
    log.debug('hidden');
    log.info('job done', { outcome: 'review', embedding: [0.1, 0.2], documentNumber: '11010519491231002X', declared: { fullName: 'A' }, image: new Uint8Array(10), photo: new Uint8Array(4), err: new Error('boom') });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', msg: 'job done', service: 'realperson', sessionId: 'ses_1', outcome: 'review', photo: '[4 bytes]', err: { message: 'boom' } });
    expect(lines[0]).not.toContain('11010519491231002X');
    expect(lines[0]).not.toContain('0.1');
    expect(entry).not.toHaveProperty('declared');
  });
});

describe('metrics', () => {
  it('renders counters, gauges and histograms in the Prometheus text format', async () => {
    const m = new Metrics();
    m.inc('realperson_decisions_total', 'Decisions', { outcome: 'review' });
    m.inc('realperson_decisions_total', 'Decisions', { outcome: 'review' });
    m.observe('realperson_http_request_duration_seconds', 'latency', { route: '/healthz' }, 0.02);
    m.gauge('realperson_jobs', 'jobs', async () => [{ labels: { status: 'queued' }, value: 3 }]);
    const text = await m.render();
    expect(text).toContain('realperson_decisions_total{outcome="review"} 2');
    expect(text).toContain('realperson_http_request_duration_seconds_bucket{route="/healthz",le="0.025"} 1');
    expect(text).toContain('realperson_http_request_duration_seconds_bucket{route="/healthz",le="0.01"} 0');
    expect(text).toContain('realperson_jobs{status="queued"} 3');
  });
});
