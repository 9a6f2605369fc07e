/**
 * Messages of the disk and the identity: the errors of storage/ and core/; in English, the source
 * `pt_storage.ts` translates key for key. Spread into `en.ts`. See `core/i18n.ts` for the rules
 * and the glossary.
 */
export const enStorage = {
  // core/names.ts: why a shared name, or one of its parts, is refused (after "... 'x': ")
  "names.empty": "is empty",
  "names.tooLong": "is longer than {max} bytes",
  "names.unsafeChars": "must not contain control or bidirectional characters",
  "names.slash": "must not contain '/' or '\\'",
  "names.dots": "must not be '.' or '..'",
  "names.hidden": "must not start with '.' (hidden)",
  "names.drive": "must not start with a drive letter",
  "names.windowsChars": 'must not contain any of < > : " | ? *',
  "names.reserved": "is a reserved device name on Windows",
  "names.spaces": "must not start or end with spaces",
  "names.endDot": "must not end with '.'",
  "names.backslash": "must not contain '\\'",
  "names.emptyFolder": "has an empty folder name",
  "names.part": "part '{part}' {problem}",
  "names.invalid": "Invalid file name '{name}': {problem}",
  // storage/paths.ts
  "names.leaves": "leaves the shared folder",
  "names.linkOut": "a folder on its way leads outside the shared folder",
  // core/peer_name.ts: why a peer name is refused
  "names.peer.rule":
    "letters, digits, '-' and '_', starting and ending with a letter or digit, with at least one letter, at most {max} characters",
  "names.peer.tooLong": "is longer than {max} characters",
  "names.peer.notAllowed": "may hold only letters, digits, '-' and '_' (not {char})",
  "names.peer.space": "may hold only letters, digits, '-' and '_' (not a space)",
  "names.peer.notNfc": "is not in Unicode NFC form",
  "names.peer.edges": "must start and end with a letter or a digit",
  "names.peer.letter": "must hold a letter (a number alone is a row of 'peers')",

  // core/content.ts: a descriptor or a hash that does not hold
  "core.content.notHash": "not a SHA-256 hex digest",
  "core.content.chunkSize": "unsupported chunk size (only {small}, {medium} or {large})",
  "core.content.inconsistent": "inconsistent descriptor",
  "core.content.sizeNotCount": "size is not a count",
  "core.content.wrongChunkSize": "chunk size {chunkSize} is not the one for {size} bytes",
  "core.content.chunkCount": "wrong number of chunks",
  "core.content.root": "root does not match its chunks",
  // core/have_map.ts
  "core.haveMap.bad": {
    one: "a have-map for {count} chunk that is not one",
    other: "a have-map for {count} chunks that is not one",
  },
  // core/wait.ts
  "core.notNeeded": "Not needed any more",
  // core/errors.ts: system errors as Deno reports them, `{detail}` being ": op 'path'" or empty
  "core.os.notFound": "No such file or directory (os error {code}){detail}",
  "core.os.permissionDenied": "Permission denied (os error {code}){detail}",
  "core.os.alreadyExists": "File exists (os error {code}){detail}",
  "core.os.isDirectory": "Is a directory (os error {code}){detail}",
  "core.os.notDirectory": "Not a directory (os error {code}){detail}",
  "core.os.noSpace": "No space left on device (os error {code}){detail}",
  "core.os.connectionReset": "Connection reset by peer (os error {code}){detail}",
  "core.os.brokenPipe": "Broken pipe (os error {code}){detail}",
  "core.os.timedOut": "Connection timed out (os error {code}){detail}",

  // core/receipt.ts: box names and receipts
  "core.receipt.badBox": "Invalid box name '{name}': {problem}",
  "core.receipt.badBoxField": "invalid box name: {problem}",
  "core.receipt.notId": "not an identity",
  "core.receipt.notCert": "not a certificate",
  "core.receipt.notSig": "not a signature",
  "core.receipt.notUtc": "not an ISO 8601 UTC time",
  "core.receipt.notDate": "not a date",
  "core.receipt.emptyName": "empty",
  "core.receipt.longName": "longer than {max} characters",
  "core.receipt.unsafeName": "holds control or bidirectional characters",
  "core.receipt.certNotBase64": "its certificate is not base64",
  "core.receipt.certNotCollector": "its certificate is not the one of the collector it names",
  "core.receipt.certUnreadable": "its certificate cannot be read",
  "core.receipt.certNotP256": "its certificate's key is not an ECDSA P-256 key",
  "core.receipt.sigNotBase64": "its signature is not base64",
  "core.receipt.sigMismatch": "its signature does not match its fields (was it changed?)",
  "core.receipt.not": "Not a rede-p2p receipt: {why}",
  "core.receipt.tooLarge": "larger than {max} bytes",
  "core.receipt.notJson": "not JSON",
  "core.receipt.notObject": "not a JSON object",
  "core.receipt.extraField": "it has a field no receipt has, '{field}'",
  "core.receipt.field": "field '{field}': {problem}",
  // storage/receipts.ts: a receipt file
  "storage.receipt.notFile": "Receipt '{path}': not a file",
  "storage.receipt.tooLarge": "Receipt '{path}': larger than {max} bytes",
  "storage.receipt.noFile": "Receipt '{path}': no such file",
  "storage.receipt.notUtf8": "Receipt '{path}': not UTF-8 text",
  "storage.receipt.unreadable": "Receipt '{path}': cannot be read ({error})",
  "storage.receipt.notReceipt": "Receipt '{path}': not a rede-p2p receipt: {why}",

  // storage/chunks.ts
  "storage.isLink": "{path} is a link",
  "storage.notRegular": "{path} is not a regular file",
  // storage/identity.ts
  "identity.unreadable":
    "The identity in {dir} cannot be read ({code}); move it away to make a new one",
  "identity.damaged":
    "The identity in {dir} is damaged (its certificate cannot be read); move it away to make a new one",
  "identity.old":
    "The identity in {dir} was made by an older rede-p2p (no name {name}); move it away to make a new one",
  "identity.keyOnly":
    "The identity in {dir} has a key but no certificate; move it away to make a new one",
  "identity.noPem": "no certificate in the PEM text",
  "identity.certShort": "certificate too short",

  // storage/disk.ts and storage/download.ts: room on the disk, and a download stopped
  "disk.noRoom":
    "Not enough free space for '{name}': it needs {needed}, {free} free on the disk of {dir}",
  "disk.checkCancelled": {
    one: "Check cancelled after {done} of {count} chunk",
    other: "Check cancelled after {done} of {count} chunks",
  },
  "disk.full": {
    one:
      "Disk full while writing '{name}': download stopped; {written} of {count} chunk kept to resume",
    other:
      "Disk full while writing '{name}': download stopped; {written} of {count} chunks kept to resume",
  },
  "disk.fullShort": {
    one:
      "Disk full while writing '{name}' ({still} still to write, {free} free): download stopped; {written} of {count} chunk kept to resume",
    other:
      "Disk full while writing '{name}' ({still} still to write, {free} free): download stopped; {written} of {count} chunks kept to resume",
  },
  "disk.writeFailed": {
    one:
      "Cannot write '{name}' ({error}): download stopped; {written} of {count} chunk kept to resume",
    other:
      "Cannot write '{name}' ({error}): download stopped; {written} of {count} chunks kept to resume",
  },
  "disk.noSpace": "No space left on the disk",
  "disk.fullStart": "Disk full: cannot start '{name}' in {folder}",
  "storage.download.cancelledChecking":
    "Download of '{name}' cancelled while checking the file already there",
  "partial.cancelledChecking":
    "Download of '{name}' cancelled while checking the partial download (kept to resume)",
  "storage.download.outOfOrder": "chunks out of order",
  "storage.download.hashMismatch": "chunk {index} does not match its hash",
  "partial.cancelled": {
    one: "Download of '{name}' cancelled; {written} of {count} chunk kept to resume",
    other: "Download of '{name}' cancelled; {written} of {count} chunks kept to resume",
  },
  "partial.noSource": {
    one: "No source could finish '{name}' ({written} of {count} chunk kept to resume): {error}",
    other: "No source could finish '{name}' ({written} of {count} chunks kept to resume): {error}",
  },
  "partial.noSourceAtAll": {
    one: "No source could finish '{name}' ({written} of {count} chunk kept to resume): no source",
    other:
      "No source could finish '{name}' ({written} of {count} chunks kept to resume): no source",
  },
  // storage/partial.ts
  "partial.noFreeName": "Cannot find a free name for '{name}'",

  // storage/manifest.ts: a line of the manifest skipped
  "manifest.atLine": "Line {line}: {problem}",
  "manifest.fields": "expected 'NAME PATH' but found {count} fields (quote names with spaces)",
  "manifest.unterminated": "unterminated quote",
  "manifest.emptyQuoted": "empty quoted field",
  "manifest.afterQuote": "text right after a closing quote",
  "manifest.badName": "invalid name '{name}': {problem}",
  "manifest.windowsPath": "'{path}' is a Windows path",
  "manifest.duplicate": "duplicate name '{name}' (first on line {first}); skipped",
  "manifest.quote": "Cannot write '{text}' to a manifest: it contains '\"'",
  // storage/share_list.ts and storage/share_index.ts: an entry of a share skipped
  "share.own": "'{name}': {problem} ({path}); skipped",
  "share.notFound": "'{name}': file not found ({path}); skipped",
  "share.link": "'{name}': a link ({path}); list what it leads to; skipped",
  "share.notRegular": "'{name}': not a regular file ({path}); skipped",
  "share.badName": "'{name}': cannot be shared, its name {problem}",
  "share.twice": "'{name}' is shared twice; the first one is kept",
  "share.unreadable": "'{name}': cannot read ({error}); skipped",
  // storage/share_cache.ts: what is never shared
  "share.ownState": "rede-p2p's own state is never shared",
  "share.partial": "a partial download is never shared",
  "share.hidden": "hidden files of the shared folder are never shared",
  // storage/share_index.ts: a request for a shared file refused
  "share.noFile": "No shared file named '{name}'",
  "share.noContent": "No shared content {root}",
  "share.changed": "'{name}' changed on disk",
  "share.changedAsk": "'{name}' changed on disk; ask for it again",
  "share.gone": "Shared file '{name}' is gone",
  "share.replaced": "Shared file '{name}' was replaced on disk",
  "share.noChunk": "No chunk {index} in {name}",
  // storage/share_watch.ts
  "share.watchFailed":
    "Cannot watch the shared files ({error}); changes are found every {seconds} s",
} as const;
