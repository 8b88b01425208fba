// A person's first evening with Thaw, in a real browser, at phone and desktop widths:
// unlock → check in through the picker (plane → word → intensity → sentence) → write in the journal →
// PHQ-9 with item 9 above 0 → download the visit summary.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";

import { DESKTOP, PHONE, openBrowser, shot } from "./lib/browser.mjs";
import { answerPhq9WithItem9, assertSupportFirst } from "./lib/steps.mjs";
import { PASSPHRASE, startThaw } from "./lib/thaw.mjs";

for (const [label, viewport] of [
  ["phone", PHONE],
  ["desktop", DESKTOP],
]) {
  describe(`journey at ${label} width (${viewport.width}×${viewport.height})`, () => {
    let thaw;
    let browser;
    let page;
    const name = (step) => `${label}-${step}`;

    before(async () => {
      thaw = await startThaw({ country: null });
      browser = await openBrowser({ viewport });
      page = browser.page;
    });

    after(async () => {
      await browser?.close();
      await thaw?.stop();
    });

    test("the printed link opens the unlock page, without the token in the address", async () => {
      await thaw.open(page);
      assert.match(page.url(), /^http:\/\/t-[0-9a-f]{32}\.localhost:\d+\/unlock\?next=%2F$/);
      assert.ok(!page.url().includes("token"));
      await assert.doesNotReject(page.getByRole("link", { name: "Crisis help" }).waitFor());
      await shot(page, name("01-unlock"));
    });

    test("a wrong passphrase is explained; the right one opens the home page", async () => {
      await page.getByLabel("Your passphrase").fill("not my passphrase");
      await page.getByRole("button", { name: "Unlock" }).click();
      await page.getByRole("alert").waitFor();
      assert.match(await page.getByRole("alert").innerText(), /passphrase isn.t right/);
      await page.getByLabel("Your passphrase").fill(PASSPHRASE);
      await page.getByRole("button", { name: "Unlock" }).click();
      // The first unlock of a vault without a country asks for it, once, kindly.
      await page.getByRole("heading", { name: "One question, if you like" }).waitFor();
      await shot(page, name("02-country"));
      await page.getByLabel("Your country").selectOption("GB");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("heading", { name: "Hello. How are you, right now?" }).waitFor();
      await shot(page, name("02-home"));
    });

    test("check in: plane → word → intensity → sentence", async () => {
      await page.getByRole("link", { name: "Check in", exact: true }).first().click();
      await page.getByRole("heading", { name: "Check in", exact: true }).waitFor();
      await shot(page, name("03-checkin-start"));
      // The square for "unpleasant, low energy".
      await page.locator('a[href="/checkin/words?v=1&e=1"]').click();
      await page.getByRole("heading", { name: /which words fit/ }).waitFor();
      await shot(page, name("04-checkin-words"));
      const boxes = page.getByRole("checkbox");
      const first = boxes.nth(0);
      const word = (await page.locator(`label[for="${await first.getAttribute("id")}"] strong`).innerText()).trim();
      await first.check();
      await page.getByRole("button", { name: "Next: how strong" }).click();
      await page.getByRole("heading", { name: "How strong is each?" }).waitFor();
      await page.getByLabel(`How strong is “${word}”?`).selectOption("6");
      await shot(page, name("05-checkin-intensity"));
      await page.getByRole("button", { name: "Next", exact: true }).click();
      const sentence = page.locator("#sentence");
      await sentence.waitFor();
      assert.equal(await sentence.innerText(), `I feel ${word}.`);
      await page.getByLabel("I said it").check();
      await shot(page, name("06-checkin-sentence"));
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").waitFor();
      assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), `I feel ${word}.`);
      assert.match(await page.locator("main").innerText(), /6 of 10/);
      await shot(page, name("07-checkin-saved"));
      await page.getByRole("link", { name: "Back home" }).click();
      assert.match(await page.locator("main").innerText(), new RegExp(`I feel ${word}\\.`));
    });

    test("write a journal entry and read it back", async () => {
      await page.goto(`${thaw.base}/journal`);
      await page.getByRole("link", { name: "Write a new entry" }).click();
      await page.getByLabel("Title").fill("First evening");
      await page.getByLabel("What's on your mind").fill("I tried naming it.\n\nIt was *strange* but **all right**.");
      await page.getByLabel(/Feelings it's about/).fill("tired, calm");
      await shot(page, name("08-journal-new"));
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("heading", { name: "First evening" }).waitFor();
      const prose = page.locator(".prose");
      assert.equal(await prose.locator("em").innerText(), "strange");
      assert.equal(await prose.locator("strong").innerText(), "all right");
      await shot(page, name("09-journal-entry"));
      await page.goto(`${thaw.base}/journal`);
      await page.getByRole("link", { name: "First evening" }).waitFor();
      await shot(page, name("10-journal-list"));
    });

    test("PHQ-9 with item 9 > 0 shows crisis lines", async () => {
      await page.goto(`${thaw.base}/settings`);
      await page.getByLabel("Your country, for crisis lines").selectOption("GB");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").waitFor();
      // Questionnaires are under "More" in the navigation.
      await page.getByText("More", { exact: true }).click();
      await page.getByRole("link", { name: "Questionnaires" }).first().click();
      await page.getByRole("link", { name: /PHQ-9/ }).click();
      await answerPhq9WithItem9(page);
      await shot(page, name("12-phq9-form"));
      await page.getByRole("button", { name: "Save my answers" }).click();
      // First on the page: above the answers' recap and the total.
      await assertSupportFirst(page);
      await shot(page, name("13-phq9-support"));
    });

    test("download the visit summary as a PDF", async () => {
      await page.getByText("More", { exact: true }).click();
      await page.getByRole("link", { name: "Visit summary" }).first().click();
      await page.getByRole("heading", { name: "Prepare for a visit", level: 1 }).waitFor();
      // The preview shows what was recorded above: the check-in and the PHQ-9.
      const preview = page.locator("article.summary-preview");
      await preview.getByRole("heading", { name: "Visit summary" }).waitFor();
      assert.match(await preview.innerText(), /Check-ins\s+1/);
      assert.match(await preview.innerText(), /PHQ-9/);
      assert.match(await preview.innerText(), /Item 9 answered "Several days"/);
      await page.getByLabel("A question").fill("Could my medicine be why I can't cry?");
      await page.getByRole("button", { name: "Add the question" }).click();
      await page.getByRole("status").waitFor();
      assert.match(await preview.innerText(), /Could my medicine be why I can.t cry\?/);
      await shot(page, name("14-report"));
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF", exact: true }).click()]);
      assert.match(download.suggestedFilename(), /^thaw-visit-summary-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.pdf$/);
      const bytes = readFileSync(await download.path());
      assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-");
      assert.ok(bytes.length > 5000, `a real PDF, not ${bytes.length} bytes`);
      assert.match(bytes.subarray(bytes.length - 64).toString("latin1"), /%%EOF/);
    });

    test("printing the visit summary page prints only the summary", async () => {
      await page.emulateMedia({ media: "print" });
      try {
        assert.ok(await page.locator("article.summary-preview").isVisible());
        for (const hidden of ["header.site", "footer.site", "form"]) {
          assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is hidden in print`);
        }
        assert.equal(await page.getByRole("heading", { name: "Prepare for a visit" }).isVisible(), false);
        await shot(page, name("15-report-print"));
      } finally {
        await page.emulateMedia({ media: "screen" });
      }
    });

    test("the crisis page is one click away and offers tap-to-call links", async () => {
      await page.getByRole("link", { name: "Crisis help" }).click();
      await page.getByRole("heading", { name: "If you need help now" }).waitFor();
      assert.ok((await page.locator('a[href^="tel:"]').count()) > 0);
      await shot(page, name("11-crisis"));
    });

    test("nothing was fetched from anywhere but Thaw, and no script or policy errors", () => {
      const elsewhere = browser.requests.filter((u) => !u.startsWith(thaw.base) && !u.startsWith(thaw.loopback));
      assert.deepEqual(elsewhere, []);
      assert.deepEqual(browser.problems, []);
    });
  });
}
