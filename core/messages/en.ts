/**
 * Every message of the program in English: the source catalogue, which `pt.ts` translates key
 * for key. Keys are `<area>.<what>`; texts have `{name}` placeholders; a plural is an object of
 * CLDR forms chosen by `count`. See `core/i18n.ts` for the rules. Verb help is in `en_help.ts`.
 * Write each text as one literal, however long (no `+`): a text built with `+` is a plain
 * `string` to TypeScript, and loses the check of its parameters.
 */
import { enHelp } from "./en_help.ts";
import { enNet } from "./en_net.ts";
import { enPush } from "./en_push.ts";
import { enShell } from "./en_shell.ts";
import { enStorage } from "./en_storage.ts";
import { enDiscover } from "./en_discover.ts";
import { enOneshot } from "./en_oneshot.ts";
import { enDoctor } from "./en_doctor.ts";
import { enSetup } from "./en_setup.ts";

export const en = {
  ...enHelp,
  ...enShell,
  ...enPush,
  ...enNet,
  ...enStorage,
  ...enDiscover,
  ...enOneshot,
  ...enDoctor,
  ...enSetup,

  // main.ts: the command line
  "cli.error": "error: {message}",
  "cli.errorWithUsage": "error: {message} (usage: {usage}; see 'help {verb}')",
  "cli.unknownVerb": "unknown verb '{verb}' (verbs: {verbs}; see 'rede-p2p help')",
  "cli.langMissing": "--lang needs a value: en or pt",
  "cli.langUnknown": "--lang takes en or pt, not '{value}'",

  // commands/_shell.ts: the prompt
  "shell.needSession": "This verb works at the 'join' prompt",
  "shell.cannotParse": "Cannot parse that line (check the quotes)",
  "shell.unknownVerb": "Unknown verb '{verb}'; type 'help' for the list",
  "shell.leaveHint": "(To leave, type 'quit' or press Ctrl-D)",

  // commands/_command.ts: arguments and options
  "usage.options": "[options]",
  "usage.missingArg": "Missing argument <{name}>",
  "usage.extraArg": "Unexpected argument '{arg}'",
  "usage.extraArgQuote": "Unexpected argument '{arg}' (quote names with spaces)",
  "usage.unknownOption": "Unknown option '{option}'",
  "usage.optionNeedsValue": "Option '{option}' needs a value",
  "usage.optionTakesNoValue": "Option '{option}' takes no value",

  // commands/help.ts: the help pages
  "helpPage.cliHead": "Usage: rede-p2p <verb> [arguments] [options]\n\nVerbs:",
  "helpPage.cliTail":
    "\nRun 'rede-p2p help <verb>' or 'rede-p2p <verb> --help' for details.\nAny verb takes --lang en or --lang pt to choose the language.",
  "helpPage.shellHead": "Verbs:",
  "helpPage.shellTail": "\nType 'help <verb>' for details.",
  "helpPage.aliases": "{summary} (also: {aliases})",
  "helpPage.usage": "Usage: {usage}",
  "helpPage.also": "Also: {aliases}",
  "helpPage.arguments": "Arguments:",
  "helpPage.options": "Options:",
  "helpPage.default": "{description} (default: {value})",
  "helpPage.examples": "Examples:",
  "helpPage.unknownVerb": "Unknown verb '{verb}'; try 'help'",

  // commands/serve.ts: the tracker
  "serve.badPort": "Invalid port '{port}'",
  "serve.listening": "rede-p2p tracker listening on {address}",
  "serve.trackerId": "Tracker ID: {id}",
  "serve.open": "Open network: anyone on the LAN may join (connections are still encrypted)",
  "serve.joinCode": "Join code: {code}",
  "serve.joinCodeKept": "Join code: {code} (kept from the last run; --new-code for another)",
  "serve.joinWith": "Peers join with: rede-p2p join {address}",
  "serve.stopped": "tracker stopped",
  "serve.codeAndOpen": "--code and --open exclude each other",
  "serve.codeLength":
    "A join code needs {min} to {max} letters or digits (spaces and dashes do not count)",
  "serve.log.join": {
    one: 'join  {key} "{name}" ({count} file)',
    other: 'join  {key} "{name}" ({count} files)',
  },
  "serve.log.leave": 'leave {key} "{name}" ({reason})',
  "serve.log.refused": "refused {client}: {reason}",
  "serve.log.error": "client {client}: {error}",
  "serve.reason.quit": "quit",
  "serve.reason.lost": "connection lost",
  "serve.reason.heartbeats": "missed heartbeats",
  "serve.reason.reRegistered": "re-registered",
  "serve.fold.join": { one: "{count} join", other: "{count} joins" },
  "serve.fold.leave": { one: "{count} leave", other: "{count} leaves" },
  "serve.fold.refused": { one: "{count} refusal", other: "{count} refusals" },
  "serve.fold.error": { one: "{count} client error", other: "{count} client errors" },
  "uploads.fold.started": {
    one: "{count} more upload started",
    other: "{count} more uploads started",
  },
  "serve.fold.summary": "… {list} not shown one by one (over {perSecond} lines a second)",

  // commands/id.ts
  "id.notRemembered": "No tracker ID is remembered for {address}",
  "id.forgot": "Forgot the ID of the tracker at {address}; the next join remembers the new one",
  "id.peer": "Peer ID ({dir}): {id}",
  "id.tracker": "Tracker ID:       {id}",
  "id.home": "Identities are kept in {dir}",

  // commands/receipts.ts and commands/verify_receipt.ts
  "receipts.col.time": "Time (UTC)",
  "receipts.col.collector": "Collector",
  "receipts.col.box": "Box",
  "receipts.col.file": "File",
  "receipts.col.size": "Size",
  "receipts.col.root": "Root",
  "receipts.col.check": "Check",
  "receipts.col.receipt": "Receipt",
  "receipts.notReceipt": "not a receipt",
  "receipts.valid": "valid",
  "receipts.invalid": "INVALID",
  "receipts.summary": {
    one: "{count} receipt in {dir}; 'rede-p2p verify-receipt FILE' checks one",
    other: "{count} receipts in {dir}; 'rede-p2p verify-receipt FILE' checks one",
  },
  "receipts.summaryOlder": {
    one:
      "{shown} of {count} receipt in {dir} (the oldest not shown); 'rede-p2p verify-receipt FILE' checks one",
    other:
      "{shown} of {count} receipts in {dir} (the oldest not shown); 'rede-p2p verify-receipt FILE' checks one",
  },
  "verifyReceipt.notValid": "Receipt '{file}' is not valid: {problem}",
  "verifyReceipt.otherCollector":
    "Receipt '{file}' was signed by the collector {collector}, not {expected}",
  "verifyReceipt.badCollector":
    "Invalid collector ID '{id}': give it as 'rede-p2p id' shows it, or its first three groups or more",
  "verifyReceipt.box": "Box:        {box}",
  "verifyReceipt.file": "File:       {name}",
  "verifyReceipt.size": {
    one: "Size:       {size} ({count} byte)",
    other: "Size:       {size} ({count} bytes)",
  },
  "verifyReceipt.root": "Root:       {root}",
  "verifyReceipt.sender": "Sender:     {name} (ID {id})",
  "verifyReceipt.collector": "Collector:  {id}",
  "verifyReceipt.received": "Received:   {time}",

  // core/rate.ts: transfer rates
  "rate.units":
    "bytes: B, KB, MB, GB (= KiB, MiB, GiB); bits: kbit, Mbit, Gbit (= kbps, Mbps, Gbps, powers of 1000)",
  "rate.notRate": "'{text}' is not a rate (try 500KB, 2MB or 10Mbit)",
  "rate.ambiguous": "'{text}' is ambiguous: say {bytes} (bytes) or {bits} (bits)",
  "rate.unknownUnit": "'{text}' has an unknown unit '{unit}' ({units})",
  "rate.tooSmall": "'{text}' is less than one byte a second",
  "rate.tooLarge": "'{text}' is too large",

  // core/errors.ts: system errors
  "error.connectionRefused": "Connection refused",
  "error.addressInUse": "Address already in use",
} as const;
