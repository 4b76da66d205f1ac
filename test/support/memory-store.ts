/** The key-value port in RAM, for tests: what the device keeps in flash (Preference), here in a Map. */
import type { KeyValueStore, StoredValue } from "../../src/platform/ports.ts";

export class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, StoredValue>();
  get(key: string): StoredValue | undefined {
    return this.values.get(key);
  }
  set(key: string, value: StoredValue): void {
    this.values.set(key, value);
  }
  delete(key: string): void {
    this.values.delete(key);
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}
