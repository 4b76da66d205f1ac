/**
 * SHA-256 (FIPS 180-4), HMAC-SHA-256 (RFC 2104) and PBKDF2-HMAC-SHA-256 (RFC 8018), in plain 32-bit
 * integer arithmetic only (no 64-bit integers, text encoders or native crypto), so they run the
 * same on XS everywhere. They hash the owner's PIN with a salt, so the PIN is never stored in clear.
 *
 * Units: every length is in bytes; a digest is 32 bytes, a block 64. Inputs are never modified.
 * No module-level mutable state: the tables below are frozen, and each call allocates its own
 * working memory (a 64-word message schedule, an 8-word state, a 128-byte tail buffer) and reuses
 * it for every block it hashes.
 */

/** Bytes in a digest. */
const DIGEST_BYTES = 32;

/** Bytes in a block: the unit the compression function consumes. */
const BLOCK_BYTES = 64;

/** Round constants K[0..63]: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K: readonly number[] = Object.freeze([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Initial hash value H(0): the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const INITIAL_STATE: readonly number[] = Object.freeze([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** HMAC's inner and outer pad bytes (RFC 2104). */
const INNER_PAD = 0x36;
const OUTER_PAD = 0x5c;

/** Largest PBKDF2 output RFC 8018 allows: (2^32 - 1) blocks of 32 bytes. */
const MAX_PBKDF2_BYTES = 0xffffffff * DIGEST_BYTES;

const HEX_DIGITS = "0123456789abcdef";

/** Working memory for one exported call, reused by every hash that call computes. */
interface Scratch {
  /** The message schedule W[0..63]. */
  readonly schedule: Uint32Array;
  /** The running hash value H[0..7]. */
  readonly state: Uint32Array;
  /** The last one or two blocks: the message's tail, the 0x80 byte, zeros and the bit length. */
  readonly tail: Uint8Array;
}

function newScratch(): Scratch {
  return { schedule: new Uint32Array(64), state: new Uint32Array(8), tail: new Uint8Array(2 * BLOCK_BYTES) };
}

/** The HMAC-SHA-256 states after the padded key block: hashing resumes from them, 64 bytes in. */
interface HmacKey {
  readonly inner: Uint32Array;
  readonly outer: Uint32Array;
}

/** x rotated right by n bits (0 < n < 32), as a signed 32-bit integer. */
function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

/** Folds the 64-byte block at bytes[offset] into state (FIPS 180-4 §6.2.2), using w as the schedule. */
function compress(state: Uint32Array, bytes: Uint8Array, offset: number, w: Uint32Array): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + 4 * t;
    w[t] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15]!;
    const w2 = w[t - 2]!;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) >>> 0;
  }

  let a = state[0]! | 0;
  let b = state[1]! | 0;
  let c = state[2]! | 0;
  let d = state[3]! | 0;
  let e = state[4]! | 0;
  let f = state[5]! | 0;
  let g = state[6]! | 0;
  let h = state[7]! | 0;
  for (let t = 0; t < 64; t++) {
    const sum1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const choose = (e & f) ^ (~e & g);
    const t1 = (h + sum1 + choose + K[t]! + w[t]!) | 0;
    const sum0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (sum0 + majority) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) >>> 0;
  state[1] = (state[1]! + b) >>> 0;
  state[2] = (state[2]! + c) >>> 0;
  state[3] = (state[3]! + d) >>> 0;
  state[4] = (state[4]! + e) >>> 0;
  state[5] = (state[5]! + f) >>> 0;
  state[6] = (state[6]! + g) >>> 0;
  state[7] = (state[7]! + h) >>> 0;
}

/** Writes a 32-bit word big-endian at bytes[offset]. */
function putWord(bytes: Uint8Array, offset: number, word: number): void {
  bytes[offset] = word >>> 24;
  bytes[offset + 1] = word >>> 16;
  bytes[offset + 2] = word >>> 8;
  bytes[offset + 3] = word;
}

/**
 * Hashes `message` as the continuation of `priorBytes` bytes (a multiple of 64) already folded into
 * `start`, and writes the 32-byte digest to `out`. `start` is left unchanged; `out` may be `message`
 * (it is written only after the message has been read).
 */
function finishHash(start: ArrayLike<number>, priorBytes: number, message: Uint8Array, scratch: Scratch, out: Uint8Array): void {
  const { schedule, state, tail } = scratch;
  state.set(start);
  const length = message.length;
  const wholeBytes = length - (length % BLOCK_BYTES);
  for (let offset = 0; offset < wholeBytes; offset += BLOCK_BYTES) compress(state, message, offset, schedule);

  // Padding: 0x80, zeros, then the total length in bits as a 64-bit big-endian number, filling one
  // block, or two when fewer than 9 bytes are left after the message's tail.
  const rest = length - wholeBytes;
  const tailBytes = rest < BLOCK_BYTES - 8 ? BLOCK_BYTES : 2 * BLOCK_BYTES;
  tail.fill(0);
  for (let i = 0; i < rest; i++) tail[i] = message[wholeBytes + i]!;
  tail[rest] = 0x80;
  const totalBytes = priorBytes + length;
  putWord(tail, tailBytes - 8, Math.floor(totalBytes / 0x20000000)); // bits above 2^32
  putWord(tail, tailBytes - 4, (totalBytes % 0x20000000) * 8); // bits below 2^32
  for (let offset = 0; offset < tailBytes; offset += BLOCK_BYTES) compress(state, tail, offset, schedule);

  for (let i = 0; i < 8; i++) putWord(out, 4 * i, state[i]!);
}

