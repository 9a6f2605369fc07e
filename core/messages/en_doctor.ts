/**
 * Messages of `rede-p2p doctor`: its checks, verdicts and fixes; in English, the source `pt_doctor.ts` translates key for key. Spread into
 * `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enDoctor = {
  "doctor.share.noFolder": "The shared folder {dir} does not exist or is not a folder",
  "doctor.share.noFolderFix":
    "Run rede-p2p in the folder that holds arquivos_compartilhaveis/, or give it with --dir",
  "doctor.share.manifest": {
    one: "{count} file listed in {manifest}",
    other: "{count} files listed in {manifest}",
  },
  "doctor.share.folder": {
    one: "No manifest: {count} file of {dir} would be shared",
    other: "No manifest: the {count} files of {dir} would be shared",
  },
  "doctor.share.problems": {
    one: "{line}; {count} line skipped",
    other: "{line}; {count} lines skipped",
  },
  "doctor.share.problemsFix": "Fix or remove the skipped lines of the manifest; the first: {first}",
  "doctor.share.emptyFix": "Put files in the shared folder, or list them in meus_arquivos.txt",
  "doctor.share.unreadable": "The share cannot be read: {error}",
  "doctor.share.unreadableFix": "Check that this user may read the shared folder and the manifest",
  "doctor.disk.unknown": "The free disk space cannot be known here",
  "doctor.disk.free": "{size} free for downloads",
  "doctor.disk.lowFix": "Free some space: downloads stop when the disk is full",
  "doctor.identity.unreadable": "The identity at {path} cannot be read: {error}",
  "doctor.identity.unreadableFix":
    "Move {dir} away; the next join makes a new identity (others will see a new ID)",
  "doctor.identity.peer": "Peer ID {id} (identities in {home})",
  "doctor.identity.none":
    "No peer identity yet for this folder: the first join makes one (in {home})",
  "doctor.identity.pinned": "{peer}; the tracker {tracker} is pinned as {id}",
  "doctor.identity.notPinned":
    "{peer}; no ID pinned for the tracker {tracker} yet (the first join pins it)",
  "doctor.firewall.line": "If other peers cannot reach this one, allow rede-p2p in the firewall",
  "doctor.firewall.windows":
    'In a terminal run as administrator: netsh advfirewall firewall add rule name="rede-p2p" dir=in action=allow program="{program}" enable=yes profile=private,domain',
  "doctor.firewall.macos":
    'sudo /usr/libexec/ApplicationFirewall/socketfilterfw --add "{program}" && sudo /usr/libexec/ApplicationFirewall/socketfilterfw --unblockapp "{program}" (or System Settings, Network, Firewall, Options)',
  "doctor.firewall.linuxPort":
    "ufw: sudo ufw allow {port}/tcp; firewalld: sudo firewall-cmd --permanent --add-port={port}/tcp && sudo firewall-cmd --reload",
  "doctor.firewall.linuxAnyPort":
    "join listens on a new port each run: start it with --listen-port 9452 and allow that port (ufw: sudo ufw allow 9452/tcp; firewalld: sudo firewall-cmd --permanent --add-port=9452/tcp && sudo firewall-cmd --reload)",
  "doctor.verdict.ok": "ok  ",
  "doctor.verdict.warn": "warn",
  "doctor.verdict.fail": "FAIL",
  "doctor.verdict.skip": "info",
  "doctor.row": "[{verdict}] {line}",
  "doctor.fix": "       fix: {fix}",
  "doctor.start": "Checking this machine, the LAN and the tracker (a few seconds)...",
  "doctor.summaryOk":
    "No check failed. If something still does not work, send this report to whoever helps you.",
  "doctor.summaryFailed": {
    one: "{count} check failed: see its fix above.",
    other: "{count} checks failed: see their fixes above.",
  },
  "doctor.needsTracker": "Not checked: it needs the tracker",
  "doctor.discovery.off": "Discovery not tried (--no-discovery)",
  "doctor.discovery.none": "No tracker answered on the LAN (multicast discovery)",
  "doctor.discovery.noneFix":
    "If a tracker runs, multicast does not pass here (client isolation, VLANs, a firewall): give its address with --tracker, as the tracker prints it at start",
  "doctor.discovery.found": {
    one: "Discovery works: {count} tracker answered: {list}",
    other: "Discovery works: {count} trackers answered: {list}",
  },
  "doctor.tracker.ok":
    "The tracker {address} is reachable and admitted this machine (tracker ID {id})",
  "doctor.tracker.codeFix":
    "The network is private: give its join code with --code to check the rest",
  "doctor.tracker.wrongCodeFix": "Ask for the join code again: the tracker prints it at start",
  "doctor.tracker.identityFix":
    "If the tracker was reinstalled on purpose, forget its old ID: rede-p2p id --forget {address}",
  "doctor.tracker.unreachableFix":
    "Check the address and that 'rede-p2p serve' runs there; on the tracker's machine, allow its port (9450/tcp) in the firewall",
  "doctor.tracker.none": "No tracker to check: none given, and discovery found none",
  "doctor.tracker.several": {
    one: "No tracker to check: {count} found",
    other: "No tracker to check: {count} found; pick one",
  },
  "doctor.tracker.giveFix":
    "Give the tracker with --tracker HOST (or --network NAME when several answer)",
  "doctor.back.ok":
    "The tracker connected back to this machine at {address} ({ms} ms): other peers can reach it",
  "doctor.back.elsewhere":
    "The tracker reached {address}, but not this program: the address it sees belongs to another machine (NAT)",
  "doctor.back.fail": "The tracker could not connect back to {address}: {result}",
  "doctor.back.fix":
    "Allow rede-p2p through this machine's firewall (see the firewall line below); on a guest or isolated Wi-Fi, peers cannot reach each other at all",
  "doctor.back.natFix":
    "The tracker sees this machine as {ip}, not one of its own addresses: peers on the tracker's side of that router may not reach it",
  "doctor.back.cannotListen": "Cannot listen on port {port}: {error}",
  "doctor.back.cannotListenFix":
    "Another program holds that port (a running join?): pick another with --listen-port",
  "doctor.back.notAsked": "The connect-back was not checked: {error}",
  "doctor.clock.behind": "This clock is {time} behind the tracker's",
  "doctor.clock.ahead": "This clock is {time} ahead of the tracker's",
  "doctor.clock.fix":
    "Set the clock (turn on automatic time): receipts carry the time they were signed",
  "help.doctor.summary":
    "Check this machine, the LAN and the tracker, and say how to fix what is wrong",
  "help.doctor.description":
    "Runs every check a helper would ask about, one line each with a verdict (ok, warn, FAIL,\ninfo) and a fix: whether discovery finds a tracker on the LAN; whether the tracker is\nreachable and admits this machine; whether the tracker can connect back to the port a peer\nlistens on (so other peers can reach it); whether this clock agrees with the tracker's; the\nshared folder and manifest and what they would share; the free disk space; the identity and\nthe tracker ID pinned; and the firewall rule of this system. Exit status 1 when a check\nfailed. The tracker is --tracker, else the only one discovery finds.",
  "help.doctor.opt.tracker":
    "the tracker to check: HOST or HOST:PORT (else the one found on the LAN)",
  "help.doctor.opt.code": "the network's join code (asked at a terminal when needed)",
  "help.doctor.opt.network": "check the tracker of this network found on the LAN",
  "help.doctor.opt.no-discovery": "do not try discovery",
  "help.doctor.opt.discovery-port": "UDP port of discovery (default 9451; as the tracker's)",
  "help.doctor.opt.dir": "shared folder to check",
  "help.doctor.opt.manifest": "manifest to check",
  "help.doctor.opt.listen-port":
    "port to check the connect-back on, the one join listens on (default: any)",
  "help.doctor.opt.json": "print the checks as one JSON document (see docs/JSON.md)",
  "doctor.tracker.noneGiven": "No tracker to check: none given (--tracker HOST)",
  "help.doctor.opt.discovery-via":
    "look for trackers only through the network interface of this IPv4 address",
  "doctor.badVia": "--discovery-via takes an IPv4 address of this machine, not '{value}'",
  "doctor.clock.same": "This clock agrees with the tracker's (within a second)",
} as const;
