// qr.js — a small, dependency-free QR code encoder written for Cognate from ISO/IEC 18004, used to
// show otpauth:// URIs for authenticator-app setup in the page, with no external service.
// Byte mode (UTF-8), error correction level M, the smallest of versions 1–40 that fits, and the
// mask with the lowest penalty score (or the one asked for).
//
//   encode(text, { mask }) → { size, version, mask, modules }   modules[row][col], true = dark
//   toSvg(text, { label }) → '<svg …>…</svg>', safe to assign to element.innerHTML

// Level M block structure per version (ISO/IEC 18004, error correction characteristics table):
// error-correction codewords per block (28 from version 22 on) and the number of blocks.
const EC_PER_BLOCK = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26];
const BLOCKS = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
  23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];

// Positions (rows and columns alike) of alignment pattern centres: evenly spaced back from
// size − 7 by an even step, with 6 first; version 32 is the one exception to the spacing rule.
function alignmentPositions(version, size) {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = version === 32 ? 26 : 2 * Math.ceil((size - 13) / (2 * count - 2));
  const positions = [6];
  for (let p = size - 7; positions.length < count; p -= step) positions.splice(1, 0, p);
  return positions;
}

// Codewords (data + error correction) of a version: modules left after the finder patterns with
// their separators, format information and dark module, timing, alignment and version information.
function totalCodewords(version) {
  const size = 4 * version + 17;
  const align = version === 1 ? 0 : Math.floor(version / 7) + 2;
  const alignModules = align ? 25 * (align * align - 3) - 10 * (align - 2) : 0;
  const free = size * size - 3 * 64 - 31 - 2 * (size - 16) - alignModules - (version >= 7 ? 36 : 0);
  return free >> 3;
}

// Reed–Solomon over GF(256) with the primitive polynomial x⁸+x⁴+x³+x²+1 (0x11D), α = 2.
const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
for (let i = 0, x = 1; i < 255; i++, x = (x << 1) ^ (x & 0x80 ? 0x11d : 0)) {
  EXP[i] = EXP[i + 255] = x;
  LOG[x] = i;
}
const mul = (a, b) => (a && b ? EXP[LOG[a] + LOG[b]] : 0);

// Generator polynomial (x − α⁰)(x − α¹)…(x − α^(degree−1)), coefficients highest power first.
function generator(degree) {
  let poly = [1];
  for (let i = 0; i < degree; i++) {
    const next = new Array(poly.length + 1).fill(0);
    poly.forEach((c, j) => { next[j] ^= c; next[j + 1] ^= mul(c, EXP[i]); });
    poly = next;
  }
  return poly;
}

// Error-correction codewords: the remainder of data·x^degree divided by the generator.
function remainder(data, gen) {
  const rem = new Array(gen.length - 1).fill(0);
  for (const byte of data) {
    const factor = byte ^ rem.shift();
    rem.push(0);
    for (let i = 0; i < rem.length; i++) rem[i] ^= mul(gen[i + 1], factor);
  }
  return rem;
}

// BCH code of format (15,5; 0x537) and version (18,6; 0x1F25) information: data then remainder.
function bch(data, poly, degree) {
  let rem = data << degree;
  for (let i = 31 - Math.clz32(rem); i >= degree; i--) if ((rem >> i) & 1) rem ^= poly << (i - degree);
  return (data << degree) | rem;
}

// The eight data masks: a module at (row r, column c) is inverted where the condition holds.
const MASKS = [
  (r, c) => (r + c) % 2 === 0,
  (r) => r % 2 === 0,
  (r, c) => c % 3 === 0,
  (r, c) => (r + c) % 3 === 0,
  (r, c) => (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0,
  (r, c) => ((r * c) % 2) + ((r * c) % 3) === 0,
  (r, c) => (((r * c) % 2) + ((r * c) % 3)) % 2 === 0,
  (r, c) => (((r + c) % 2) + ((r * c) % 3)) % 2 === 0,
];

// Penalty score of a finished symbol (ISO/IEC 18004, evaluation of data masking results): runs of
// five or more same-coloured modules (N1 = 3, +1 per extra module), 2×2 blocks of one colour
// (N2 = 3), a 1:1:3:1:1 finder-like pattern with four light modules (the quiet zone counts as
// light) on either side (N3 = 40 each), and the dark proportion's distance from 50% (N4 = 10 per
// full 5%).
function penalty(modules) {
  const size = modules.length;
  const columns = modules.map((_, c) => modules.map((row) => row[c]));
  let score = 0;
  let dark = 0;
  for (const line of [...modules, ...columns]) {
    for (let i = 0, run = 0; i <= size; i++) {
      if (i < size && (run === 0 || line[i] === line[i - 1])) { run++; continue; }
      if (run >= 5) score += run - 2;
      run = 1;
    }
    const light = (from, to) => line.slice(Math.max(from, 0), Math.max(to, 0)).every((m) => !m);
    for (let i = 0; i + 7 <= size; i++) {
      if (line[i] && !line[i + 1] && line[i + 2] && line[i + 3] && line[i + 4] && !line[i + 5] && line[i + 6]
        && (light(i - 4, i) || light(i + 7, i + 11))) score += 40;
    }
  }
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (modules[r][c]) dark++;
      if (r + 1 < size && c + 1 < size) {
        const m = modules[r][c];
        if (modules[r][c + 1] === m && modules[r + 1][c] === m && modules[r + 1][c + 1] === m) score += 3;
      }
    }
  }
  return score + 10 * Math.floor(Math.abs(dark * 20 - size * size * 10) / (size * size));
}

