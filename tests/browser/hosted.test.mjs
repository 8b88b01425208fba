// A person's first evening on a hosted Thaw (`thaw host` over a throwaway PostgreSQL cluster), on a
// phone (390 × 844): make an account (the 24 recovery words shown once, and not again on reload) →
// check in → write in the journal → PHQ-9 with item 9 above 0 shows support before the score →
// sign out, after which private pages send the browser to sign in and Back shows nothing private.
// axe finds no violations on any page of the way, and none is wider than the phone. Then, over https with the server's own
// certificate on a name that isn't localhost, Chromium finds nothing stopping an install.
//
// It needs PostgreSQL's server programs; without them it is skipped, saying so.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { describeViolations, scan } from "./lib/axe.mjs";
import { PHONE, activeWorker, installability, openBrowser, shot } from "./lib/browser.mjs";
import { hostedSkipReason, startHost } from "./lib/host.mjs";
import { answerPhq9WithItem9, assertSupportFirst } from "./lib/steps.mjs";

const skip = hostedSkipReason() ?? false;
if (skip) console.log(`# hosted tests skipped: ${skip}`);

const USERNAME = "lake-walker";
const PASSPHRASE = "a calm lake at dawn";
const JOURNAL_TEXT = "The river was loud today and I couldn't name why.";

