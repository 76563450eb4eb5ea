// Failed sign-ins per address: counted in a fixed window, only failures, each address on its own.
import { describe, expect, it } from 'vitest';
import { Problem } from '../../../src/problem/index.js';
import { createLoginThrottle } from '../../../src/staff/throttle.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 8, 0, 0) + s * 1000);

describe('login throttle', () => {
  it('admits an address until its failures fill the window, then says when to come back', () => {
    const th = createLoginThrottle(3, 60);
    for (let i = 0; i < 3; i++) {
      th.admit('203.0.113.9', at(i));
      th.failed('203.0.113.9', at(i));
    }
    let refused: unknown;
    try { th.admit('203.0.113.9', at(20)); } catch (err) { refused = err; }
    expect(refused).toBeInstanceOf(Problem);
    expect((refused as Problem).status).toBe(429);
    expect((refused as Problem).retryAfterSeconds).toBe(40);
    // another address is not held for it
    expect(() => th.admit('198.51.100.7', at(20))).not.toThrow();
    // the window ends a minute after its first failure
    expect(() => th.admit('203.0.113.9', at(60))).not.toThrow();
  });

  it('never holds an address for sign-ins that succeed', () => {
    const th = createLoginThrottle(2, 60);
    for (let i = 0; i < 50; i++) th.admit('203.0.113.9', at(i));
    th.failed('203.0.113.9', at(51));
    expect(() => th.admit('203.0.113.9', at(52))).not.toThrow();
    th.failed('203.0.113.9', at(53));
    expect(() => th.admit('203.0.113.9', at(54))).toThrow(/too many failed sign-ins/);
  });
});
