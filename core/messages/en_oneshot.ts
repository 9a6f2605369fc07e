/**
 * Messages of the one-shot verbs of the command line and their JSON output; in English, the
 * source `pt_oneshot.ts` translates key for key. Spread into `en.ts`. See `core/i18n.ts` for the
 * rules and the glossary. The options every one-shot verb shares have one text each, given to
 * each verb's `help.<verb>.opt.<name>` key (help.ts reads a verb's keys).
 */
const tracker =
  "the tracker: HOST or HOST:PORT (port 9450 unless given); without it, it is found on the LAN";
const network = "without --tracker: use the tracker of this network found on the LAN";
const noDiscovery = "never look for the tracker on the LAN: --tracker is required";
const discoveryVia = "look for the tracker only through the network interface of this IPv4 address";
const discoveryPort = "UDP port of discovery (default 9451; as the tracker's)";
const code = "the network's join code (asked at a terminal when needed)";
const json = "print the result as one JSON document (see docs/JSON.md)";
const verbose = "error details";
const dir = "shared folder the run acts for (must exist, unless the default)";
const manifest = "list of shared files, one 'NAME PATH' a line";
const name = "your name on the network while the run is listed (default: host name)";

export const enOneshot = {
  "oneshot.badVia": "--discovery-via takes an IPv4 address of this machine, not '{value}'",
  "oneshot.noTracker": "No tracker given, and --no-discovery: name it with --tracker HOST[:PORT]",
  "oneshot.seeding":
    'Seeding as "{name}" at {address}: what this peer shares is served until Ctrl-C or SIGTERM',
  "oneshot.helpCli":
    "On the command line, '{verb}' connects to the tracker (--tracker, else the one found on the\n" +
    "LAN), does its work as at the prompt, prints the same lines and leaves: exit status 0 on\n" +
    "success, 1 on a failure, 2 on a usage mistake. With --json the result is one JSON document.",
  "oneshot.helpShellOnly": "'{verb}' is a verb of the prompt of 'rede-p2p join'.",
  "oneshot.helpCliOnly": "'{verb}' is a verb of the command line: 'rede-p2p {verb}'.",
  "help.peers.opt.tracker": tracker,
  "help.peers.opt.network": network,
  "help.peers.opt.no-discovery": noDiscovery,
  "help.peers.opt.discovery-port": discoveryPort,
  "help.peers.opt.discovery-via": discoveryVia,
  "help.peers.opt.code": code,
  "help.peers.opt.json": json,
  "help.peers.opt.verbose": verbose,
  "help.ls.opt.tracker": tracker,
  "help.ls.opt.network": network,
  "help.ls.opt.no-discovery": noDiscovery,
  "help.ls.opt.discovery-port": discoveryPort,
  "help.ls.opt.discovery-via": discoveryVia,
  "help.ls.opt.code": code,
  "help.ls.opt.json": json,
  "help.ls.opt.verbose": verbose,
  "help.find.opt.tracker": tracker,
  "help.find.opt.network": network,
  "help.find.opt.no-discovery": noDiscovery,
  "help.find.opt.discovery-port": discoveryPort,
  "help.find.opt.discovery-via": discoveryVia,
  "help.find.opt.code": code,
  "help.find.opt.json": json,
  "help.find.opt.verbose": verbose,
  "help.get.opt.tracker": tracker,
  "help.get.opt.network": network,
  "help.get.opt.no-discovery": noDiscovery,
  "help.get.opt.discovery-port": discoveryPort,
  "help.get.opt.discovery-via": discoveryVia,
  "help.get.opt.code": code,
  "help.get.opt.json": json,
  "help.get.opt.verbose": verbose,
  "help.get.opt.dir": "shared folder the files land in (must exist, unless the default)",
  "help.get.opt.manifest": manifest,
  "help.get.opt.name": name,
  "help.get.opt.seed":
    "stay registered after the downloads and serve what this folder shares, until Ctrl-C",
  "help.push.opt.tracker": tracker,
  "help.push.opt.network": network,
  "help.push.opt.no-discovery": noDiscovery,
  "help.push.opt.discovery-port": discoveryPort,
  "help.push.opt.discovery-via": discoveryVia,
  "help.push.opt.code": code,
  "help.push.opt.json": json,
  "help.push.opt.verbose": verbose,
  "help.push.opt.dir": dir,
  "help.push.opt.manifest": manifest,
  "help.push.opt.name": name,
  "help.hand-in.opt.tracker": tracker,
  "help.hand-in.opt.network": network,
  "help.hand-in.opt.no-discovery": noDiscovery,
  "help.hand-in.opt.discovery-port": discoveryPort,
  "help.hand-in.opt.discovery-via": discoveryVia,
  "help.hand-in.opt.code": code,
  "help.hand-in.opt.json": json,
  "help.hand-in.opt.verbose": verbose,
  "help.hand-in.opt.dir": dir,
  "help.hand-in.opt.manifest": manifest,
  "help.hand-in.opt.name": name,
  "help.id.opt.json": json,
  "help.verify-receipt.opt.json": json,
  "help.receipts.opt.json": json,
} as const;
