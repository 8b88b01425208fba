// axe-core, injected into a page (the browser context must bypass the CSP, which rightly forbids
// injected scripts), over WCAG 2.2 A/AA and best practice.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe's violations on the page as it is now; with `impacts`, only those of these impacts. */
export async function scan(page, impacts = null) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
  );
  return impacts ? result.violations.filter((v) => impacts.includes(v.impact)) : result.violations;
}

/** Violations as readable lines (the first three places of each). */
export function describeViolations(violations) {
  return violations
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 3).map((n) => `    ${n.target.join(" ")} ${n.failureSummary}`).join("\n")}`)
    .join("\n");
}
