/**
 * `rede-p2p doctor` (issue 11): the checks a helper asks a stuck user to run, each one verdict
 * with a line saying what was seen and, when it is not fine, a fix. This module holds the checks
 * that need no network: the shared folder and its manifest, the free disk space, the identity and
 * the pinned tracker IDs, and the firewall advice of this system. The checks that talk to a
 * tracker (reachable, connect-back, clock) and the discovery check join them in the command.
 *
 * Every check returns data as well as text: `--json` prints the data (docs/JSON.md), the terminal
 * the text. Nothing here writes: an identity not made yet is reported, not made.
 */
import { join, resolve } from "node:path";
import { formatBytes, t } from "../core/i18n.ts";
import { freeBytes } from "../storage/disk.ts";
import {
  fingerprintOf,
  formatId,
  identityHome,
  peerIdentityName,
  TrackerPins,
} from "../storage/identity.ts";
import { listShare } from "../storage/share_list.ts";
import { exists } from "../storage/paths.ts";

/** How a check came out: fine, worth a look, broken, or not run (and why). */
export type Verdict = "ok" | "warn" | "fail" | "skip";

/** One check's outcome. */
export interface Check {
  /** Stable name of the check (docs/JSON.md). */
  id: string;
  verdict: Verdict;
  /** What was seen, one line in the user's language. */
  line: string;
  /** What to do about it, when the verdict is not `ok`. */
  fix?: string;
  /** The facts, for `--json`. */
  data: Record<string, unknown>;
}

/** Below this much free space the disk check warns. */
export const LOW_DISK_BYTES = 1024 ** 3;

/** The shared folder and its manifest: readable, and what they would share. */
export async function checkShare(dir: string, manifest: string): Promise<Check> {
  const data: Record<string, unknown> = { dir: resolve(dir), manifest: resolve(manifest) };
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) throw new Deno.errors.NotADirectory(dir);
  } catch {
    return {
      id: "share",
      verdict: "fail",
      line: t("doctor.share.noFolder", { dir: data.dir as string }),
      fix: t("doctor.share.noFolderFix"),
      data,
    };
  }
  try {
    const listing = await listShare(dir, manifest);
    Object.assign(data, {
      mode: listing.mode,
      files: listing.listed.length,
      problems: listing.problems,
    });
    const count = listing.listed.length;
    const line = listing.mode === "manifest"
      ? t("doctor.share.manifest", { count, manifest: data.manifest as string })
      : t("doctor.share.folder", { count, dir: data.dir as string });
    if (listing.problems.length > 0) {
      return {
        id: "share",
        verdict: "warn",
        line: t("doctor.share.problems", { line, count: listing.problems.length }),
        fix: t("doctor.share.problemsFix", { first: listing.problems[0] }),
        data,
      };
    }
    if (count === 0) {
      return { id: "share", verdict: "warn", line, fix: t("doctor.share.emptyFix"), data };
    }
    return { id: "share", verdict: "ok", line, data };
  } catch (err) {
    return {
      id: "share",
      verdict: "fail",
      line: t("doctor.share.unreadable", { error: (err as Error).message }),
      fix: t("doctor.share.unreadableFix"),
      data,
    };
  }
}

/** The free space where downloads land (`free`: measured unless given; `null`: not known). */
export function checkDisk(dir: string, given?: number | null): Check {
  const free = given === undefined ? freeBytes(dir) : given ?? undefined;
  if (free === undefined) {
    return { id: "disk", verdict: "skip", line: t("doctor.disk.unknown"), data: { free: null } };
  }
  const data = { free };
  const size = t("doctor.disk.free", { size: formatBytes(free) });
  if (free < LOW_DISK_BYTES) {
    return { id: "disk", verdict: "warn", line: size, fix: t("doctor.disk.lowFix"), data };
  }
  return { id: "disk", verdict: "ok", line: size, data };
}

/** This folder's peer identity, and the tracker ID pinned for `tracker` (as typed), if given. */
export async function checkIdentity(dir: string, tracker?: string): Promise<Check> {
  const home = identityHome();
  const name = peerIdentityName(dir);
  const certPath = join(home, "identities", name, "cert.pem");
  const data: Record<string, unknown> = { home, identity: name, peer_id: null, pinned: null };
  if (await exists(certPath)) {
    try {
      data.peer_id = fingerprintOf(await Deno.readTextFile(certPath));
    } catch (err) {
      return {
        id: "identity",
        verdict: "fail",
        line: t("doctor.identity.unreadable", { path: certPath, error: (err as Error).message }),
        fix: t("doctor.identity.unreadableFix", { dir: join(home, "identities", name) }),
        data,
      };
    }
  }
  if (tracker) data.pinned = (await new TrackerPins(home).get(tracker)) ?? null;
  const peer = data.peer_id
    ? t("doctor.identity.peer", { id: formatId(data.peer_id as string, true), home })
    : t("doctor.identity.none", { home });
  const line = !tracker
    ? peer
    : data.pinned
    ? t("doctor.identity.pinned", { peer, tracker, id: formatId(data.pinned as string, true) })
    : t("doctor.identity.notPinned", { peer, tracker });
  return { id: "identity", verdict: "ok", line, data };
}

/**
 * What to allow in this system's firewall so that other peers reach this one: the exact rule or
 * command, for the program that runs now (`program`: the binary, or Deno running the sources).
 */
export function firewallAdvice(os: string, program: string, port?: number): Check {
  const fix = os === "windows"
    ? t("doctor.firewall.windows", { program })
    : os === "darwin"
    ? t("doctor.firewall.macos", { program })
    : port
    ? t("doctor.firewall.linuxPort", { port })
    : t("doctor.firewall.linuxAnyPort");
  const data = { os, program, port: port ?? null };
  return { id: "firewall", verdict: "skip", line: t("doctor.firewall.line"), fix, data };
}