describe("hosted journey on a phone (390×844)", { skip }, () => {
  let host;
  let browser;
  let page;
  /** axe's findings, page by page; checked at the end and after each step. */
  const scanned = [];
  const name = (step) => `hosted-phone-${step}`;

  /** Scans the page as it is now, takes its screenshot, and fails on any violation or on a page
   * wider than the phone. */
  async function check(step) {
    await shot(page, name(step));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${step}: ${overflow} px wider than the phone`);
    const violations = await scan(page);
    scanned.push(step);
    assert.deepEqual(violations, [], `${step} (${page.url()}):\n${describeViolations(violations)}`);
  }

  before(async () => {
    host = await startHost();
    // axe is injected as a script, which the CSP rightly forbids; only this test bypasses it.
    browser = await openBrowser({ viewport: PHONE, isMobile: true, hasTouch: true, bypassCSP: true });
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    host?.stop();
  });

  test("a first visit is sent to sign in, with a way to make an account", async () => {
    await page.goto(`${host.base}/`);
    assert.equal(new URL(page.url()).pathname, "/signin");
    await page.getByRole("heading", { name: "Welcome", level: 1 }).waitFor();
    assert.ok(await page.getByRole("link", { name: "Crisis help" }).isVisible());
    await check("01-signin");
    await page.getByRole("link", { name: "Make an account" }).click();
    await page.getByRole("heading", { name: "Make an account", level: 1 }).waitFor();
    await check("02-signup");
  });

  test("making an account shows the 24 recovery words once", async () => {
    await page.getByLabel("Username").fill(USERNAME);
    await page.getByLabel("Passphrase", { exact: true }).fill(PASSPHRASE);
    await page.getByLabel("The same passphrase again").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Make my account" }).click();
    await page.getByRole("heading", { name: "Your recovery words", level: 1 }).waitFor();
    const words = await page.locator("ol.recovery-words li").allInnerTexts();
    assert.equal(words.length, 24);
    for (const word of words) assert.match(word, /^[a-z]+$/);
    await check("03-recovery-words");

    // A reload (or coming back to the address) doesn't show them again.
    await page.reload();
    await page.getByRole("heading", { level: 1 }).waitFor();
    const after = await page.locator("main").innerText();
    assert.equal(await page.locator("ol.recovery-words li").count(), 0, after);
    // (A word may happen to be an ordinary one, "right" say; the words in their order may not.)
    const flat = after.replace(/\s+/g, " ");
    for (let i = 0; i + 3 <= words.length; i++) {
      const run = words.slice(i, i + 3).join(" ");
      assert.ok(!flat.includes(run), `"${run}" shown again:\n${after}`);
    }
    assert.match(after, /can't be shown again/);
    await check("04-recovery-words-again");
    await page.getByRole("button", { name: "Continue" }).click();
    // The first sign-in of an account without a country asks for it, once, kindly.
    await page.getByRole("heading", { name: "One question, if you like" }).waitFor();
    await check("05-country");
    await page.getByLabel("Your country").selectOption("GB");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Hello. How are you, right now?" }).waitFor();
    await check("06-home");
  });

  test("check in: plane → word → intensity → saved", async () => {
    await page.getByRole("link", { name: "Check in", exact: true }).first().click();
    await page.getByRole("heading", { name: "Check in", exact: true }).waitFor();
    await check("07-checkin-start");
    await page.locator('a[href="/checkin/words?v=1&e=1"]').click();
    await page.getByRole("heading", { name: /which words fit/ }).waitFor();
    await check("08-checkin-words");
    const first = page.getByRole("checkbox").nth(0);
    const word = (await page.locator(`label[for="${await first.getAttribute("id")}"] strong`).innerText()).trim();
    await first.check();
    await page.getByRole("button", { name: "Next: how strong" }).click();
    await page.getByLabel(`How strong is “${word}”?`).selectOption("5");
    await check("09-checkin-intensity");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.locator("#sentence").waitFor();
    await check("10-checkin-sentence");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").waitFor();
    assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), `I feel ${word}.`);
    await check("11-checkin-saved");
  });

  test("write a journal entry and read it back", async () => {
    await page.goto(`${host.base}/journal/new`);
    await page.getByLabel("Title").fill("By the river");
    await page.getByLabel("What's on your mind").fill(JOURNAL_TEXT);
    await check("12-journal-new");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "By the river" }).waitFor();
    assert.match(await page.locator(".prose").innerText(), /The river was loud today/);
    await check("13-journal-entry");
  });

  test("PHQ-9 with item 9 above 0 shows support first, before the score", async () => {
    await page.goto(`${host.base}/assess/phq9`);
    await answerPhq9WithItem9(page);
    await check("14-phq9-form");
    await page.getByRole("button", { name: "Save my answers" }).click();
    const support = await assertSupportFirst(page);
    // Support sits in the first screenful of the phone, not below the fold.
    const box = await support.boundingBox();
    assert.ok(box && box.y < PHONE.height, `support starts at ${box?.y} px`);
    await check("15-phq9-support");
  });

  test("the account page offers the passphrase, the export and deletion", async () => {
    await page.getByRole("link", { name: "Account" }).click();
    await page.getByRole("heading", { name: "Your account", level: 1 }).waitFor();
    assert.match(await page.locator("main").innerText(), new RegExp(`Signed in as ${USERNAME}`));
    await check("16-account");
  });

  test("signing out: private pages send the browser to sign in, and Back shows nothing private", async () => {
    await page.goto(`${host.base}/journal`);
    await page.getByRole("link", { name: "By the river" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Welcome", level: 1 }).waitFor();
    assert.match(await page.getByRole("status").innerText(), /Signed out/);
    await check("17-signed-out");

    for (const path of ["/", "/journal", "/checkin", "/assess/phq9", "/account", "/insights"]) {
      await page.goto(`${host.base}${path}`);
      assert.equal(new URL(page.url()).pathname, "/signin", `${path} → ${page.url()}`);
      assert.ok(!(await page.locator("main").innerText()).includes("By the river"), path);
    }
    // Back through the history: every page is asked for again (no-store), and each answers with
    // the sign-in page; nothing written is on screen.
    for (let i = 0; i < 6; i++) {
      const moved = await page.goBack();
      if (!moved) break;
      const text = await page.locator("body").innerText();
      assert.ok(!text.includes("By the river") && !text.includes("The river was loud"), `Back showed private text at ${page.url()}`);
      assert.ok(!text.includes(USERNAME), `Back showed the username at ${page.url()}`);
    }
    const direct = await page.request.get(`${host.base}/api/v1/journal`);
    assert.equal(direct.status(), 401);
  });

  test("every page of the way was scanned, and no script or policy errors", () => {
    assert.ok(scanned.length >= 17, scanned.join(", "));
    assert.deepEqual(browser.problems, []);
    const elsewhere = browser.requests.filter((u) => !u.startsWith(host.base));
    assert.deepEqual(elsewhere, []);
  });
});

describe("hosted Thaw installable over https", { skip }, () => {
  let host;
  let browser;
  let page;

  before(async () => {
    host = await startHost({ tls: true });
    browser = await openBrowser({ viewport: PHONE, isMobile: true, hasTouch: true, args: host.tlsFlags });
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    host?.stop();
  });

  test("on a name that isn't localhost, with the service worker active, nothing stops an install", async () => {
    assert.match(host.printed, /^https:\/\/127\.0\.0\.1:\d+$/);
    await page.goto(`${host.base}/signin`);
    await page.getByRole("heading", { name: "Welcome", level: 1 }).waitFor();
    assert.ok(await page.evaluate(() => window.isSecureContext), "a secure context");
    const worker = await activeWorker(page);
    assert.deepEqual(worker, { state: "activated", scope: `${host.base}/`, script: `${host.base}/sw.js` });
    await page.reload();
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${host.base}/sw.js`);

    const { manifestUrl, manifestErrors, installabilityErrors } = await installability(browser.context, page);
    assert.equal(manifestUrl, `${host.base}/manifest.webmanifest`);
    assert.deepEqual(manifestErrors, []);
    assert.deepEqual(installabilityErrors, []);
    await shot(page, "hosted-phone-https-signin");

    // The cookies of a signed-in browser over https are Secure, host-only and __Host- named.
    await page.getByRole("link", { name: "Make an account" }).click();
    await page.getByLabel("Username").fill("tls-person");
    await page.getByLabel("Passphrase", { exact: true }).fill(PASSPHRASE);
    await page.getByLabel("The same passphrase again").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Make my account" }).click();
    await page.getByRole("heading", { name: "Your recovery words", level: 1 }).waitFor();
    const cookies = await browser.context.cookies();
    const session = cookies.find((c) => c.name === "__Host-thaw_session");
    assert.ok(session, cookies.map((c) => c.name).join(", "));
    assert.equal(session.secure, true);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.deepEqual(browser.problems, []);
  });
});
