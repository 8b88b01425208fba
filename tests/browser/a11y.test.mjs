// An axe-core scan of every page, light and dark: serious or critical violations fail.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { describeViolations, scan as scanAll } from "./lib/axe.mjs";
import { PHONE, openBrowser, shot } from "./lib/browser.mjs";
import { PASSPHRASE, startThaw } from "./lib/thaw.mjs";

/** Serious or critical violations. */
const scan = (page) => scanAll(page, ["serious", "critical"]);

const PAGES = [
  "/",
  "/checkin",
  "/checkin/body",
  "/checkin/words?v=1&e=1",
  "/checkin/words?family=absence",
  "/journal",
  "/journal/new",
  "/journal/new?prompt=memories-1",
  "/journal/prompts",
  "/search",
  "/react",
  "/release",
  "/activity",
  "/people",
  "/settings",
  "/assess",
  "/assess/phq9",
  "/safety",
  "/guide",
  "/meds",
  "/selfcheck",
  "/insights",
  "/report",
  "/crisis",
  "/offline",
  "/no-such-page",
];

/** Pages reached by a form post or with records in them, made through the API. */
async function seed(thaw, page) {
  // A script with the bearer token, on 127.0.0.1 (Node can't resolve the app's `.localhost` name);
  // its session unlocks on its own.
  const headers = { Authorization: `Bearer ${thaw.token}` };
  const unlocked = await page.request.post(`${thaw.loopback}/api/v1/unlock`, { data: { passphrase: PASSPHRASE }, headers });
  assert.equal(unlocked.status(), 200, await unlocked.text());
  const post = async (path, data) => {
    const r = await page.request.post(`${thaw.loopback}${path}`, { data, headers });
    assert.equal(r.status(), 201, `${path}: ${await r.text()}`);
    return r.json();
  };
  const checkin = await post("/api/v1/checkins", { emotions: [{ word: "hurt", intensity: 6 }, { word: "tired" }], body: ["tight-chest"], note: "after the call" });
  const entry = await post("/api/v1/journal", { title: "Sunday", body: "# A heading\n\nSome *words*.\n\n- one\n- two", tags: ["quiet"], emotions: ["calm"] });
  const reaction = await post("/api/v1/reactions", { situation: "Bad news", intensity: 7, styles: ["humour"] });
  const release = await post("/api/v1/releases", { kind: "teared-up", intensity: 4, relief: 6 });
  const activity = await post("/api/v1/activities", { kind: "walking", minutes: 30, before: 3, after: 5, place: "the park" });
  const person = await post("/api/v1/people", { name: "Robin", reach: "phone" });
  await post("/api/v1/medications", { name: "Zoloft", dose: 50, unit: "mg", at: "2025-01-10T08:00:00Z" });
  await post("/api/v1/medications/sertraline/events", { event: "dose-changed", dose: 100, unit: "mg" });
  await post("/api/v1/medications", { name: "Evening tonic", dose: 1, unit: "tablets" });
  await post("/api/v1/medications/evening-tonic/events", { event: "paused" });
  await post("/api/v1/assessments", { instrument: "phq9", answers: [1, 2, 1, 1, 0, 1, 1, 0, 1] });
  await post("/api/v1/assessments", { instrument: "who5", answers: [2, 2, 3, 1, 2] });
  const check = await post("/api/v1/selfchecks", { answers: { "medication-1": 3, "anxiety-judgement-1": 2 } });
  await post("/api/v1/report/questions", { text: "Could the dose explain feeling flat?" });
  return [
    `/selfcheck/${check.id}`,
    `/react/${reaction.id}/edit`,
    `/release/${release.id}/edit`,
    `/activity/${activity.id}/edit`,
    `/people/${person.id}/edit`,
    `/checkin/${checkin.id}`, `/journal/${entry.id}`, `/journal/${entry.id}/edit`, `/journal/${entry.id}/delete`];
}

/** A file-name-friendly form of a path ("/checkin/words?v=1&e=1" → "-checkin-words-v-1-e-1"). */
function slug(path) {
  return path === "/" ? "-home" : path.replace(/[^a-z0-9]+/gi, "-").replace(/-[0-9a-f]{8}-[0-9a-f-]{27}/, "-ID").replace(/-$/, "");
}

for (const colorScheme of ["light", "dark"]) {
  describe(`accessibility (${colorScheme})`, () => {
    let thaw;
    let browser;
    let page;
    let pages = PAGES;

    before(async () => {
      thaw = await startThaw();
      // axe is injected as a script, which the CSP rightly forbids; only this scan bypasses it.
      browser = await openBrowser({ colorScheme, bypassCSP: true });
      page = browser.page;
      await thaw.open(page);
      await shot(page, `page-desktop${colorScheme === "dark" ? "-dark" : ""}-unlock`);
      const unlockViolations = await scan(page);
      assert.deepEqual(unlockViolations, [], describeViolations(unlockViolations));
      await page.getByLabel("Your passphrase").fill(PASSPHRASE);
      await page.getByRole("button", { name: "Unlock" }).click();
      await page.getByRole("heading", { level: 1 }).waitFor();
      pages = PAGES.concat(await seed(thaw, page));
    });

    after(async () => {
      await browser?.close();
      await thaw?.stop();
    });

    test("every page has no serious or critical violations", async () => {
      const failures = [];
      for (const path of pages) {
        await page.goto(`${thaw.base}${path}`);
        if (colorScheme === "light") await shot(page, `page-desktop${slug(path)}`);
        const violations = await scan(page);
        if (violations.length) failures.push(`${path}\n${describeViolations(violations)}`);
      }
      assert.deepEqual(failures, [], failures.join("\n\n"));
    });

    test("pages fit a phone without sideways scrolling", async () => {
      await page.setViewportSize(PHONE);
      const wide = [];
      for (const path of pages) {
        await page.goto(`${thaw.base}${path}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 1) wide.push(`${path} (${overflow}px too wide)`);
        if (colorScheme === "light" || ["/", "/checkin", "/journal/new", "/crisis", "/meds", "/selfcheck", "/insights", "/report"].includes(path)) {
          await shot(page, `page-phone${colorScheme === "dark" ? "-dark" : ""}${slug(path)}`);
        }
      }
      assert.deepEqual(wide, []);
    });
  });
}