/** The state after folding the 64-byte `block` into the initial hash value. */
function stateAfterBlock(block: Uint8Array, scratch: Scratch): Uint32Array {
  const state = new Uint32Array(INITIAL_STATE);
  compress(state, block, 0, scratch.schedule);
  return state;
}

/** Precomputes HMAC's key-dependent work: the states after (key ^ ipad) and after (key ^ opad). */
function hmacKey(key: Uint8Array, scratch: Scratch): HmacKey {
  const block = new Uint8Array(BLOCK_BYTES); // the key, hashed first if longer than a block, zero-padded
  if (key.length > BLOCK_BYTES) finishHash(INITIAL_STATE, 0, key, scratch, block);
  else block.set(key);
  for (let i = 0; i < BLOCK_BYTES; i++) block[i] = block[i]! ^ INNER_PAD;
  const inner = stateAfterBlock(block, scratch);
  for (let i = 0; i < BLOCK_BYTES; i++) block[i] = block[i]! ^ INNER_PAD ^ OUTER_PAD;
  const outer = stateAfterBlock(block, scratch);
  block.fill(0); // do not leave key material behind
  return { inner, outer };
}

/** HMAC(key, message) into `out` (32 bytes; may be `message`), using `innerDigest` (32 bytes) as room for H(key ^ ipad || message). */
function hmacInto(key: HmacKey, message: Uint8Array, scratch: Scratch, innerDigest: Uint8Array, out: Uint8Array): void {
  finishHash(key.inner, BLOCK_BYTES, message, scratch, innerDigest);
  finishHash(key.outer, BLOCK_BYTES, innerDigest, scratch, out);
}

/** SHA-256 of `data`: 32 bytes. */
export function sha256(data: Uint8Array): Uint8Array {
  const digest = new Uint8Array(DIGEST_BYTES);
  finishHash(INITIAL_STATE, 0, data, newScratch(), digest);
  return digest;
}

/** HMAC-SHA-256 of `data` under `key` (any length; a key longer than 64 bytes is hashed first): 32 bytes. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const scratch = newScratch();
  const digest = new Uint8Array(DIGEST_BYTES);
  hmacInto(hmacKey(key, scratch), data, scratch, new Uint8Array(DIGEST_BYTES), digest);
  return digest;
}

/**
 * PBKDF2 (RFC 8018 §5.2) with HMAC-SHA-256: `lengthBytes` bytes derived from `password` and `salt`
 * with `iterations` rounds per 32-byte block. Costs 2 × iterations compressions per output block.
 * Throws RangeError unless iterations is a whole number ≥ 1 and lengthBytes a whole number from 0
 * to (2^32 - 1) × 32.
 */
export function pbkdf2Sha256(password: Uint8Array, salt: Uint8Array, iterations: number, lengthBytes: number): Uint8Array {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError("pbkdf2Sha256: iterations must be a whole number >= 1");
  if (!Number.isInteger(lengthBytes) || lengthBytes < 0 || lengthBytes > MAX_PBKDF2_BYTES)
    throw new RangeError("pbkdf2Sha256: lengthBytes out of range");
  const scratch = newScratch();
  const key = hmacKey(password, scratch);
  const derived = new Uint8Array(lengthBytes);
  const saltAndIndex = new Uint8Array(salt.length + 4); // S || INT(i)
  saltAndIndex.set(salt);
  const u = new Uint8Array(DIGEST_BYTES); // U_j
  const t = new Uint8Array(DIGEST_BYTES); // T_i = U_1 ^ U_2 ^ ... ^ U_c
  const innerDigest = new Uint8Array(DIGEST_BYTES);

  for (let index = 1, offset = 0; offset < lengthBytes; index++, offset += DIGEST_BYTES) {
    putWord(saltAndIndex, salt.length, index);
    hmacInto(key, saltAndIndex, scratch, innerDigest, u);
    t.set(u);
    for (let round = 1; round < iterations; round++) {
      hmacInto(key, u, scratch, innerDigest, u);
      for (let i = 0; i < DIGEST_BYTES; i++) t[i] = t[i]! ^ u[i]!;
    }
    const take = Math.min(DIGEST_BYTES, lengthBytes - offset);
    for (let i = 0; i < take; i++) derived[offset + i] = t[i]!;
  }
  return derived;
}

/** Lowercase hexadecimal, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    text += HEX_DIGITS[byte >>> 4]! + HEX_DIGITS[byte & 0x0f]!;
  }
  return text;
}

/** Value of one hexadecimal digit's character code (either case), or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10; // a-f
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10; // A-F
  return -1;
}

/** Bytes written as hexadecimal (either case, two digits per byte); undefined for an odd length or any other character. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(text.charCodeAt(2 * i));
    const low = hexValue(text.charCodeAt(2 * i + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

/** One byte per character: its code & 0xff (meant for ASCII text such as a PIN). */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}
