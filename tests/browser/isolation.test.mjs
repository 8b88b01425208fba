// Another program on this computer listens on another loopback port, reachable as 127.0.0.1 and as
// localhost (it could belong to another user). A person opens Thaw the way `thaw serve` does (its
// private launch file), unlocks and writes, in the same Chromium profile that also visits that
// other server. The other server records everything it receives: it must never get Thaw's session
// cookie, the printed token or the one-time code (docs/SECURITY.md).

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, test } from "node:test";

import { openBrowser } from "./lib/browser.mjs";
import { PASSPHRASE, thawBinary } from "./lib/thaw.mjs";

/** A server that answers every request with a small page and remembers what it was sent. */
async function recorder() {
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><title>elsewhere</title><p>Another program.</p>` +
          `<img src="/pixel.gif" alt=""><form method="post" action="/form"><button>Send</button></form>`,
      );
    });
  });
  // Both address families, so `localhost` reaches it whichever Chromium picks.
  await new Promise((ok, fail) => {
    server.once("error", () => server.listen(0, "127.0.0.1", ok));
    server.listen({ port: 0, host: "::", ipv6Only: false }, ok);
    setTimeout(() => fail(new Error("the recorder didn't start")), 10000);
  });
  return { port: server.address().port, seen, close: () => server.close() };
}

/** `thaw serve` as a person runs it: it opens "the browser" (a stand-in that notes the file). */
async function serveWithLauncher() {
  const bin = thawBinary();
  const home = mkdtempSync(join(tmpdir(), "thaw-isolation-"));
  const run = join(home, "run");
  mkdirSync(run, { mode: 0o700 });
  const launcher = join(home, "launcher.sh");
  const noted = join(home, "launched");
  writeFileSync(launcher, `#!/bin/sh\nprintf '%s' "$1" > '${noted}'\n`);
  chmodSync(launcher, 0o700);
  const env = { PATH: process.env.PATH, HOME: home, TZ: "UTC", THAW_VAULT: join(home, "vault") };
  execFileSync(bin, ["init", "--json", "--country", "GB"], { env: { ...env, THAW_PASSPHRASE: PASSPHRASE }, stdio: ["ignore", "pipe", "pipe"] });
  const child = spawn(bin, ["serve", "--port", "0"], {
    env: { ...env, THAW_BROWSER: launcher, XDG_RUNTIME_DIR: run },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no link in 30 s: ${stderr}`)), 30000);
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      ok(line.trim());
    });
  });
  for (let i = 0; i < 300 && !existsSync(noted); i++) await new Promise((r) => setTimeout(r, 100));
  const launchFile = readFileSync(noted, "utf8");
  const code = readFileSync(launchFile, "utf8").match(/\/open\/([A-Za-z0-9_-]+)/)[1];
  return {
    url,
    token: url.split("token=")[1],
    launchFile,
    code,
    stderr: () => stderr,
    stop() {
      child.kill("SIGTERM");
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe("no other server on this computer gets Thaw's session", () => {
  let thaw;
  let other;
  let browser;
  let page;

  before(async () => {
    other = await recorder();
    thaw = await serveWithLauncher();
    browser = await openBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await thaw?.stop();
    other?.close();
  });

  test("the launch file opens Thaw on its own host name, and the person writes an entry", async () => {
    await page.goto(`file://${thaw.launchFile}`);
    await page.waitForURL(/^http:\/\/t-[0-9a-f]{32}\.localhost:\d+\/unlock/);
    await page.getByLabel("Your passphrase").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByRole("heading", { name: "Hello. How are you, right now?" }).waitFor();
    const app = new URL(page.url()).origin;
    await page.goto(`${app}/journal/new`);
    await page.getByLabel("Title").fill("A private evening");
    await page.getByLabel("What's on your mind").fill("Only for me.");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("A private evening").first().waitFor();
  });

  test("the other server, visited in the same profile as 127.0.0.1 and as localhost, gets nothing of Thaw's", async () => {
    const app = new URL(page.url()).origin;
    for (const host of ["127.0.0.1", "localhost"]) {
      await page.goto(`http://${host}:${other.port}/`);
      await page.getByRole("button", { name: "Send" }).click();
      await page.waitForLoadState();
    }
    // The printed link itself, followed in the same profile: it sets no cookie for 127.0.0.1.
    await page.goto(thaw.url);
    await page.waitForURL(/t-[0-9a-f]{32}\.localhost/);
    for (const host of ["127.0.0.1", "localhost"]) {
      await page.goto(`http://${host}:${other.port}/after`);
    }
    const cookies = await browser.context.cookies();
    const session = cookies.filter((c) => c.name.startsWith("thaw_session_"));
    assert.ok(session.length >= 1, "the browser holds Thaw's cookie");
    for (const c of session) {
      assert.match(c.domain, /^t-[0-9a-f]{32}\.localhost$/, "host-only, on the app's own name");
      assert.ok(c.httpOnly && c.sameSite === "Strict");
    }
    for (const url of [`http://127.0.0.1:${other.port}/`, `http://localhost:${other.port}/`]) {
      assert.deepEqual((await browser.context.cookies(url)).filter((c) => c.name.startsWith("thaw")), [], url);
    }
    assert.ok(other.seen.length >= 8, `the other server was visited (${other.seen.length} requests)`);
    const secrets = [thaw.token, thaw.code, ...session.map((c) => c.value)];
    for (const r of other.seen) {
      const everything = JSON.stringify(r);
      assert.ok(!("cookie" in r.headers), `a cookie reached the other server: ${everything}`);
      for (const s of secrets) assert.ok(!everything.includes(s), `a Thaw secret reached the other server: ${everything}`);
      assert.ok(!everything.includes("thaw_session"), everything);
      assert.ok(!everything.includes(new URL(app).hostname), `the app's host name leaked: ${everything}`);
    }
  });

  test("the one-time code is spent: a second use closes its session and says so", async () => {
    const second = await openBrowser();
    try {
      await second.page.goto(`file://${thaw.launchFile}`);
      await second.page.getByRole("heading", { name: "This link was already used" }).waitFor();
    } finally {
      await second.close();
    }
    assert.match(thaw.stderr(), /used a second time/);
    assert.ok(!thaw.stderr().includes(thaw.code) && !thaw.stderr().includes(thaw.token), "no secret on the terminal");
  });
});