export function encode(text, { mask } = {}) {
  if (mask !== undefined && !(Number.isInteger(mask) && mask >= 0 && mask < 8)) throw new RangeError('mask must be an integer 0–7');

  // Data encoding: byte mode indicator 0100, character count (8 bits in versions 1–9, 16 from
  // 10), the UTF-8 bytes, a terminator of up to four 0 bits, 0 bits to a byte boundary, then the
  // pad codewords 0xEC and 0x11 alternately up to the version's data capacity.
  const bytes = new TextEncoder().encode(String(text));
  let version = 1;
  const dataCodewords = (v) => totalCodewords(v) - (EC_PER_BLOCK[v - 1] ?? 28) * BLOCKS[v - 1];
  while (4 + (version < 10 ? 8 : 16) + 8 * bytes.length > 8 * dataCodewords(version)) {
    if (++version > 40) throw new RangeError('text too long for a QR code');
  }
  const capacity = 8 * dataCodewords(version);
  const bits = [];
  const put = (value, length) => { for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1); };
  put(0b0100, 4);
  put(bytes.length, version < 10 ? 8 : 16);
  bytes.forEach((b) => put(b, 8));
  put(0, Math.min(4, capacity - bits.length));
  while (bits.length % 8) bits.push(0);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8);
  const data = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b));

  // Split into blocks (the last `long` blocks one codeword longer) and compute each block's
  // error-correction codewords.
  const blockCount = BLOCKS[version - 1];
  const ecLength = EC_PER_BLOCK[version - 1] ?? 28;
  const shortLength = Math.floor(data.length / blockCount);
  const long = data.length % blockCount;
  const gen = generator(ecLength);
  const blocks = [];
  for (let b = 0, at = 0; b < blockCount; b++) {
    const length = shortLength + (b >= blockCount - long ? 1 : 0);
    blocks.push(data.slice(at, (at += length)));
  }
  const ecBlocks = blocks.map((block) => remainder(block, gen));

  // Interleaving: the i-th data codeword of every block in turn, then likewise the EC codewords.
  const codewords = [];
  for (let i = 0; i <= shortLength; i++) blocks.forEach((block) => i < block.length && codewords.push(block[i]));
  for (let i = 0; i < ecLength; i++) ecBlocks.forEach((block) => codewords.push(block[i]));

  // Function patterns: finders with separators, alignment patterns, timing, dark module, and the
  // areas of the format and version information. `reserved` marks them off from the data.
  const size = 4 * version + 17;
  const modules = Array.from({ length: size }, () => new Array(size).fill(false));
  const reserved = Array.from({ length: size }, () => new Array(size).fill(false));
  const set = (r, c, dark) => { modules[r][c] = dark; reserved[r][c] = true; };
  for (const [top, left] of [[0, 0], [0, size - 7], [size - 7, 0]]) {
    for (let dr = -1; dr <= 7; dr++) {
      for (let dc = -1; dc <= 7; dc++) {
        const r = top + dr, c = left + dc;
        const ring = Math.max(Math.abs(dr - 3), Math.abs(dc - 3));
        if (r >= 0 && c >= 0 && r < size && c < size) set(r, c, ring !== 2 && ring !== 4);
      }
    }
  }
  const align = alignmentPositions(version, size);
  for (const r of align) {
    for (const c of align) {
      if (reserved[r][c]) continue; // would overlap a finder pattern
      for (let dr = -2; dr <= 2; dr++) for (let dc = -2; dc <= 2; dc++) set(r + dr, c + dc, Math.max(Math.abs(dr), Math.abs(dc)) !== 1);
    }
  }
  for (let i = 8; i < size - 8; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0); }
  set(size - 8, 8, true);

  // Format information: EC level M (00) and the mask, BCH-coded and XORed with 0x5412, in two
  // copies: bit 14 at (8, 0) … bit 0 at (0, 8) around the top-left finder, and bits 0–7 along row
  // 8 from the right edge, bits 8–14 down column 8 from row size − 7.
  const drawFormat = (m) => {
    const format = bch(m, 0x537, 10) ^ 0x5412;
    for (let i = 0; i < 15; i++) {
      const dark = ((format >> i) & 1) === 1;
      if (i < 6) set(i, 8, dark);
      else if (i < 8) set(i + 1, 8, dark);
      else if (i === 8) set(8, 7, dark);
      else set(8, 14 - i, dark);
      if (i < 8) set(8, size - 1 - i, dark);
      else set(size - 15 + i, 8, dark);
    }
  };
  drawFormat(0);

  // Version information (versions 7+): 18 bits, bit i at row ⌊i/3⌋, column size − 11 + i mod 3
  // (top right) and transposed (bottom left).
  if (version >= 7) {
    const info = bch(version, 0x1f25, 12);
    for (let i = 0; i < 18; i++) {
      const dark = ((info >> i) & 1) === 1;
      set(Math.floor(i / 3), size - 11 + (i % 3), dark);
      set(size - 11 + (i % 3), Math.floor(i / 3), dark);
    }
  }

  // Placement: two-module-wide columns from the right edge, alternately upwards and downwards,
  // skipping the vertical timing column; each codeword most significant bit first, right module
  // before left. Leftover remainder bits stay light (0).
  let bit = 0;
  for (let right = size - 1, up = true; right > 0; right -= 2, up = !up) {
    if (right === 6) right = 5;
    for (let i = 0; i < size; i++) {
      const r = up ? size - 1 - i : i;
      for (const c of [right, right - 1]) {
        if (reserved[r][c]) continue;
        const cw = codewords[bit >> 3];
        modules[r][c] = cw !== undefined && ((cw >> (7 - (bit & 7))) & 1) === 1;
        bit++;
      }
    }
  }

  // Masking: XOR the mask into the data area, add its format information, and keep the given
  // mask or else the one with the lowest penalty (the first of equals).
  let best;
  for (const m of mask === undefined ? [0, 1, 2, 3, 4, 5, 6, 7] : [mask]) {
    drawFormat(m);
    const candidate = modules.map((row, r) => row.map((dark, c) => (reserved[r][c] ? dark : dark !== MASKS[m](r, c))));
    const score = mask === undefined ? penalty(candidate) : 0;
    if (!best || score < best.score) best = { mask: m, score, modules: candidate };
  }
  return { size, version, mask: best.mask, modules: best.modules };
}

