/**
 * Messages of the one-shot verbs of the command line and their JSON output; in English, the
 * source `pt_oneshot.ts` translates key for key. Spread into `en.ts`. See `core/i18n.ts` for the
 * rules and the glossary. The options every one-shot verb shares have one text each, given to
 * `help.option.<name>`, which help.ts reads for a verb that has no text of its own.
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
  "help.get.opt.dir": "shared folder the files land in (must exist, unless the default)",
  "help.get.opt.seed":
    "stay registered after the downloads and serve what this folder shares, until Ctrl-C",
  // Options several verbs share, one text each (commands/help.ts falls back on them).
  "help.option.code": code,
  "help.option.dir": dir,
  "help.option.discovery-port": discoveryPort,
  "help.option.discovery-via": discoveryVia,
  "help.option.json": json,
  "help.option.manifest": manifest,
  "help.option.name": name,
  "help.option.network": network,
  "help.option.no-discovery": noDiscovery,
  "help.option.tracker": tracker,
  "help.option.verbose": verbose,
} as const;
