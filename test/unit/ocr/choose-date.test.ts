import { describe, expect, it } from 'vitest';
import { chooseDate, newspaperById, newspaperEvidence, type NewspaperReading } from '../../../src/ocr/index.js';

const window = { from: '2026-11-21', to: '2026-11-22' };
const d = (iso: string) => ({ iso, text: iso });

describe('chooseDate', () => {
  it('prefers the one date in the window over others on the page', () => {
    expect(chooseDate([d('2025-01-01'), d('2026-11-22'), d('2026-10-01')], window)?.iso).toBe('2026-11-22');
  });
  it('reports the first date read when none is in the window, so a stale paper is rejected on its own date', () => {
    expect(chooseDate([d('2026-11-19'), d('2026-10-01')], window)?.iso).toBe('2026-11-19');
  });
  it('trusts neither of two different dates in the window', () => {
    expect(chooseDate([d('2026-11-21'), d('2026-11-22')], window)).toBeNull();
  });
  it('has nothing to choose from an unreadable page', () => {
    expect(chooseDate([], window)).toBeNull();
  });
});

describe('newspaperEvidence', () => {
  it('carries the reading into the shape decide judges', () => {
    const paper = newspaperById('cn-zj-zhejiang-daily')!;
    const reading: NewspaperReading = {
      mastheadFound: true, mastheadText: '浙江日报', dateRead: '2026-11-22', dateText: '2026年11月22日',
      datesRead: [d('2026-11-22')], ocrConfidence: 0.91, passes: 1, ms: 900,
    };
    expect(newspaperEvidence('step-5', { newspaper: paper, window }, reading, true)).toEqual({
      stepId: 'step-5', expectedName: 'Zhejiang Daily', mastheadFound: true, dateRead: '2026-11-22',
      dateText: '2026年11月22日', window, faceInPhoto: true, ocrConfidence: 0.91,
    });
  });
});
