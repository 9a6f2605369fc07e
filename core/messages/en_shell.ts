/**
 * Messages of the shell's browsing and download verbs: peers, ls, find, get (and its progress rows
 * and result lines), downloads, uploads, quit; app/fetch.ts, app/swarm.ts, app/node.ts,
 * app/suggest.ts, app/uploads.ts; in English, the source `pt_shell.ts` translates key for key.
 * Spread into `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enShell = {
  // Table headers (find, ls, peers, downloads, uploads).
  "table.name": "Name",
  "table.size": "Size",
  "table.root": "Root",
  "table.peers": "Peers",
  "table.port": "Port",
  "table.files": "Files",
  "table.status": "Status",
  "table.progress": "Progress",
  "table.rate": "Rate",
  "table.sources": "Sources",
  "table.peer": "Peer",
  "table.address": "Address",
  "table.file": "File",
  "table.sent": "Sent",
  "table.since": "Since",

  // commands/peers.ts
  "peers.summary": {
    one: "{count} peer connected; * marks you",
    other: "{count} peers connected; * marks you",
  },
  "peers.summaryFirst": {
    one: "{count} peer connected, the first {shown} by address shown; * marks you",
    other: "{count} peers connected, the first {shown} by address shown; * marks you",
  },

  // commands/ls.ts
  "peers.summaryUnmarked": {
    one: "{count} peer connected",
    other: "{count} peers connected",
  },
  "peers.summaryFirstUnmarked": {
    one: "{count} peer connected, the first {shown} by address shown",
    other: "{count} peers connected, the first {shown} by address shown",
  },

  "ls.badPort": "Invalid port '{port}'",
  "ls.summary": {
    one: "{count} file, {size} at {peer}",
    other: "{count} files, {size} at {peer}",
  },

  // commands/find.ts
  "find.summary": {
    one: "{count} file matches '{text}'; 'get #N' downloads one",
    other: "{count} files match '{text}'; 'get #N' downloads one",
  },

  // commands/get.ts
  "get.fromEmpty": "--from needs a peer",
  "get.noFindYet":
    "'{word}' names a row of 'find', and no 'find' ran yet (a file named '{word}' is written './{word}')",
  "get.noRow": "No row {word}: the last 'find' listed {found}",
  "get.isSelf": "That peer is this one; pick another in 'peers'",
  "get.notFoundAt": "No file or folder named '{name}' at {peer}",
  "get.notFoundOnNetwork": "No file or folder named '{name}' on the network",
  "get.notFoundTryFrom":
    "No file or folder named '{name}' on the network (to fetch from a peer, write 'get --from {name} FILE')",
  "get.several":
    "Several different files are named '{name}'; use 'find {name}' and get one by its #",

  // commands/_fetch_view.ts: what a download prints
  "fetch.skipped": "'{name}' is already here as '{here}' (same content); nothing to do",
  "fetch.downloading": {
    one: "Downloading '{name}' ({size}) from {count} source",
    other: "Downloading '{name}' ({size}) from {count} sources",
  },
  "fetch.adopted": "'{name}' was already here, complete (root {root} verified); now shared",
  "fetch.renamed": "A file named '{name}' is already here; saved as '{saved}'",
  "fetch.saved": "Saved '{name}' ({size}) from {from} in {time} ({rate}); root {root} verified",
  "fetch.savedResumed":
    "Saved '{name}' ({size}) from {from} in {time} ({rate}); root {root} verified; {resumed} resumed",
  "fetch.sourceCount": { one: "{count} source", other: "{count} sources" },
  "fetch.sources": "  sources: {list}",
  "fetch.checkingPartial": {
    one: "Checking the {count} chunk of the partial download of '{name}'",
    other: "Checking the {count} chunks of the partial download of '{name}'",
  },
  "fetch.checkingHere": {
    one: "Checking '{name}', already here under that name ({count} chunk)",
    other: "Checking '{name}', already here under that name ({count} chunks)",
  },
  "fetch.resuming": {
    one: "Resuming '{name}': {have} of {count} chunk already here",
    other: "Resuming '{name}': {have} of {count} chunks already here",
  },
  "fetch.discarding": "Discarding an old partial download of other content",
  "fetch.dropped": "Dropped source {source}: {error}",
  "fetch.busy": "Source busy ({error}); asking it again in {seconds} s",
  "fetch.queued": "  queued at {source}: place {position}",
  "fetch.chunk": "  chunk {index} in ({done} of {total}) from {source}",

  // app/fetch.ts: the download engine
  "fetch.nobodyElse": "Nobody else shares '{name}'",
  "fetch.cancelledBeforeStart": "Download of '{name}' cancelled before it started",
  "fetch.noDescriptor": {
    one: "None of the {count} holder of '{name}' asked gave its descriptor: {error}",
    other: "None of the {count} holders of '{name}' asked gave its descriptor: {error}",
  },
  "fetch.note.alreadyHere": "already here as '{here}'",
  "fetch.note.adopted": "already here, complete: adopted",
  "fetch.note.savedAs": "saved as '{name}'",

  // commands/_progress.ts: a progress row's numbers, full and compact
  "progress.row": "{pct} | {of} | {rate} | ETA {left} | {count} src",
  "progress.rowCompact": "{pct} {of} {rate} ETA {left} {count} src",
  "progress.checking": "{pct} | checking {of}",
  "progress.checkingCompact": "{pct} checking",

  // commands/downloads.ts
  "downloads.status.queued": "queued",
  "downloads.status.active": "active",
  "downloads.status.done": "done",
  "downloads.status.failed": "failed",
  "downloads.status.cancelled": "cancelled",
  "downloads.status.skipped": "skipped",
  "downloads.summary": {
    one: "{count} download: {active} active, {queued} queued",
    other: "{count} downloads: {active} active, {queued} queued",
  },

  // commands/uploads.ts
  "uploads.none": "No uploads now: nobody is downloading from you.",
  "uploads.sentOf": "{sent} of {size}",
  "uploads.summary": {
    one: "{count} upload to {peers}",
    other: "{count} uploads to {peers}",
  },
  "uploads.peerCount": { one: "{count} peer", other: "{count} peers" },
  "uploads.started": "{peer} started fetching '{file}' from you",
  "uploads.startedSize": "{peer} started fetching '{file}' ({size}) from you",

  // commands/quit.ts
  "quit.notLeaving": "Not leaving: the uploads go on.",
  "quit.question": {
    one: "{count} upload running (to {to}); quit anyway? [y/N]",
    other: "{count} uploads running (to {to}); quit anyway? [y/N]",
  },
  "quit.morePeers": "{named} and {more} more",

  // app/node.ts
  "node.filesChanged": {
    one: "Shared files changed: {count} file shared now",
    other: "Shared files changed: {count} files shared now",
  },

  // app/swarm.ts: serving chunks of downloads under way
  "swarm.noChunk": "No chunk {index} in {name}",
  "swarm.notYet": "Chunk {index} of {name} is not here yet",
  "swarm.notOpen": "{name} is not open yet",
  "swarm.notHere": "Chunk {index} of {name} is not here",
  "swarm.changed": "chunk {index} of partial {name} no longer matches; not served",
} as const;
