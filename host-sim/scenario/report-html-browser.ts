/**
 * Debian's headless chromium driven by playwright-core, for the HTML report's browser check and its
 * screenshot: launched with a fresh profile and everything that could reach the network switched
 * off. `npx tsx host-sim/scenario/report-html-browser.ts REPORT.html OUT.png` writes a screenshot.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** A running chromium (its one context, on a throw-away profile directory); close() removes both. */
export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Start headless chromium (throws with the install line when it is not installed). */
export async function launchChromium(): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} not found: install it with 'apt-get install -y chromium'`);
  const profile = mkdtempSync(join(tmpdir(), "tracker-report-chromium-"));
  // the profile is given as playwright wants it: launchPersistentContext's --user-data-dir
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1180, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A PNG of the top of the report `htmlFile` (`heightPx` tall, the page's full width) in `pngFile`. */
export async function screenshotReport(htmlFile: string, pngFile: string, heightPx = 1500): Promise<void> {
  const chrome = await launchChromium();
  try {
    const page = await chrome.context.newPage();
    await page.setViewportSize({ width: 1180, height: heightPx });
    await page.goto(pathToFileURL(resolve(htmlFile)).href);
    mkdirSync(dirname(resolve(pngFile)), { recursive: true });
    await page.screenshot({ path: pngFile, fullPage: false });
  } finally {
    await chrome.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [html, png, height] = process.argv.slice(2);
  if (!html || !png) {
    console.error("usage: npx tsx host-sim/scenario/report-html-browser.ts REPORT.html OUT.png [HEIGHT_PX]");
    process.exit(2);
  }
  await screenshotReport(html, png, height ? Number(height) : undefined);
  console.log(`wrote ${png}`);
}
