import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('has working defaults for a first run', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBe('sqlite:data/meridian.sqlite');
    expect(c.PORT).toBe(3000);
    expect(c.APP_TIMEZONE).toBe('UTC');
    expect(c.DEFAULT_CURRENCY).toBe('USD');
    expect(c.generatedSecrets).toEqual(['SESSION_SECRET', 'APP_KEY']);
  });

  it.each([
    ['PORT', 'abc', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'postgres://x/y', /DATABASE_URL/],
    ['APP_TIMEZONE', 'Mars/Olympus', /APP_TIMEZONE/],
    ['DEFAULT_CURRENCY', 'usd', /DEFAULT_CURRENCY/],
    ['ADMIN_EMAIL', 'not-an-email', /ADMIN_EMAIL/],
    ['SMTP_URL', 'http://mail', /SMTP_URL/],
    ['APP_URL', 'localhost', /APP_URL/],
    ['SEED_DEMO', 'maybe', /SEED_DEMO/],
  ])('names %s when it is %s', (name, value, pattern) => {
    expect(() => loadConfig({ [name]: value, ...(name === 'ADMIN_EMAIL' ? { ADMIN_PASSWORD: 'long-enough-password' } : {}) })).toThrow(pattern);
  });

  it('requires secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(/SESSION_SECRET[\s\S]*APP_KEY/);
    }
  });

  it('accepts MySQL and MariaDB URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/meridian' }).DATABASE_URL).toMatch(/^mysql/);
    expect(loadConfig({ DATABASE_URL: 'mariadb://u:p@db/meridian' }).DATABASE_URL).toMatch(/^mariadb/);
  });
});
