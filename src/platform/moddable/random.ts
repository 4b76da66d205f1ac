/**
 * Random bytes on the Moddable runtime from Math.random(). On the ESP32, XS's Math.random draws
 * from esp_random(), the chip's hardware generator (true random while the radio or the bootloader's
 * entropy source runs; SDK xs/platforms/esp/xsHost.h). On lin it is the C library's rand(): fine
 * for tests, not for a product.
 */
import type { RandomSource } from "../ports";

export class MathRandomSource implements RandomSource {
  fill(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
}
