/**
 * The help texts of the verbs, in English: the source the Portuguese (`pt_help.ts`) follows.
 * Keys by convention, read by `commands/help.ts`: `help.<verb>.summary` (one line, for
 * listings), `help.<verb>.description` (optional; else the summary), `help.<verb>.arg.<name>`,
 * `help.<verb>.opt.<name>`. Placeholders: only those of `HELP_PARAMS` in `commands/help.ts`.
 * See `core/i18n.ts` for the rules.
 */
export const enHelp = {
  // serve
  "help.serve.summary": "Run the tracker that keeps the list of connected peers",
  "help.serve.description":
    "Runs the tracker on PORT (default 9450). It prints the address peers should use and logs\n" +
    "every join and leave. Peers are keyed by address and listening port, so several peers on\n" +
    "one machine work. Stop it with Ctrl-C.\n" +
    "The network is private: the tracker prints a join code (new at every start unless --code)\n" +
    "that peers must give to join. With --open anyone on the LAN may join. Either way every\n" +
    "connection is encrypted and both ends are identified (see 'rede-p2p id').",
  "help.serve.arg.port": "port to listen on (0: any free port)",
  "help.serve.opt.host": "address to bind ('::' for IPv6 too)",
  "help.serve.opt.code": "a fixed join code (at least {minCode} letters or digits)",
  "help.serve.opt.open": "an open network: no join code (still encrypted)",
  "help.serve.opt.new-code":
    "draw a new join code (else a restart on the same port keeps the last one)",
  // join
  "help.join.summary": "Join a tracker as a peer, share your folder, and open the shell",
  "help.join.description":
    "Opens a listener for other peers (a free port unless --listen-port), registers\n" +
    "it with the tracker at HOST (port 9450 unless HOST:PORT; IPv6 as [::1]:9450), shares the\n" +
    "files listed in the manifest, and opens a shell. With a pipe as input, runs one command a\n" +
    "line and exits at the end, with status 1 if any failed. A file another peer pushes is\n" +
    "asked about at the prompt (the next line answers), taken without asking with\n" +
    "--accept-push, and declined with --no-shell alone. A line tells when someone starts\n" +
    "fetching a file from you (not with --quiet); 'uploads' lists them.",
  "help.join.arg.tracker": "HOST or HOST:PORT of the tracker; left out, it is found on the LAN",
  "help.join.opt.dir": "shared folder; downloads land here (must exist, unless the default)",
  "help.join.opt.manifest": "list of shared files, one 'NAME PATH' a line",
  "help.join.opt.name":
    "your name on the network: letters, digits, - and _ (default: host name); the tracker numbers one that is taken (bruno-2)",
  "help.join.opt.listen-port": "port to serve peers on",
  "help.join.opt.listen-host": "address to serve peers on",
  "help.join.opt.max-upload-rate":
    "most sent to others a second: 2MB, 500KiB, 10Mbit (bit, bps: bits)",
  "help.join.opt.code": "the network's join code (asked at a terminal when needed)",
  "help.join.opt.no-shell": "share only, no prompt, until Ctrl-C",
  "help.join.opt.accept-push": "accept every file another peer pushes, without asking",
  "help.join.opt.verbose": "log refused requests, error details and changes to the share",
  // id
  "help.id.summary": "Show this machine's rede-p2p IDs, or forget a tracker's",
  "help.id.description":
    "Shows the ID of the peer that shares DIR and the ID of a tracker run by this user, making\n" +
    "each on first use: a key pair and a certificate, kept in a per-user folder (REDE_P2P_HOME\n" +
    "sets another). An ID is the SHA-256 of the certificate, in base32 groups; its first three\n" +
    "groups are how peers are shown. Each shared folder has its own peer ID.\n" +
    "A peer remembers the ID of every tracker it joined and refuses one that changed; after a\n" +
    "change you trust (the tracker's machine was reinstalled), --forget HOST[:PORT] lets the\n" +
    "next join remember the new one.",
  "help.id.opt.dir": "shared folder of the peer",
  "help.id.opt.forget": "forget the remembered ID of the tracker there",
  // verify-receipt
  "help.verify-receipt.summary":
    "Check a hand-in receipt: the collector's signature, and who the collector is",
  "help.verify-receipt.description":
    "Checks a receipt file, offline: its fields, that the certificate it carries is the\n" +
    "collector's (its SHA-256 is the collector's ID) and that its key signed these fields.\n" +
    "With --collector, also that the collector is the peer you expect: give its ID as\n" +
    "'rede-p2p id' shows it (or its first groups, as 'peers' shows them; fewer groups are a\n" +
    "weaker check). Prints the receipt and 'valid', exit status 0; a changed, damaged or\n" +
    "foreign receipt gets one line and exit status 1.",
  "help.verify-receipt.arg.file": "a receipt (see 'receipts' at the prompt)",
  "help.verify-receipt.opt.collector":
    "the collector's ID you expect (full, or its first three groups or more)",
  // peers
  "help.peers.summary": "List the peers connected to the tracker",
  "help.peers.description":
    "Shows every peer the tracker knows: row number, IP, listening port, name and number of\n" +
    "shared files, and its ID (the first groups; see 'rede-p2p id'). Your own row is marked\n" +
    "with '*'. Names are unique on the network (the tracker numbers a name that is taken:\n" +
    "bruno, bruno-2); a name or a row number names a peer in 'ls', 'get', 'push' and 'hand-in'.",
  // ls
  "help.ls.summary": "List the files a peer shares",
  "help.ls.description":
    "Names the peer by its name (any case), as 'IP PORT', 'IP:PORT', the '#' of a row\n" +
    "from 'peers', or an IP alone when only one peer uses it. Shows each file's name, size and\n" +
    "short root hash.",
  "help.ls.arg.peer": "name, IP, IP:PORT or # from 'peers'",
  "help.ls.arg.port": "the peer's port, when given apart",
  // find
  "help.find.summary": "Search file names across all peers",
  "help.find.description":
    "Lists every file whose name contains TEXT (any case, with or without\n" +
    "accents), one row per content:\n" +
    "name, size, short root hash, and how many peers hold it. 'get #N' downloads row N from\n" +
    "all of them.",
  "help.find.arg.text": "part of a file name",
  // get
  "help.get.summary": "Download files, from one peer or from every peer that has them",
  "help.get.description":
    "get <file>...                from every peer that shares that content\n" +
    "get #N...                    rows of the last 'find' (get #1 #2 fetches both)\n" +
    "get --from <peer> <file>...  from that peer, and every other holder of the same content\n" +
    "get <IP>[:PORT] <file>...    the same, the peer written as an address\n" +
    "\n" +
    "How a word is read: '#N' is always row N of the last 'find'; a first word that is an IP\n" +
    "address (with or without :PORT) before names is the peer; every other word is a file or\n" +
    "folder name, so a file named '1' is fetched with 'get 1'. Start a name with './' to take it\n" +
    "literally: 'get ./#3' fetches a file named '#3'. A peer is named by its name, its # in\n" +
    "'peers', IP or IP:PORT.\n" +
    "\n" +
    "Each file is fetched in chunks (1 MiB, up to 4 MiB for files over 1 GiB) from every peer\n" +
    "holding the same content, those still downloading it included, each chunk\n" +
    "checked against its SHA-256 before it is written. It lands in the shared folder, is added\n" +
    "to the manifest and shared on. An existing file is never replaced: a free name such as\n" +
    "'a (1).txt' is used, and said. A name that is a shared folder fetches the whole folder.\n" +
    "Several files download at once. An interrupted download (Ctrl-C, a lost peer, a crash)\n" +
    "resumes on the next 'get' of the same file. A file that cannot fit on the disk is refused\n" +
    "before anything is written; a disk that fills up stops the download, kept to resume.\n" +
    "Quote names with spaces.",
  "help.get.arg.file": "a name shown by 'ls' or 'find', or a #N row of 'find'",
  "help.get.opt.from": "the peer to fetch from: its name, # in 'peers', IP or IP:PORT",
  // push
  "help.push.summary": "Offer a file or folder you share to every peer, or to the ones named",
  "help.push.description": "push <file>              to every other peer on the network\n" +
    "push <file> <peer>...    to the peers named: # in 'peers', name, IP:PORT or IP\n" +
    "\n" +
    "Each peer is asked at its prompt ('ana offers 'prova.pdf' (2.1 MiB). Accept? [y/N]'),\n" +
    "or accepts on its own when started with --accept-push; no answer within 60 s declines.\n" +
    "A peer that accepts downloads it like a 'get', each chunk verified, from you and every\n" +
    "other peer that has it. A table shows each peer's state (asked, declined, downloading %,\n" +
    "done, failed) and its rate, then a summary: who got it intact, who declined, who failed\n" +
    "and why. A folder offers its files (at most 1000). Ctrl-C withdraws the offer from the\n" +
    "peers that have not accepted yet; those already downloading go on.",
  "help.push.arg.file": "a file or folder this peer shares",
  "help.push.arg.peer": "# from 'peers', name, IP:PORT or IP (default: all)",
  // downloads
  "help.downloads.summary": "List this session's downloads: active, queued and finished",
  "help.downloads.description":
    "Shows every download of this session: name, status, progress, rate, and the\n" +
    "bytes each source sent.",
  // collect
  "help.collect.summary": "Open a drop box for hand-ins, show what arrived, or close one",
  "help.collect.description":
    "collect <box>           open a drop box named BOX here (or show it, if open)\n" +
    "collect                 show every box of this session and what arrived\n" +
    "collect --close <box>   close a box: hand-ins to it are refused from then on\n" +
    "\n" +
    "Other peers hand files in with 'hand-in <peer> <box> <file>...'. Each file is fetched\n" +
    "from the sender, every chunk checked against its hash, into\n" +
    "<shared folder>/<box>/<sender name>/ (a second file of the same name is kept beside the\n" +
    "first, never over it), and the sender gets a receipt signed with this peer's identity.\n" +
    "Hand-ins are not added to the manifest nor announced: they are not shared. So a box\n" +
    "needs a manifest that does not share its folder (without a manifest, every file of the\n" +
    "folder is shared). The table shows sender, file, size, root and time of each arrival,\n" +
    "and which peers present have not handed anything in yet. Boxes last for this session.",
  "help.collect.arg.box": "the box's name (a plain file name)",
  "help.collect.opt.close": "close the box BOX",
  // hand-in
  "help.hand-in.summary": "Hand files in to another peer's drop box, for a signed receipt each",
  "help.hand-in.description":
    "Delivers files this peer shares to the box BOX that the peer opened with 'collect BOX'.\n" +
    "The collector fetches each file from you, checks every chunk, stores it under its box\n" +
    "and your name, and returns a receipt signed with its identity: box, your ID and name,\n" +
    "the file's name, size and root, and the time. One line per file says so as its receipt\n" +
    "arrives (or why it was not received). Receipts are kept in the receipts folder beside\n" +
    "your identities; 'receipts' lists them and 'rede-p2p verify-receipt FILE' checks one.\n" +
    "Only files you share can be handed in (a shared folder's name hands in its files), at\n" +
    "most {maxHandIn} at once. Quote names with spaces.",
  "help.hand-in.arg.peer": "the collector: name, IP, IP:PORT or # from 'peers'",
  "help.hand-in.arg.box": "the name of its open box",
  "help.hand-in.arg.file": "a name this peer shares",
  // receipts
  "help.receipts.summary": "List the receipts of your hand-ins",
  "help.receipts.description":
    "Shows every receipt kept in the receipts folder beside your identities (REDE_P2P_HOME\n" +
    "sets another folder): when, which collector (its ID's first groups), box, file, size,\n" +
    "root, whether its signature holds, and its file, which 'rede-p2p verify-receipt FILE'\n" +
    "checks anywhere, offline.",
  // help
  "help.help.summary": "Show the verbs, or one verb's usage and options",
  "help.help.arg.verb": "the verb to explain",
  // quit
  "help.quit.summary": "Leave the tracker and exit (Ctrl-D does the same)",
  "help.join.opt.quiet":
    "no line when someone starts fetching a file from you ('uploads' lists them)",
  "help.uploads.summary": "List who is downloading what from you now",
  "help.uploads.description":
    "Shows each upload going on now, one row per peer and file (however many\n" +
    "connections and chunks it takes): the peer, its address, the file, the bytes sent, the\n" +
    "rate over the last few seconds, and since when. An upload ends a few seconds after its\n" +
    "last chunk request. 'join --quiet' stops the line told when someone starts fetching.",
  "help.quit.description":
    "Leaves the tracker and exits. At a terminal, while others are downloading from\n" +
    "you, asks first ('y' or 'yes' leaves; anything else stays); --force leaves without\n" +
    "asking. With piped input it never asks, nor do Ctrl-D and SIGTERM.",
  "help.quit.opt.force": "leave without asking, even while uploads run",
} as const;
