/**
 * Messages of the one-shot verbs of the command line and their JSON output; in English, the
 * source `pt_oneshot.ts` translates key for key. Spread into `en.ts`. See `core/i18n.ts` for the
 * rules and the glossary. The options every one-shot verb shares have one text each, given to
 * each verb's `help.<verb>.opt.<name>` key (help.ts reads a verb's keys).
 */
const tracker = "the tracker: HOST or HOST:PORT (port 9450 unless given)";
const code = "the network's join code (asked at a terminal when needed)";
const json = "print the result as one JSON document (see docs/JSON.md)";
const verbose = "error details";
const dir = "shared folder the run acts for (must exist, unless the default)";
const manifest = "list of shared files, one 'NAME PATH' a line";
const name = "your name on the network while the run is listed (default: host name)";

export const enOneshot = {
  "oneshot.noTracker": "No tracker given: name it with --tracker HOST[:PORT]",
  "oneshot.seeding":
    'Seeding as "{name}" at {address}: what this peer shares is served until Ctrl-C or SIGTERM',
  "oneshot.helpCli":
    "On the command line, '{verb}' connects to the tracker given with --tracker, does its work\n" +
    "as at the prompt, prints the same lines and leaves: exit status 0 on success, 1 on a\n" +
    "failure, 2 on a usage mistake. With --json the result is one JSON document instead.",
  "oneshot.helpShellOnly": "'{verb}' is a verb of the prompt of 'rede-p2p join'.",
  "oneshot.helpCliOnly": "'{verb}' is a verb of the command line: 'rede-p2p {verb}'.",
  "help.peers.opt.tracker": tracker,
  "help.peers.opt.code": code,
  "help.peers.opt.json": json,
  "help.peers.opt.verbose": verbose,
  "help.ls.opt.tracker": tracker,
  "help.ls.opt.code": code,
  "help.ls.opt.json": json,
  "help.ls.opt.verbose": verbose,
  "help.find.opt.tracker": tracker,
  "help.find.opt.code": code,
  "help.find.opt.json": json,
  "help.find.opt.verbose": verbose,
  "help.get.opt.tracker": tracker,
  "help.get.opt.code": code,
  "help.get.opt.json": json,
  "help.get.opt.verbose": verbose,
  "help.get.opt.dir": "shared folder the files land in (must exist, unless the default)",
  "help.get.opt.manifest": manifest,
  "help.get.opt.name": name,
  "help.get.opt.seed":
    "stay registered after the downloads and serve what this folder shares, until Ctrl-C",
  "help.push.opt.tracker": tracker,
  "help.push.opt.code": code,
  "help.push.opt.json": json,
  "help.push.opt.verbose": verbose,
  "help.push.opt.dir": dir,
  "help.push.opt.manifest": manifest,
  "help.push.opt.name": name,
  "help.hand-in.opt.tracker": tracker,
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
