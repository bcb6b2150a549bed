import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const result = loadConfig({});
    expect(result).toEqual({
      ok: true,
      config: expect.objectContaining({
        dataDir: './data',
        databaseUrl: undefined,
        allowedHosts: [],
        port: 8080,
        healthIntervalMs: 6 * 3_600_000,
        failureThreshold: 3,
      }),
    });
  });

  it('reads every variable', () => {
    const result = loadConfig({
      SKYBRIDGE_DATA_DIR: '/var/lib/skybridge',
      DATABASE_URL: 'postgres://u@db/skybridge',
      SKYBRIDGE_ALLOWED_HOSTS: '127.0.0.1:4010, Sim.Local',
      SKYBRIDGE_PORT: '9000',
      SKYBRIDGE_HEALTH_INTERVAL: '30m',
      SKYBRIDGE_FAILURE_THRESHOLD: '5',
    });
    expect(result.ok && result.config).toMatchObject({
      dataDir: '/var/lib/skybridge',
      databaseUrl: 'postgres://u@db/skybridge',
      allowedHosts: ['127.0.0.1:4010', 'sim.local'],
      port: 9000,
      healthIntervalMs: 1_800_000,
      failureThreshold: 5,
    });
  });

  it('names every bad variable at once', () => {
    const result = loadConfig({ DATABASE_URL: 'mysql://x', SKYBRIDGE_PORT: 'eighty', SKYBRIDGE_HEALTH_INTERVAL: '5s' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(result.problems.join('\n')).toMatch(/SKYBRIDGE_PORT/);
    expect(result.problems.join('\n')).toMatch(/SKYBRIDGE_HEALTH_INTERVAL/);
  });

  it('lets flags override the environment', () => {
    const result = loadConfig({ SKYBRIDGE_DATA_DIR: '/a' }, { dataDir: '/b' });
    expect(result.ok && result.config.dataDir).toBe('/b');
  });
});

describe('parseDuration', () => {
  it.each([
    ['500', 500],
    ['90s', 90_000],
    ['15m', 900_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    ['soon', undefined],
  ])('%s -> %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
});
