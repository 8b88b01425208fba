// The charts and the navigation on a phone (390 × 844), with three months of generated check-ins:
// no chart text smaller than 12 CSS px, the phone drawing shown (not the wide one shrunk), the four
// maps two by two, and a navigation of one short row with "More".

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";

import { PHONE, openBrowser, shot } from "./lib/browser.mjs";
import { PASSPHRASE, startThaw } from "./lib/thaw.mjs";

/** Every visible chart text: its rendered font size in CSS px, and whether it lies inside its chart. */
async function chartTexts(page) {
  return page.evaluate(() => {
    const out = [];
    for (const svg of document.querySelectorAll("svg[viewBox]")) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue; // the other layout, hidden
      const scale = box.width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll("text")) {
        const r = t.getBoundingClientRect();
        const px = parseFloat(t.getAttribute("font-size")) * scale;
        const inside = r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        out.push({ chart: svg.id || svg.getAttribute("aria-labelledby"), text: t.textContent, px, inside });
      }
    }
    return out;
  });
}

describe("charts and navigation on a phone", () => {
  let thaw;
  let browser;
  let page;

  before(async () => {
    thaw = await startThaw();
    execFileSync(thaw.bin, ["dev", "seed", "--records", "2000", "--years", "1"], {
      env: { ...thaw.env, THAW_PASSPHRASE: PASSPHRASE },
      stdio: ["ignore", "pipe", "pipe"],
    });
    browser = await openBrowser({ viewport: PHONE });
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

  test("the navigation is one short row, the rest under More", async () => {
    const nav = page.getByRole("navigation", { name: "Main" });
    const height = (await nav.boundingBox()).height;
    assert.ok(height < 60, `the navigation is ${height} px tall`);
    assert.equal(await page.getByRole("link", { name: "Settings" }).isVisible(), false);
    await page.getByText("More", { exact: true }).click();
    assert.equal(await page.getByRole("link", { name: "Settings" }).isVisible(), true);
    await shot(page, "phone-nav-more");
    await page.getByText("More", { exact: true }).click();
    assert.ok(await page.getByRole("heading", { name: "Your week at a glance" }).isVisible());
    await shot(page, "phone-home-week");
  });

  for (const path of ["/insights?from=%FROM%", "/report"]) {
    test(`no chart text under 12 px on ${path.split("?")[0]}`, async () => {
      const from = new Date(Date.now() - 90 * 86400000).toISOString().slice(0, 10);
      await page.goto(`${thaw.base}${path.replace("%FROM%", from)}`);
      const texts = await chartTexts(page);
      assert.ok(texts.length > 50, `${texts.length} chart texts seen`);
      const small = texts.filter((t) => t.px < 12);
      assert.deepEqual(small.slice(0, 5), [], `${small.length} texts under 12 px`);
      const outside = texts.filter((t) => !t.inside);
      assert.deepEqual(outside.slice(0, 5), [], `${outside.length} texts outside their chart`);
      // The phone drawing is the one shown; the wide one is hidden.
      assert.ok(await page.locator(".chart-narrow svg").first().isVisible());
      assert.equal(await page.locator(".chart-wide svg").first().isVisible(), false);
      await shot(page, `phone-charts${path.split("?")[0].replace("/", "-")}`);
    });
  }

  test("the four maps are two by two, and the hard-to-reach chart is there", async () => {
    const from = new Date(Date.now() - 90 * 86400000).toISOString().slice(0, 10);
    await page.goto(`${thaw.base}/insights?from=${from}`);
    const rows = await page.evaluate(() => {
      const svg = [...document.querySelectorAll(".chart-narrow svg")].find((s) => s.getAttribute("aria-labelledby").startsWith("emotion-map"));
      const squares = [...svg.querySelectorAll("g > rect")].map((r) => Math.round(r.getBoundingClientRect().top));
      return new Set(squares).size;
    });
    assert.equal(rows, 2);
    assert.ok(await page.getByRole("img", { name: /How often feelings were hard to reach, over time/ }).first().isVisible());
  });
});
