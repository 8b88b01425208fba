// Steps more than one journey takes, with the checks that belong to them.

import assert from "node:assert/strict";

/** On the PHQ-9 form: "Not at all" for items 1 to 8, "Several days" for item 9. */
export async function answerPhq9WithItem9(page) {
  await page.getByRole("heading", { name: "PHQ-9", level: 1 }).waitFor();
  for (let n = 1; n <= 9; n++) {
    const group = page.getByRole("group", { name: new RegExp(`^${n}\\. `) });
    await group.getByLabel(n === 9 ? "Several days" : "Not at all", { exact: true }).check();
  }
}

/**
 * After saving answers with item 9 above 0: support (the UK's crisis lines, tap to call, and the
 * safety plan) comes first on the page, above the answers and the total, calmly (no alert).
 * Returns the support section.
 */
export async function assertSupportFirst(page) {
  const support = page.locator("section.support");
  await support.getByRole("heading", { name: "Support, if you want it" }).waitFor();
  assert.ok((await support.locator('a[href="tel:116123"]').count()) > 0, "the UK's lines, tap to call");
  assert.ok((await support.getByRole("link", { name: "safety plan" }).count()) > 0);
  const text = await page.locator("main").innerText();
  const at = text.indexOf("Support, if you want it");
  assert.ok(at >= 0 && at < text.indexOf("Your answers"), "support before the answers");
  assert.ok(at < text.indexOf("What the answers add up to"), "support before the total");
  assert.equal(await page.getByRole("alert").count(), 0, "calm, no alarms");
  return support;
}
