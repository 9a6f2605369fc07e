/**
 * One-shot runs of shell verbs from the command line (`rede-p2p peers --tracker HOST`): the
 * options they share, where the tracker is, and the session each runs in, made as small as the
 * verb allows (app/oneshot.ts), closed when it is done.
 */
import process from "node:process";
import { hasCode } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { DEFAULT_TRACKER_PORT } from "../core/limits.ts";
import { peerNameProblem } from "../core/peer_name.ts";
import { printable } from "../core/terminal.ts";
import { Look, startOneShotNode } from "../app/oneshot.ts";
import { locateTracker } from "../app/discover.ts";
import { DISCOVERY_LISTEN_MS } from "../core/limits_discovery.ts";
import { formatId } from "../storage/identity.ts";
import { type Address, formatAddress, parseHostPort } from "../net/address.ts";
import type { Command, Context, Input, OptionSpec } from "./_command.ts";
import { UsageError } from "./_command.ts";
import { Screen } from "./_screen.ts";
import { Session } from "./_session.ts";
import { printTo } from "./_ui.ts";
import { listenSignals } from "./_shell.ts";
import { askCode, shareFolder } from "./join.ts";
import {
  chooseTracker,
  DISCOVERY_OPTIONS,
  discoveryInput,
  oneOfAddressOrNetwork,
} from "./_discovery.ts";

/** The options of every one-shot verb, taken on the command line only. */
export const ONE_SHOT_OPTIONS: Record<string, OptionSpec> = {
  tracker: { type: "string", value: "HOST[:PORT]", scopes: ["cli"] },
  ...Object.fromEntries(
    Object.entries(DISCOVERY_OPTIONS).map(([k, o]) => [k, { ...o, scopes: ["cli"] }]),
  ),
  // On a machine with several networks (a VPN, a second card): ask through one only.
  "discovery-via": { type: "string", value: "ADDR", scopes: ["cli"] },
  code: { type: "string", value: "CODE", scopes: ["cli"] },
  json: { type: "boolean", scopes: ["cli"] },
  verbose: { type: "boolean", short: "v", scopes: ["cli"] },
};

/** The options of a one-shot verb that acts for a shared folder (`get`, `push`, `hand-in`). */
export const SHARE_OPTIONS: Record<string, OptionSpec> = {
  dir: { type: "string", value: "DIR", default: "./arquivos_compartilhaveis", scopes: ["cli"] },
  manifest: { type: "string", value: "FILE", default: "./meus_arquivos.txt", scopes: ["cli"] },
  name: { type: "string", value: "NAME", scopes: ["cli"] },
};

/**
 * Where the tracker of a one-shot run is: `--tracker HOST[:PORT]` (port 9450 unless given), else
 * the tracker found on the LAN (app/discover.ts `locateTracker`, as `join` finds it: the only one
 * that answers, the one of `--network`, or the one a person picks at a terminal).
 *
 * @param interactive Whether a person could be asked to choose among trackers found.
 * @throws {UsageError} for an address that is not one, or no address with `--no-discovery`.
 * @throws {RedeError} when no tracker, or several and no one to choose, answer (one line).
 */
export async function trackerFor(
  cmd: Command,
  options: Input["options"],
  interactive: boolean,
  note: (line: string) => void = () => {},
  signal?: AbortSignal,
): Promise<Address> {
  const given = options.tracker as string | undefined;
  const discovery = discoveryInput(options, cmd);
  oneOfAddressOrNetwork(given, discovery.network, cmd);
  if (given === undefined && !discovery.on) throw new UsageError(t("oneshot.noTracker"), cmd);
  if (given !== undefined) {
    try {
      const { host, port } = parseHostPort(given, DEFAULT_TRACKER_PORT);
      return { host, port: port! };
    } catch (err) {
      throw hasCode(err, "BAD_INPUT") ? new UsageError(err.message, cmd) : err;
    }
  }
  const via = options["discovery-via"] as string | undefined;
  if (via !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(via)) {
    throw new UsageError(t("oneshot.badVia", { value: printable(via) }), cmd);
  }
  note(t("discover.looking", { seconds: DISCOVERY_LISTEN_MS / 1000 }));
  const found = await locateTracker({
    network: discovery.network,
    discovery: true,
    interactive,
    // Asked on standard error: standard output is the verb's result.
    choose: (list) => chooseTracker(list, cmd, note, process.stderr),
    port: discovery.port,
    via: via === undefined ? undefined : [via],
    signal,
  });
  note(t("discover.found", {
    network: found.name!,
    address: formatAddress(found),
    id: formatId(found.id!, true),
  }));
  return { host: found.host, port: found.port };
}

