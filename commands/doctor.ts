/**
 * `rede-p2p doctor` (issue 11): every check a helper would ask a stuck user about, one verdict
 * line each with a fix when it is not fine (app/doctor.ts, app/doctor_net.ts). The tracker is
 * `--tracker`, else the only one discovery finds. Exit status 1 when a check failed, else 0;
 * `--json` gives the checks as data (docs/JSON.md).
 */
import process from "node:process";
import { hasCode } from "../core/errors.ts";
import { type PlainKey, t } from "../core/i18n.ts";
import { DEFAULT_TRACKER_PORT } from "../core/limits.ts";
import { DISCOVERY_LISTEN_MS } from "../core/limits_discovery.ts";
import { printable } from "../core/terminal.ts";
import {
  type Check,
  checkDisk,
  checkIdentity,
  checkShare,
  firewallAdvice,
  type Verdict,
} from "../app/doctor.ts";
import { checkDiscovery, checkTracker } from "../app/doctor_net.ts";
import { type Address, formatAddress, parseHostPort, parsePort } from "../net/address.ts";
import { type Command, UsageError } from "./_command.ts";
import { DISCOVERY_OPTIONS, discoveryInput, oneOfAddressOrNetwork } from "./_discovery.ts";
import { askCode } from "./join.ts";

const VERDICT: Record<Verdict, PlainKey> = {
  ok: "doctor.verdict.ok",
  warn: "doctor.verdict.warn",
  fail: "doctor.verdict.fail",
  skip: "doctor.verdict.skip",
};

export const doctor: Command = {
  name: "doctor",
  scopes: ["cli"],
  args: [],
  options: {
    tracker: { type: "string", value: "HOST[:PORT]" },
    code: { type: "string", value: "CODE" },
    ...DISCOVERY_OPTIONS,
    "discovery-via": { type: "string", value: "ADDR" },
    dir: { type: "string", value: "DIR", default: "./arquivos_compartilhaveis" },
    manifest: { type: "string", value: "FILE", default: "./meus_arquivos.txt" },
    "listen-port": { type: "string", value: "PORT" },
    json: { type: "boolean" },
  },
  examples: ["doctor", "doctor --tracker 192.168.0.10", "doctor --json"],
  async run({ options }, ctx) {
    const discovery = discoveryInput(options, doctor);
    oneOfAddressOrNetwork(options.tracker as string | undefined, discovery.network, doctor);
    let tracker: Address | undefined;
    if (options.tracker !== undefined) {
      try {
        const { host, port } = parseHostPort(options.tracker as string, DEFAULT_TRACKER_PORT);
        tracker = { host, port: port! };
      } catch (err) {
        throw hasCode(err, "BAD_INPUT") ? new UsageError(err.message, doctor) : err;
      }
    }
    let listenPort = 0;
    if (options["listen-port"] !== undefined) {
      const p = parsePort(options["listen-port"] as string);
      if (p === undefined) {
        const port = printable(options["listen-port"] as string);
        throw new UsageError(t("join.badPort", { port }), doctor);
      }
      listenPort = p;
    }
    const dir = options.dir as string;
    const checks: Check[] = [];
    const say = (c: Check) => {
      checks.push(c);
      if (ctx.json) return;
      ctx.out(t("doctor.row", { verdict: t(VERDICT[c.verdict]), line: c.line }));
      if (c.fix) ctx.out(t("doctor.fix", { fix: c.fix }));
    };
    if (!ctx.json) ctx.note(t("doctor.start"));

    const via = options["discovery-via"] as string | undefined;
    if (via !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(via)) {
      throw new UsageError(t("doctor.badVia", { value: printable(via) }), doctor);
    }
    const { check, found } = await checkDiscovery({
      on: discovery.on,
      listenMs: DISCOVERY_LISTEN_MS,
      port: discovery.port,
      via: via === undefined ? undefined : [via],
    });
    say(check);
    const named = discovery.network === undefined
      ? found
      : found.filter((d) => d.network.toLowerCase() === discovery.network!.toLowerCase());
    if (!tracker && named.length === 1) tracker = { host: named[0].host, port: named[0].port };
    const where = tracker ? formatAddress(tracker) : undefined;
    if (tracker) {
      // Asked on standard error: standard output is the report.
      const code = () => askCode(options.code as string | undefined, where!, process.stderr);
      for (const c of await checkTracker({ tracker, code, listenPort })) say(c);
    } else {
      const line = named.length > 1
        ? t("doctor.tracker.several", { count: named.length })
        : discovery.on
        ? t("doctor.tracker.none")
        : t("doctor.tracker.noneGiven");
      say({ id: "tracker", verdict: "skip", line, fix: t("doctor.tracker.giveFix"), data: {} });
    }
    say(await checkShare(dir, options.manifest as string));
    say(checkDisk(dir));
    say(await checkIdentity(dir, where));
    say(firewallAdvice(Deno.build.os, Deno.execPath(), listenPort || undefined));

    const failed = checks.filter((c) => c.verdict === "fail").length;
    if (ctx.json) {
      ctx.json({
        ok: failed === 0,
        checks: checks.map(({ id, verdict, line, fix, data }) => ({
          id,
          verdict,
          message: line,
          fix: fix ?? null,
          ...data,
        })),
      });
    } else {
      ctx.out(failed ? t("doctor.summaryFailed", { count: failed }) : t("doctor.summaryOk"));
    }
    return failed ? 1 : 0;
  },
};
