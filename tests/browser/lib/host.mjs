// Starts `thaw host` over a throwaway PostgreSQL cluster, as thaw-store-pg's TestCluster and
// scripts/host do: `initdb` into a private temporary folder (as the `postgres` user when we are
// root, since initdb refuses root), the server listening only on a Unix socket in that folder,
// the two roles (thaw_owner owns the schema, thaw_app serves without BYPASSRLS), `thaw host
// migrate` as the owner, then `thaw host --signup open` on a free port of 127.0.0.1. With `tls`,
// a self-signed certificate for `thaw.test` (and 127.0.0.1) is made with openssl and served with
// --tls-cert/--tls-key. stop() ends Thaw, stops the cluster and removes the folder; so does the
// end of the test process, should a test forget.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { firstLine, thawBinary } from "./thaw.mjs";

/** The host name the https tests use (Chromium maps it to 127.0.0.1; nothing resolves it). */
export const TLS_HOST = "thaw.test";

/** PostgreSQL's server programs: $THAW_PG_BINDIR, else the newest /usr/lib/postgresql/*\/bin. */
export function postgresBinaries() {
  if (process.env.THAW_PG_BINDIR) {
    return existsSync(join(process.env.THAW_PG_BINDIR, "initdb")) ? process.env.THAW_PG_BINDIR : null;
  }
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], "bin") : null;
}

/** Why the hosted tests can't run here, or null when they can. */
export function hostedSkipReason() {
  return postgresBinaries()
    ? null
    : "PostgreSQL's server programs (initdb, pg_ctl) aren't installed; on Debian: apt-get install postgresql. Set THAW_PG_BINDIR to use others.";
}

function postgresUser() {
  const out = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (out.status !== 0 || gid.status !== 0) {
    throw new Error("Running as root, but there is no `postgres` user to run PostgreSQL as (initdb refuses root).");
  }
  return { uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const running = new Set();
process.on("exit", () => {
  for (const stop of running) stop();
});

/**
 * A running `thaw host` on a fresh cluster. Returns { base, printed, bin, env, stop(), tlsFlags },
 * where `base` is the address it printed (with `tls`, on TLS_HOST instead of 127.0.0.1), and
 * `tlsFlags` the Chromium flags that reach TLS_HOST on 127.0.0.1 and accept the server's own
 * self-signed certificate (by its public key).
 */
export async function startHost({ tls = false } = {}) {
  const bindir = postgresBinaries();
  if (!bindir) throw new Error(hostedSkipReason());
  const bin = thawBinary();
  const root = mkdtempSync(join(tmpdir(), "thaw-host-browser-"));
  chmodSync(root, 0o700);
  const asPostgres = process.getuid() === 0 ? postgresUser() : {};
  if (asPostgres.uid !== undefined) chownSync(root, asPostgres.uid, asPostgres.gid);
  const data = join(root, "data");
  const port = "5432"; // only names the socket file, in our private folder
  const pg = (tool, args) =>
    execFileSync(join(bindir, tool), args, { ...asPostgres, cwd: root, stdio: ["ignore", "pipe", "pipe"] });

  let child = null;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stop);
    child?.kill("SIGTERM");
    spawnSync(join(bindir, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], { ...asPostgres, cwd: root, stdio: "ignore" });
    rmSync(root, { recursive: true, force: true });
  };
  running.add(stop);

  try {
    pg("initdb", ["-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "-N", "-D", data]);
    const opts = `-c listen_addresses='' -c unix_socket_directories='${root}' -p ${port} -c fsync=off -c synchronous_commit=off`;
    pg("pg_ctl", ["-w", "-t", "60", "-D", data, "-l", join(root, "server.log"), "-o", opts, "start"]);
    const psql = (db, sql) => pg("psql", ["-h", root, "-p", port, "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
    psql("postgres", "CREATE ROLE thaw_owner LOGIN NOSUPERUSER NOBYPASSRLS");
    psql("postgres", "CREATE ROLE thaw_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE");
    psql("postgres", "CREATE DATABASE thaw OWNER thaw_owner");
    psql("thaw", "ALTER SCHEMA public OWNER TO thaw_owner");

    const env = { PATH: process.env.PATH, HOME: root, TZ: "UTC" };
    // The database URLs go through the environment, never the command line.
    execFileSync(bin, ["host", "migrate"], {
      env: { ...env, THAW_OWNER_DATABASE_URL: `host=${root} port=${port} user=thaw_owner dbname=thaw` },
      stdio: ["ignore", "pipe", "pipe"],
    });

    const args = ["host", "--listen", "127.0.0.1:0", "--signup", "open"];
    let tlsFlags = [];
    if (tls) {
      const cert = join(root, "cert.pem");
      const key = join(root, "key.pem");
      execFileSync("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${TLS_HOST}`,
        "-addext", `subjectAltName=DNS:${TLS_HOST},IP:127.0.0.1`,
      ], { stdio: ["ignore", "pipe", "pipe"] });
      args.push("--tls-cert", cert, "--tls-key", key);
      // The SHA-256 of the certificate's public key, base64: Chromium then takes this one
      // certificate as valid (not merely "errors ignored", which it doesn't count as secure).
      const spki = execFileSync("sh", ["-c", 'openssl x509 -pubkey -noout -in "$1" | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64', "spki", cert]);
      tlsFlags = [`--host-resolver-rules=MAP ${TLS_HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spki.toString().trim()}`];
    }
    child = spawn(bin, args, {
      env: { ...env, THAW_DATABASE_URL: `host=${root} port=${port} user=thaw_app dbname=thaw` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const printed = await firstLine(child, "thaw host", 60);
    const scheme = tls ? "https" : "http";
    const match = printed.match(new RegExp(`^${scheme}://127\\.0\\.0\\.1:(\\d+)$`));
    if (!match) throw new Error(`unexpected first line from thaw host: ${printed}`);
    const base = tls ? `https://${TLS_HOST}:${match[1]}` : printed;
    return { base, printed, bin, env, root, stop, tlsFlags };
  } catch (err) {
    stop();
    throw err;
  }
}
