/**
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320). Bitwise, without a lookup table: it runs
 * only when settings are loaded or saved (about a hundred characters), and a table would cost 1 KB
 * of RAM on the device.
 */

/** CRC-32 of the text (each code unit contributes its low 8 bits; callers store ASCII). */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) & 0xff;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