const escapeXml = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

// SVG: a white background including a 4-module quiet zone, and one path of dark modules with
// each horizontal run of dark modules as one rectangle. Only numbers and the escaped label go in.
export function toSvg(text, { label = 'QR code' } = {}) {
  const { size, modules } = encode(text);
  const quiet = 4;
  const width = size + 2 * quiet;
  let d = '';
  modules.forEach((row, r) => {
    for (let c = 0; c < size; c++) {
      if (!row[c]) continue;
      const start = c;
      while (c + 1 < size && row[c + 1]) c++;
      d += `M${start + quiet} ${r + quiet}h${c + 1 - start}v1h-${c + 1 - start}z`;
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${width}" shape-rendering="crispEdges" role="img" aria-label="${escapeXml(label)}">`
    + `<rect width="${width}" height="${width}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}

/**
 * Shows a new authenticator key in the widget's `#cognate-qr`: a QR code of its `otpauth://`
 * URI (issuer: this site's host name; account: the user) and the key as text to type instead.
 */
export function showAuthenticatorKey(account, key) {
  const target = document.getElementById('cognate-qr');
  if (!target) return;
  const issuer = encodeURIComponent(location.hostname || 'Cognate');
  const uri = `otpauth://totp/${issuer}:${encodeURIComponent(account)}?secret=${encodeURIComponent(key)}&issuer=${issuer}`;
  const title = document.getElementById('cognate-title');
  target.innerHTML = toSvg(uri, { label: title ? title.textContent : 'QR code' });
  const text = document.createElement('code');
  text.className = 'cognate-key';
  text.textContent = key.replace(/(.{4})/g, '$1 ').trim();
  target.append(text);
}
