import { join as joinPath } from "node:path";
import process from "node:process";
import * as readline from "node:readline/promises";
import { errorLine, RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { DISCOVERY_LISTEN_MS } from "../core/limits_discovery.ts";
import { peerNameProblem } from "../core/peer_name.ts";
import { parseRate } from "../core/rate.ts";
import { printable } from "../core/terminal.ts";
import { Node } from "../app/node.ts";
import { locateTracker } from "../app/discover.ts";
import { formatAddress, parsePort } from "../net/address.ts";
import { formatId } from "../storage/identity.ts";
import { type Command, UsageError } from "./_command.ts";
import { listenSignals, runShell } from "./_shell.ts";
import { receivePushes } from "./_push_view.ts";
import { Session } from "./_session.ts";
import { tellUploads } from "./uploads.ts";
import {
  chooseTracker,
  DISCOVERY_OPTIONS,
  discoveryInput,
  oneOfAddressOrNetwork,
} from "./_discovery.ts";

export const join: Command = {
  name: "join",
  scopes: ["cli"],
  args: [{ name: "tracker", optional: true }],
  options: {
    dir: {
      type: "string",
      value: "DIR",
      default: "./arquivos_compartilhaveis",
    },
    manifest: {
      type: "string",
      value: "FILE",
      default: "./meus_arquivos.txt",
    },
    name: {
      type: "string",
      value: "NAME",
    },
    "listen-port": { type: "string", value: "PORT" },
    "listen-host": {
      type: "string",
      value: "HOST",
      default: "0.0.0.0",
    },
    "max-upload-rate": {
      type: "string",
      value: "RATE",
    },
    code: {
      type: "string",
      value: "CODE",
    },
    "no-shell": { type: "boolean" },
    "accept-push": {
      type: "boolean",
    },
    quiet: {
      type: "boolean",
    },
    verbose: {
      type: "boolean",
      short: "v",
    },
    ...DISCOVERY_OPTIONS,
  },
  examples: [
    "join",
    "join --network sala-12",
    "join 192.168.0.10",
    "join 192.168.0.10:9450 --name ana",
    "join [::1]:9450 --dir ./shared --manifest ./shared.txt",
    "join 192.168.0.10 --code 4821-0937",
    "join 192.168.0.10 --no-shell --accept-push",
    "join 192.168.0.10 --quiet --max-upload-rate 2MB",
  ],
  async run({ args, options }, ctx) {
    const discovery = discoveryInput(options, join);
    if (args[0] === undefined && !discovery.on) throw new UsageError(t("discover.off"), join);
    oneOfAddressOrNetwork(args[0], discovery.network, join);
    let listenPort = 0;
    if (options["listen-port"] !== undefined) {
      const p = parsePort(options["listen-port"] as string);
      if (p === undefined) {
        throw new UsageError(t("join.badPort", { port: options["listen-port"] as string }), join);
      }
      listenPort = p;
    }
    let maxUploadRate: number | undefined;
    if (options["max-upload-rate"] !== undefined) {
      const rate = parseRate(options["max-upload-rate"] as string);
      if ("problem" in rate) {
        throw new UsageError(t("join.badRate", { problem: rate.problem }), join);
      }
      maxUploadRate = rate.bytesPerSecond;
    }
    const name = (options.name as string | undefined)?.normalize("NFC");
    const nameProblem = name === undefined ? undefined : peerNameProblem(name);
    if (nameProblem) {
      throw new UsageError(
        t("join.badName", { name: printable(name!), problem: nameProblem }),
        join,
      );
    }
    await shareFolder(options.dir as string);
    const listenHost = options["listen-host"] as string;
    if (args[0] === undefined) {
      ctx.out(t("discover.looking", { seconds: DISCOVERY_LISTEN_MS / 1000 }));
    }
    const found = await locateTracker({
      tracker: args[0],
      network: discovery.network,
      discovery: discovery.on,
      interactive: Deno.stdin.isTerminal(),
      choose: (list) => chooseTracker(list, join, (line) => ctx.out(line)),
      port: discovery.port,
      // A peer bound to one IPv4 address reaches only trackers through it: it asks only there.
      via: /^\d+\.\d+\.\d+\.\d+$/.test(listenHost) && listenHost !== "0.0.0.0"
        ? [listenHost]
        : undefined,
      signal: ctx.signal,
    });
    const { host, port } = found;
    if (args[0] === undefined) {
      ctx.out(t("discover.found", {
        network: found.name!,
        address: formatAddress(found),
        id: formatId(found.id!, true),
      }));
    }
    let log = (line: string, _wait?: boolean) => ctx.out(line);
    const node = await Node.start({
      tracker: { host, port },
      dir: options.dir as string,
      manifest: options.manifest as string,
      name,
      listenHost,
      listenPort,
      verbose: options.verbose === true,
      maxUploadRate,
      log: (line) => log(line),
      code: () => askCode(options.code as string | undefined, formatAddress({ host, port })),
    });
    const report = node.firstReport;
    const manifestName = options.manifest as string;
    for (const p of report.problems) {
      ctx.note(t("join.manifestWarning", { manifest: manifestName, problem: p }));
    }
    ctx.out(
      report.mode === "manifest"
        ? t("join.sharingListed", { count: node.index.count, manifest: manifestName })
        : t("join.sharingAll", {
          count: node.index.count,
          manifest: manifestName,
          dir: joinPath(options.dir as string),
        }),
    );
    ctx.out(t("join.serving", { address: formatAddress(node.server.address), name: node.name }));
    try {
      await node.tracker.start();
    } catch (err) {
      await node.close();
      throw err;
    }
    const session = new Session(node, options.verbose === true);
    session.say = (line) => log(line);
    if (options.quiet !== true) tellUploads(session, (line) => log(line, true));
    const pushes = receivePushes(session, {
      acceptAll: options["accept-push"] === true,
      shell: options["no-shell"] !== true,
    }, (line) => log(line));
    let status = 0;
    try {
      if (options["no-shell"]) {
        let stop = () => {};
        await new Promise<void>((resolve) => {
          stop = listenSignals({ SIGINT: resolve, SIGTERM: resolve });
          ctx.out(t("join.untilSignal"));
        });
        stop();
      } else {
        const interactive = Deno.stdin.isTerminal();
        session.interactive = interactive;
        if (interactive) ctx.out(t("join.typeHelp"));
        status = await runShell({
          session,
          commands: ctx.registry.filter((c) => c.scopes.includes("shell")),
          registry: ctx.registry,
          interactive,
          setLog: (fn) => (log = fn),
        });
      }
    } finally {
      log = (line) => ctx.out(line);
      pushes.close();
      try {
        await node.close();
        ctx.out(t("join.bye"));
      } catch (err) {
        ctx.note(t("join.leaveWarning", { message: errorLine(err) }));
      }
    }
    return status;
  },
};

/**
 * The join code: the one given, else asked at a terminal (on `output`: a one-shot run keeps its
 * standard output for its result); with piped input, one clear line.
 */
export async function askCode(
  given: string | undefined,
  where: string,
  output: NodeJS.WritableStream = process.stdout,
): Promise<string> {
  if (given !== undefined) return given;
  if (!Deno.stdin.isTerminal()) {
    throw new RedeError("BAD_INPUT", t("join.codeNeeded", { address: where }));
  }
  const rl = readline.createInterface({ input: process.stdin, output });
  try {
    return (await rl.question(t("join.codeQuestion", { address: where }))).trim();
  } finally {
    rl.close();
  }
}

/**
 * The shared folder: the default one is made when missing; one named with `--dir` must exist, so
 * that a typing mistake does not start an empty share in a new folder.
 *
 * @throws {UsageError} when a named folder does not exist or is not a folder.
 */
export async function shareFolder(dir: string): Promise<void> {
  const info = await Deno.stat(dir).catch((err) => {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  });
  if (info?.isDirectory) return;
  const standard = join.options!.dir.default as string;
  if (info === undefined && dir === standard) {
    await Deno.mkdir(dir, { recursive: true });
    return;
  }
  throw new UsageError(
    info === undefined ? t("join.noFolder", { dir, standard }) : t("join.notFolder", { dir }),
    join,
  );
}
