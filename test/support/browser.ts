// Launches Debian's Chromium through playwright-core with a fake camera, for the browser suites.
// Outside CI a machine without /usr/bin/chromium skips those suites; in CI its absence is a failure.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.REALPERSON_CHROMIUM ?? '/usr/bin/chromium';

export const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  if (process.env.CI === 'true') {
    throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install -y chromium)`);
  }
  console.warn(`[realperson tests] ${CHROMIUM} is absent: browser suites are skipped (apt-get install -y chromium)`);
}

export interface LaunchOptions {
  /** A Y4M or MJPEG file the fake camera plays (see camera.ts); without it Chromium's test pattern. */
  video?: string;
  /** Grant camera prompts automatically (default true). False: headless Chromium refuses them. */
  autoAllowCamera?: boolean;
  /** Offer the fake camera at all (default true). False: a machine with no camera. */
  camera?: boolean;
}

export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ];
  if (opts.camera !== false) args.push('--use-fake-device-for-media-stream');
  if (opts.autoAllowCamera !== false) args.push('--use-fake-ui-for-media-stream');
  if (opts.video && opts.camera !== false) args.push(`--use-file-for-fake-video-capture=${opts.video}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

/** A page that records script errors and Content-Security-Policy refusals, which must never happen. */
export async function openWatchedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(`csp: ${msg.text()}`);
  });
  return { page, problems };
}
