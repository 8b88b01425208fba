// Thaw as an app on a phone (390 × 844): the service worker becomes active, Chromium reports no
// reason it couldn't be installed (Page.getInstallabilityErrors over the DevTools protocol), the
// worker's cache holds only the public shell after browsing private pages and calling the API,
// and with the server gone a page shows the offline page with crisis lines.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { PHONE, activeWorker, installability, openBrowser, shot } from "./lib/browser.mjs";
import { PASSPHRASE, startThaw } from "./lib/thaw.mjs";

/** Every address in every cache of this origin, with the cache names. */
async function cached(page) {
  return page.evaluate(async () => {
    const out = { names: await caches.keys(), urls: [] };
    for (const name of out.names) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) out.urls.push(request.url);
    }
    return out;
  });
}

describe("Thaw installable on a phone", () => {
  let thaw;
  let browser;
  let page;

  before(async () => {
    thaw = await startThaw();
    browser = await openBrowser({ viewport: PHONE, isMobile: true, hasTouch: true });
    page = browser.page;
    await thaw.open(page);
    await page.getByLabel("Your passphrase").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByRole("heading", { name: "Hello. How are you, right now?" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await thaw?.stop();
  });

  test("the service worker is active and Chromium finds nothing stopping an install", async () => {
    const state = await activeWorker(page);
    assert.equal(state.state, "activated");
    assert.equal(state.scope, `${thaw.base}/`);
    assert.equal(state.script, `${thaw.base}/sw.js`);
    // From the next page on, the worker sees this page's navigations.
    await page.reload();
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${thaw.base}/sw.js`);

    const { manifestUrl, manifestErrors, installabilityErrors } = await installability(browser.context, page);
    assert.equal(manifestUrl, `${thaw.base}/manifest.webmanifest`);
    assert.deepEqual(manifestErrors, []);
    assert.deepEqual(installabilityErrors, []);
    assert.deepEqual(browser.problems, []);
  });

  test("after private pages and API calls, the cache holds only the public shell", async () => {
    const privatePaths = ["/checkin", "/journal", "/journal/new", "/insights", "/settings", "/safety", "/crisis"];
    for (const path of privatePaths) {
      const response = await page.goto(`${thaw.base}${path}`);
      assert.equal(response.status(), 200, path);
    }
    const status = await page.evaluate(async () => (await fetch("/api/v1/status", { credentials: "same-origin" })).json());
    assert.equal(status.unlocked, true, "the script may call the API (connect-src 'self')");
    await page.evaluate(() => fetch("/api/v1/checkins", { credentials: "same-origin" }).then((r) => r.text()));

    const { names, urls } = await cached(page);
    assert.equal(names.length, 1, `one cache: ${names}`);
    assert.match(names[0], /^thaw-shell-[0-9a-f]+$/);
    assert.ok(urls.length >= 6, `${urls.length} cached`);
    for (const url of urls) {
      const u = new URL(url);
      assert.equal(u.origin, thaw.base);
      assert.ok(u.pathname.startsWith("/assets/") || u.pathname === "/offline", `only public files: ${url}`);
      assert.ok(!u.pathname.startsWith("/api"), url);
    }
    assert.ok(urls.some((u) => u.endsWith("/offline")), "the offline page is kept");
    assert.deepEqual(browser.problems, []);
  });

  test("with the server gone, a page shows the offline page and its crisis lines", async () => {
    await thaw.stop();
    await page.goto(`${thaw.base}/journal`);
    await page.getByRole("heading", { name: "You're offline" }).waitFor();
    assert.ok(await page.getByText("Thaw needs its server to show your records").isVisible());
    assert.ok(await page.getByRole("heading", { name: "If you need help now" }).isVisible());
    assert.ok(await page.getByRole("link", { name: /Call 116 123/ }).first().isVisible());
    // Styled from the cache, and no wider than the phone.
    const look = await page.evaluate(() => ({
      styled: getComputedStyle(document.body).fontFamily.includes("system-ui"),
      wide: document.documentElement.scrollWidth,
    }));
    assert.ok(look.styled, "the stylesheet came from the cache");
    assert.ok(look.wide <= PHONE.width, `${look.wide} px wide`);
    // Nothing of the person's: no records, no form, no session.
    assert.equal(await page.locator("form").count(), 0);
    await shot(page, "phone-offline");
  });
});
