// public/mfa/qr.js, the widget's own QR code encoder, against the npm package qrcode as the
// reference: for the same text in byte mode at level M, with the same mask forced in both, the
// version and every module must be equal. Also checks the automatic mask, the version boundaries
// of all 40 versions, and that toSvg draws the same modules and escapes its label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import QRCode from 'qrcode';
import { encode, toSvg } from '../../public/mfa/qr.js';

const OTPAUTH = 'otpauth://totp/Cognate:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Cognate';
const INPUTS = {
  short: 'hello',
  otpauth: OTPAUTH,
  long: `${OTPAUTH}&note=${'The quick brown fox jumps over the lazy dog. '.repeat(5)}`.slice(0, 300),
  utf8: 'otpauth://totp/Zoë%20Ångström?issuer=Café — 認証 🔐',
};

// qrcode's matrix for the text as one byte-mode segment (it would otherwise pick other modes).
function reference(text, maskPattern) {
  const qr = QRCode.create([{ data: text, mode: 'byte' }], { errorCorrectionLevel: 'M', maskPattern });
  const { size } = qr.modules;
  const modules = Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => qr.modules.get(r, c) === 1));
  return { version: qr.version, size, modules };
}

function assertSame(text, mask) {
  const mine = encode(text, { mask });
  const ref = reference(text, mask);
  assert.equal(mine.version, ref.version, `version of ${JSON.stringify(text.slice(0, 20))}…`);
  assert.equal(mine.size, ref.size);
  assert.equal(mine.modules.length, mine.size);
  for (let r = 0; r < mine.size; r++) {
    assert.deepEqual(mine.modules[r], ref.modules[r], `row ${r}, mask ${mask}, version ${mine.version}`);
  }
  return mine;
}

test('the inputs have the intended sizes', () => {
  assert.ok(INPUTS.otpauth.length >= 90 && INPUTS.otpauth.length <= 110);
  assert.equal(new TextEncoder().encode(INPUTS.long).length, 300);
  assert.ok(new TextEncoder().encode(INPUTS.utf8).length > INPUTS.utf8.length);
});

for (const [name, text] of Object.entries(INPUTS)) {
  test(`${name}: same version and modules as qrcode with each of the 8 masks`, () => {
    for (let mask = 0; mask < 8; mask++) assertSame(text, mask);
  });

  test(`${name}: the automatically chosen mask gives the same symbol as forcing it`, () => {
    const auto = encode(text);
    assert.ok(Number.isInteger(auto.mask) && auto.mask >= 0 && auto.mask < 8);
    assert.deepEqual(auto.modules, assertSame(text, auto.mask).modules);
  });
}

test('expected versions: 5 bytes → 1, the otpauth URI → 6, 300 bytes → 13', () => {
  assert.equal(encode(INPUTS.short).version, 1);
  assert.equal(encode(INPUTS.short).size, 21);
  assert.equal(encode(INPUTS.otpauth).version, 6);
  assert.equal(encode(INPUTS.long).version, 13);
});

test('versions 1–40: the longest text of each version, and one byte more, match qrcode', () => {
  const chars = 'otpauth://totp/Cognate:bob?secret=JBSWY3DPEHPK3PXP&issuer=Cognate&x=';
  const text = (n) => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
  let low = 1;
  for (let version = 1; version <= 40; version++) {
    // Binary search for the longest text that still fits this version.
    let high = 2331;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (encode(text(mid), { mask: 0 }).version <= version) low = mid;
      else high = mid - 1;
    }
    assert.equal(assertSame(text(low), version % 8).version, version);
    if (version < 40) assert.equal(assertSame(text(low + 1), (version + 3) % 8).version, version + 1);
  }
  assert.equal(low, 2331); // byte-mode capacity of version 40-M
  assert.throws(() => encode(text(2332)), RangeError);
  assert.throws(() => QRCode.create([{ data: text(2332), mode: 'byte' }], { errorCorrectionLevel: 'M' }));
});

test('encode rejects a mask outside 0–7', () => {
  for (const mask of [-1, 8, 1.5, '1', null]) assert.throws(() => encode('x', { mask }), RangeError);
});

// Redraw the modules from the single path of toSvg (rectangles "M x y h w v1 h-w z").
function modulesFromSvg(svg) {
  const [, w, h] = svg.match(/viewBox="0 0 (\d+) (\d+)"/);
  assert.equal(w, h);
  const size = Number(w) - 8;
  const grid = Array.from({ length: size }, () => new Array(size).fill(false));
  const paths = [...svg.matchAll(/<path [^>]*d="([^"]*)"/g)];
  assert.equal(paths.length, 1);
  const d = paths[0][1];
  assert.match(d, /^(M\d+ \d+h\d+v1h-\d+z)*$/);
  for (const [, x, y, width, back] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    assert.equal(width, back);
    for (let c = Number(x) - 4; c < Number(x) - 4 + Number(width); c++) grid[Number(y) - 4][c] = true;
  }
  return grid;
}

test('toSvg: viewBox with a 4-module quiet zone, crisp edges, role and label, the same modules', () => {
  for (const text of Object.values(INPUTS)) {
    const svg = toSvg(text, { label: 'Scan with your authenticator app' });
    const { size, modules } = encode(text);
    assert.match(svg, /^<svg [^>]*>.*<\/svg>$/s);
    assert.ok(svg.includes(`viewBox="0 0 ${size + 8} ${size + 8}"`));
    assert.ok(svg.includes('shape-rendering="crispEdges"'));
    assert.ok(svg.includes('role="img"'));
    assert.ok(svg.includes('aria-label="Scan with your authenticator app"'));
    assert.deepEqual(modulesFromSvg(svg), modules);
  }
});

test('toSvg escapes the label and never includes the text', () => {
  const label = `"><script>alert(1)</script><svg onload='x' a="&amp;`;
  const text = 'otpauth://totp/<img src=x onerror=alert(1)>?secret="&\'';
  const svg = toSvg(text, { label });
  assert.ok(!svg.includes('<script'));
  assert.ok(!svg.includes('<img'));
  assert.ok(!svg.includes('onload=\''));
  assert.equal(svg.match(/</g).length, 4); // <svg, <rect, <path, </svg
  const [, attr] = svg.match(/aria-label="([^"]*)"/);
  assert.doesNotMatch(attr, /[<>"'&](?!#\d+;)/);
  const decoded = attr.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  assert.equal(decoded, label);
});
