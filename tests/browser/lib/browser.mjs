// Debian's Chromium, driven by playwright-core (which never downloads a browser of its own).

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const here = dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = resolve(here, "..", "artifacts");

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A browser with a fresh profile. `options` go to the context (viewport, colorScheme, bypassCSP);
 * `args` are added to Chromium's flags.
 * Every request is recorded, so tests can check nothing left 127.0.0.1.
 */
export async function openBrowser({ args = [], ...options } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "thaw-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS.concat(args),
    viewport: DESKTOP,
    ...options,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const requests = [];
  const problems = [];
  context.on("request", (r) => requests.push(r.url()));
  // A page answered with 4xx on purpose (a wrong passphrase is a 403) is logged by Chromium as a
  // failed load; what matters is that no stylesheet, script or image failed, and no script or
  // policy error happened.
  context.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document") {
      problems.push(`${r.status()} for ${r.request().resourceType()} ${r.url()}`);
    }
  });
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource: the server responded")) {
      problems.push(m.text());
    }
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  return {
    context,
    page,
    requests,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot in tests/browser/artifacts/NAME.png. */
export async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Waits until the page's service worker is active; its state, scope and script address. */
export async function activeWorker(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (worker.state !== "activated") {
      await new Promise((ok) => worker.addEventListener("statechange", () => worker.state === "activated" && ok()));
    }
    return { state: worker.state, scope: registration.scope, script: worker.scriptURL };
  });
}

/**
 * What Chromium says about installing the page, over the DevTools protocol: the manifest's
 * address and errors (Page.getAppManifest) and Page.getInstallabilityErrors.
 */
export async function installability(context, page) {
  const cdp = await context.newCDPSession(page);
  try {
    const manifest = await cdp.send("Page.getAppManifest");
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    return { manifestUrl: manifest.url, manifestErrors: manifest.errors, installabilityErrors };
  } finally {
    await cdp.detach();
  }
}
