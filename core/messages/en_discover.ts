/**
 * Messages of finding the tracker on the LAN by UDP multicast (serve's announcements, the
 * listening of join and the one-shot verbs); in English, the source `pt_discover.ts` translates
 * key for key. Spread into `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enDiscover = {
  // commands/serve.ts and net/discovery.ts: the tracker answers
  "discover.announcing":
    "Discovery: network '{network}' answers on UDP {group}:{port} (--no-discovery turns it off)",
  "discover.serveOff": "Discovery is off: {reason}; peers join with the address",
  "discover.ipv6Only": "discovery works over IPv4, and this tracker listens on {host} only",
  "discover.noInterface": "no IPv4 interface could join the multicast group",
  "discover.badNetwork": "Invalid network name '{name}': {problem}",
  "discover.badPort": "Invalid discovery port '{port}'",

  // app/discover.ts and commands/join.ts: finding the tracker
  "discover.looking": "Looking for a tracker on the LAN ({seconds} s)...",
  "discover.found": "Found the tracker of network '{network}' at {address} (ID {id})",
  "discover.item": "{network} ({address})",
  "discover.off": "Discovery is off (--no-discovery): give the tracker's address",
  "discover.none":
    "No tracker answered on the LAN within {seconds} s: give its address (the tracker prints it when it starts: 'Peers join with: rede-p2p join ADDRESS')",
  "discover.noneNamed":
    "No tracker of network '{network}' answered within {seconds} s: give its address (the tracker prints it when it starts)",
  "discover.noneNamedOthers":
    "No tracker of network '{network}' answered within {seconds} s (found: {list}): check the name, or give the tracker's address",
  "discover.several": {
    one: "{count} tracker answered: {list}; choose one with --network NAME or give its address",
    other: "{count} trackers answered: {list}; choose one with --network NAME or give its address",
  },
  "discover.choiceOpen": "  {n}. {network} at {address}, open, ID {id}",
  "discover.choiceCode": "  {n}. {network} at {address}, join code, ID {id}",
  "discover.question": "Tracker to join (1-{max}): ",
  "discover.noChoice": "No tracker chosen",
  "discover.badChoice": "'{answer}' is not a number from 1 to {max}",

  // Help of the options this part adds
  "help.serve.opt.network":
    "the network's name, announced on the LAN for 'join' to find (default: the host name)",
  "help.serve.opt.no-discovery": "do not answer discovery: peers must give the address",
  "help.serve.opt.discovery-port": "UDP port of discovery (default 9451; peers must use the same)",
  "help.join.opt.network": "without an address: join the tracker of this network found on the LAN",
  "help.join.opt.no-discovery": "never look for the tracker on the LAN: the address is required",
  "help.join.opt.discovery-port": "UDP port of discovery (default 9451; as the tracker's)",
  "discover.addressAndNetwork": "Give the tracker's address or --network NAME, not both",
} as const;
