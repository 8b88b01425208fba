// Starts `thaw serve --no-open --port 0` on a fresh vault and hands back its link. Pages are served
// on the app's own host name (`t-<random>.localhost`, which Chromium resolves to 127.0.0.1); the
// printed 127.0.0.1 link sends the browser there (docs/SECURITY.md).

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const PASSPHRASE = "a calm lake at dawn";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");

/** The thaw binary: $THAW_BIN, else the debug build in $CARGO_TARGET_DIR or ./target. */
export function thawBinary() {
  const candidates = [
    process.env.THAW_BIN,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, "debug", "thaw"),
    join(repo, "target", "debug", "thaw"),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No thaw binary (looked at ${candidates.join(", ")}). Run \`cargo build -p thaw\` first, or set THAW_BIN.`);
  }
  return found;
}

/**
 * The first line `child` prints on standard output (what `thaw serve` and `thaw host` print
 * first: where they serve), or an error with its standard error after `seconds`.
 */
export function firstLine(child, name, seconds) {
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => fail(new Error(`${name} printed nothing in ${seconds} s: ${stderr}`)), seconds * 1000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      ok(line.trim());
    });
    child.once("exit", (code) => fail(new Error(`${name} exited (${code}): ${stderr}`)));
  });
}

/**
 * A fresh vault with a running server. Call stop() when done. `country` is set at init (as
 * `thaw init --country` does); pass null to leave it unset, so the first unlock asks for it.
 */
export async function startThaw({ country = "GB" } = {}) {
  const bin = thawBinary();
  const home = mkdtempSync(join(tmpdir(), "thaw-browser-"));
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    TZ: "UTC",
    THAW_VAULT: join(home, "vault"),
  };
  const init = country ? ["init", "--json", "--country", country] : ["init", "--json"];
  execFileSync(bin, init, { env: { ...env, THAW_PASSPHRASE: PASSPHRASE }, stdio: ["ignore", "pipe", "pipe"] });
  const child = spawn(bin, ["serve", "--no-open", "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const url = await firstLine(child, "thaw serve", 30);
  if (!/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{22,}$/.test(url)) {
    throw new Error(`unexpected first line: ${url}`);
  }
  const loopback = url.split("/?token=")[0];
  return {
    url,
    token: url.split("token=")[1],
    /** Where pages are: 127.0.0.1 until `open`, then the app's own `t-….localhost` host name. */
    base: loopback,
    /** http://127.0.0.1:PORT: the printed link, bearer-token scripts, assets. No cookie there. */
    loopback,
    bin,
    env,
    /** Follows the printed link, which moves the browser on to the app's own host name. */
    async open(page) {
      await page.goto(url);
      this.base = new URL(page.url()).origin;
    },
    /** Ends the server and resolves once it has exited (so no request can reach it after). */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((ok) => child.once("exit", ok));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
