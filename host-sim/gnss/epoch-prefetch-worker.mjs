// The worker thread of epoch-prefetch.ts: loads the TypeScript sources through tsx, then runs.
import { register } from "tsx/esm/api";

register();
await import("./epoch-prefetch-run.ts");
