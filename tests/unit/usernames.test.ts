import {
  PASSWORD_SYMBOLS,
  candidateAt,
  generatePassword,
  isValidWhmUsername,
  usernameBase,
  usernameCandidates,
} from '../../src/domain/provisioning/usernames.js';

/** Usernames per cPanel's rules (provider-apis.md A.5) and generated passwords. Expectations are written by hand. */

const first = (domain: string | null, n: number) => {
  const out: string[] = [];
  for (const name of usernameCandidates(domain)) {
    out.push(name);
    if (out.length === n) break;
  }
  return out;
};

describe('isValidWhmUsername', () => {
  it.each(['example', 'a', 'shop2024', 'abcdefghijklmnop', 'xtest', 'mycpanel', 'rooted', 'dbuser', 'passwd'])('accepts %s', (name) => {
    expect(isValidWhmUsername(name)).toEqual({ ok: true });
  });

  it.each([
    ['', 'empty'],
    ['abcdefghijklmnopq', 'longer than 16'],
    ['Example', 'lower-case'],
    ['my-site', 'lower-case'],
    ['my_site', 'lower-case'],
    ['my.site', 'lower-case'],
    ['1shop', 'start with a digit'],
    ['12345', 'start with a digit'],
    ['root', 'reserved username'],
    ['nobody', 'reserved username'],
    ['mailman', 'reserved username'],
    ['virtfs', 'reserved username'],
    ['whmxfer', 'reserved username'],
    ['all', 'reserved username'],
    ['www', 'system account or mail alias'],
    ['abuse', 'system account or mail alias'],
    ['test', 'starts with “test”'],
    ['testing', 'starts with “test”'],
    ['cpanel1', 'starts with “cpanel”'],
    ['cpmydnsx', 'starts with “cpmydns”'],
    ['mydnsa', 'starts with “mydns”'],
    ['cpsesabc', 'starts with “cpses”'],
    ['cptkt9', 'starts with “cptkt”'],
    ['cpbackupx', 'starts with “cpbackup”'],
    ['mypassword', 'ends with “assword”'],
    ['assword', 'ends with “assword”'],
  ])('refuses %j (%s)', (name, reason) => {
    const r = isValidWhmUsername(name);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });
});

describe('usernameBase', () => {
  it.each([
    ['Example.com', 'example'],
    ['www.Example.org', 'example'],
    ['123test-shop.co.uk', 'shop'],
    ['testing.com', 'ing'],
    ['testtest9shop.net', 'shop'],
    ['a.io', 'a'],
    ['xn--bcher-kva.example', 'bucher'],
    ['thequickbrownfoxjumpsoverthelazydog1.com', 'thequick'],
    ['cpanelhost.net', 'host'],
    ['123.example.com', 'example'],
    ['12345.com', 'user'],
    ['тест.рф', 'user'],
    ['', 'user'],
    [null, 'user'],
    ['shop.example.com.', 'shop'],
  ])('%j → %s', (domain, base) => {
    expect(usernameBase(domain)).toBe(base);
  });
});

describe('usernameCandidates', () => {
  it('appends a counter while it fits in 8 characters, then lets it replace the tail', () => {
    expect(first('Example.com', 12)).toEqual([
      'example', 'example1', 'example2', 'example3', 'example4', 'example5', 'example6', 'example7', 'example8', 'example9', 'exampl10', 'exampl11',
    ]);
    expect(first('examples.com', 3)).toEqual(['examples', 'example1', 'example2']);
    expect(first('a.io', 3)).toEqual(['a', 'a1', 'a2']);
    expect(candidateAt('thequick', 100)).toBe('thequ100');
    expect(candidateAt('thequick', 12345)).toBe('the12345');
  });

  it('skips names cPanel would refuse', () => {
    expect(first('root.com', 2)).toEqual(['root1', 'root2']);
    expect(first('password.com', 2)).toEqual(['passwor1', 'passwor2']);
    expect(first('www.sys.net', 1)).toEqual(['sys1']);
  });

  it.each(['Example.com', '123test-shop.co.uk', 'testing.com', 'a.io', 'xn--bcher-kva.example', 'thequickbrownfoxjumpsoverthelazydog1.com', 'abc12345.org', 'password.com', ''])(
    'gives valid names, distinct in their first 8 characters, for %j',
    (domain) => {
      const names = first(domain, 1500);
      expect(names).toHaveLength(1500);
      const bad = names.filter((n) => !isValidWhmUsername(n).ok || n.length > 8);
      expect(bad).toEqual([]);
      expect(new Set(names.map((n) => n.slice(0, 8))).size).toBe(names.length);
    },
  );

  it('does not repeat a base that ends in digits', () => {
    // abc12345 would come back at attempts 5 (abc1234+5) and 45 (abc123+45).
    const names = first('abc12345.org', 50);
    expect(names.filter((n) => n === 'abc12345')).toHaveLength(1);
    expect(names.slice(0, 5)).toEqual(['abc12345', 'abc12341', 'abc12342', 'abc12343', 'abc12344']);
    expect(names[5]).toBe('abc12346');
  });
});

describe('generatePassword', () => {
  const allowed = new RegExp(`^[A-Za-z0-9${PASSWORD_SYMBOLS.replace(/[-\\^\]]/g, '\\$&')}]+$`);

  it('always has a lower, upper, digit and symbol, starts with a letter, and avoids characters panels mangle', () => {
    const samples = Array.from({ length: 3000 }, () => generatePassword());
    for (const p of samples) {
      if (
        p.length !== 16 ||
        !/[a-z]/.test(p) ||
        !/[A-Z]/.test(p) ||
        !/[0-9]/.test(p) ||
        ![...p].some((c) => PASSWORD_SYMBOLS.includes(c)) ||
        !/^[A-Za-z]/.test(p) ||
        !allowed.test(p) ||
        /["'`\\ &=+%#$!*]/.test(p)
      ) {
        throw new Error(`bad password ${JSON.stringify(p)}`);
      }
    }
    expect(new Set(samples).size).toBe(samples.length);
    // Every character of the alphabet turns up, and the symbol is not always in the same place.
    const used = new Set(samples.join(''));
    for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' + PASSWORD_SYMBOLS) expect(used.has(c)).toBe(true);
    const symbolAt = new Set(samples.map((p) => [...p].findIndex((c) => PASSWORD_SYMBOLS.includes(c))));
    expect(symbolAt.size).toBeGreaterThan(10);
  });

  it('honours the length and refuses weak lengths', () => {
    expect(generatePassword(8)).toHaveLength(8);
    expect(generatePassword(40)).toHaveLength(40);
    for (let i = 0; i < 500; i++) {
      const p = generatePassword(8);
      expect([/[a-z]/, /[A-Z]/, /[0-9]/].every((r) => r.test(p)) && [...p].some((c) => PASSWORD_SYMBOLS.includes(c))).toBe(true);
    }
    expect(() => generatePassword(7)).toThrow(RangeError);
    expect(() => generatePassword(12.5)).toThrow(RangeError);
  });

  it('has no forbidden character in its symbol set', () => {
    expect(PASSWORD_SYMBOLS).not.toMatch(/["'`\\ &=+%#$!*]/);
  });
});