/**
 * Runs a verb once: connects as its `oneShot` says, runs it with the shell's code, leaves. A
 * `get --seed` then stays registered, serving, until Ctrl-C or SIGTERM.
 *
 * @returns The verb's exit status.
 */
export async function runOneShot(cmd: Command, input: Input, ctx: Context): Promise<number> {
  const need = cmd.oneShot!(input);
  const { options } = input;
  const verbose = options.verbose === true;
  const tracker = await trackerFor(
    cmd,
    options,
    Deno.stdin.isTerminal(),
    (line) => ctx.note(line),
    ctx.signal,
  );
  const where = formatAddress(tracker);
  // Asked on standard error: standard output is the verb's result.
  const code = () => askCode(options.code as string | undefined, where, process.stderr);
  const log = (line: string) => ctx.note(line);
  let session: Session;
  let close: () => Promise<void>;
  if (need === "look") {
    const look = await Look.open({ tracker, code, log });
    session = new Session(look, verbose);
    close = () => look.close();
  } else {
    const dir = options.dir as string;
    const name = (options.name as string | undefined)?.normalize("NFC");
    const problem = name === undefined ? undefined : peerNameProblem(name);
    if (problem) {
      throw new UsageError(t("join.badName", { name: printable(name!), problem }), cmd);
    }
    await shareFolder(dir).catch((err) => {
      throw err instanceof UsageError ? new UsageError(err.message, cmd) : err;
    });
    const node = await startOneShotNode({
      tracker,
      dir,
      manifest: options.manifest as string,
      name,
      // Not listed, a fetch's listener serves only this machine; a serving run is reached.
      listenHost: need === "serve" ? "0.0.0.0" : "127.0.0.1",
      listenPort: 0,
      verbose,
      log,
      code,
      register: need === "serve",
    });
    for (const p of node.firstReport.problems) {
      ctx.note(t("join.manifestWarning", { manifest: options.manifest as string, problem: p }));
    }
    session = new Session(node, verbose);
    close = () => node.close();
  }
  session.say = log;
  const screen = liveScreen(ctx);
  session.screen = screen;
  try {
    const status = (await cmd.run(input, { ...ctx, session })) ?? 0;
    screen?.close();
    if (options.seed === true) await untilSignal(ctx, session);
    return status;
  } finally {
    if (screen) {
      screen.close();
      printTo(undefined);
    }
    await close();
  }
}

/**
 * Live rows (a `get`'s bars) on standard error when it is a terminal, none otherwise. Lines
 * printed for the terminal then go above the bars: standard output's when it is that terminal
 * too (a piped standard output keeps its lines to itself), and the notes of a `--json` run, which
 * go to standard error.
 */
function liveScreen(ctx: Context): Screen | undefined {
  if (!Deno.stderr.isTerminal()) return undefined;
  const screen = new Screen(undefined, "", process.stderr);
  if (Deno.stdout.isTerminal() || ctx.json) {
    printTo((text) => screen.log(text), () => screen.columns);
  }
  return screen;
}

/** Serves until Ctrl-C or SIGTERM, having said so. */
async function untilSignal(ctx: Context, session: Session): Promise<void> {
  let stop = () => {};
  await new Promise<void>((resolve) => {
    stop = listenSignals({ SIGINT: resolve, SIGTERM: resolve });
    const self = session.node.tracker.self;
    const address = self ? formatAddress({ host: self.ip, port: self.port }) : "?";
    ctx.note(t("oneshot.seeding", { address, name: session.node.tracker.name }));
  });
  stop();
}
