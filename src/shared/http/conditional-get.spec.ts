import { noneMatch, weakTag } from './conditional-get.js';

describe('conditional GET', () => {
  it("tags a body as Express's etag package did (tags clients kept from before still match)", () => {
    // etag(body, { weak: true }) of the etag package, version 1.8.1
    expect(weakTag('')).toBe('W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"');
    expect(weakTag('hello')).toBe('W/"5-qvTGHdzF6KLavt4PO0gs2a6pQ00"');
    expect(weakTag('{"a":1}')).toBe('W/"7-n4nHQM60bXQYySSnisV5QdXpZSA"');
    expect(weakTag(Buffer.from('{"a":1}'))).toBe('W/"7-n4nHQM60bXQYySSnisV5QdXpZSA"');
    expect(weakTag('x'.repeat(20000))).toBe('W/"4e20-LL6ApKRwo3ngNUa17VBGUBS76DA"');
    // the length counts bytes, not UTF-16 units
    expect(weakTag('é')).toMatch(/^W\/"2-/);
  });

  it('matches If-None-Match weakly, in a list, and for *', () => {
    expect(noneMatch('W/"5-abc"', 'W/"5-abc"')).toBe(true);
    expect(noneMatch('"5-abc"', 'W/"5-abc"')).toBe(true);
    expect(noneMatch('"x", W/"5-abc" , "y"', 'W/"5-abc"')).toBe(true);
    expect(noneMatch('*', 'W/"5-abc"')).toBe(true);
    expect(noneMatch('W/"5-abd"', 'W/"5-abc"')).toBe(false);
    expect(noneMatch('', 'W/"5-abc"')).toBe(false);
  });
});
