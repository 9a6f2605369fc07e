/**
 * Messages of joining and the connections: commands/join.ts, _session.ts, _shell.ts and the errors
 * of net/; in English, the source `pt_net.ts` translates key for key. Spread into `en.ts`. See
 * `core/i18n.ts` for the rules and the glossary. The `wire.*` texts and the errors a tracker or a
 * peer sends back travel in an `error` message (docs/PROTOCOL.md): the receiver shows them as they
 * came, in the sender's language.
 */
export const enNet = {
  // commands/join.ts: starting, the start lines, leaving
  "join.badPort": "Invalid port '{port}'",
  "join.badRate": "Invalid rate: {problem}",
  "join.badName": "Invalid name '{name}': {problem}",
  "join.manifestWarning": "warning: {manifest}: {problem}",
  "join.sharingListed": {
    one: "Sharing {count} file listed in {manifest}",
    other: "Sharing {count} files listed in {manifest}",
  },
  "join.sharingAll": {
    one: "No manifest at {manifest}: sharing every file in {dir} ({count} file)",
    other: "No manifest at {manifest}: sharing every file in {dir} ({count} files)",
  },
  "join.serving": 'Serving peers on {address} as "{name}"',
  "join.untilSignal": "Sharing until Ctrl-C (SIGINT) or SIGTERM.",
  "join.typeHelp": "Type 'help' for the verbs, 'quit' or Ctrl-D to leave.",
  "join.bye": "Left the tracker. Bye.",
  "join.leaveWarning": "warning: leaving: {message}",
  "join.codeNeeded":
    "The network at {address} is private: give its join code with --code CODE (whoever runs the tracker has it)",
  "join.codeQuestion": "Join code for {address}: ",
  "join.noFolder":
    "No folder '{dir}' (--dir): create it first, or leave --dir out to share {standard}",
  "join.notFolder": "'{dir}' is not a folder (--dir names the folder to share)",

  // commands/_session.ts: naming a peer
  "session.noRow": {
    one: "No peer #{row}: 'peers' lists {count} peer",
    other: "No peer #{row}: 'peers' lists {count} peers",
  },
  "session.twoPorts": "Two ports given: '{text}' and '{port}'",
  "session.noPeerNamed": "No peer named '{name}' is on the network; see 'peers'",
  "session.noPeerAt": "No peer at {host} is registered with the tracker; see 'peers'",
  "session.severalAt":
    "Several peers at {host}: {list}; name one by its name, as IP:PORT or by its # in 'peers'",
  "session.severalNamed":
    "Several peers are named '{name}': {list}; name one as IP:PORT or by its # in 'peers'",

  // net/tracker_client.ts: the peer's registration with its tracker
  "net.registered": 'Registered with tracker {tracker} as {address}, named "{name}"',
  "net.registeredRenamed":
    'Registered with tracker {tracker} as {address}, named "{name}" ("{asked}" is taken)',
  "net.registeredAgain": 'Tracker {tracker} is back; registered again as {address}, named "{name}"',
  "net.registeredAgainRenamed":
    'Tracker {tracker} is back; registered again as {address}, named "{name}" ("{asked}" is taken)',
  "tracker.lostRetrying": "Lost the tracker at {address}; retrying in the background",
  "tracker.noLongerRetrying": "{message}; no longer retrying",
  "tracker.retrying": "{message}; retrying in the background",
  "tracker.unreachable": "Tracker at {address} is unreachable (retrying in the background)",
  "tracker.reachBusy": "The tracker is checking other connections back; try again in a second",
  "tracker.lost": "Lost the tracker at {address}",
  "tracker.findTooLong": "Search text too long ({length} characters; at most {max})",
  "tracker.newIdentity":
    "The tracker at {address} has a new identity (ID {id}; it was {old} when you joined it before). If that is expected, forget the old one with 'rede-p2p id --forget {address}' and join again",
  "tracker.noSid": "The tracker sent no PAKE sid",
  "tracker.wrongCodeAt": "Wrong join code for the network at {address}",
  "tracker.trimmed": {
    one:
      "Sharing {count} file; the tracker lists only the first {listed} (at most {max} files in {bytes} bytes)",
    other:
      "Sharing {count} files; the tracker lists only the first {listed} (at most {max} files in {bytes} bytes)",
  },

  // net/tracker.ts, tracker_state.ts, tracker_gate.ts: what a tracker answers
  "tracker.noSuchPeer": "No peer with that ID is here",
  "tracker.tooManyConnections": "Too many connections from {ip} (at most {max}); try again later",
  "tracker.unexpected": "Unexpected message '{type}' for a tracker",
  "tracker.tooManyFiles": "Too many files listed ({listed}; a tracker lists at most {max} a peer)",
  "tracker.full": "Tracker is full ({max} peers); try again later",
  "tracker.fullFromIp":
    "Tracker already lists {max} peers from {ip}, the most per address; try again later",
  "tracker.fullBytes": "Tracker is full (its file lists take {bytes} bytes); try again later",
  "tracker.fullBytesFromIp":
    "Tracker holds too much from {ip} (file lists over {bytes} bytes from one address); share fewer files",
  "tracker.codeWait": "Too many wrong join codes from your address; try again in {seconds} s",
  "tracker.wrongCode": "Wrong join code",

  // net/peer_client.ts, peer_server.ts, upload_gate.ts, peer_tls.ts: between peers
  "peer.notAdmitted":
    "Not admitted to a network yet: peers serve only members (is the tracker reachable?)",
  "peer.notMember": "The peer at {address} is not a member of this network",
  "peer.badDescriptorName": "{peer} sent a bad descriptor: another name",
  "peer.badDescriptorContent": "{peer} sent a bad descriptor: another content",
  "peer.otherHaveMap": "{peer} sent another have-map",
  "peer.closedConnection": "{peer} closed the connection",
  "peer.badQueuePlace": "{peer} sent an impossible queue place",
  "peer.unexpectedReply": "{peer} sent an unexpected '{type}'",
  "peer.unexpectedChunk": "{peer} sent an unexpected chunk",
  "peer.busy": "{peer} is busy: {message}",
  "peer.describeNeeds": "A describe needs a name or a root",
  "peer.noHaveMaps": "No have-maps here",
  "peer.answersAlready": "The peer server answers '{type}' already",
  "peer.notOurMember": "Not a member of this peer's network",
  "peer.idle": "No request answered for too long; closing",
  "peer.unexpected": "Unexpected message '{type}' for a peer",
  "peer.refusedInARow": {
    one: "{count} request refused in a row; closing",
    other: "{count} requests refused in a row; closing",
  },
  "peer.slotsBusy": "All upload slots are busy; try again later",
  "peer.certNotPeers": "The tracker gave a certificate that is not the peer's",
  "peer.log.failed": "request from {address} failed: {message}",
  "peer.log.refused": "refused a request from {address}: {message}",
  "peer.log.evicted": "closed {address}, idle longest, for a newcomer",
  "peer.log.hungUp": "{address} hung up while queued; its place is freed",
  "peer.log.cutOff": "cut off {address}: it does not read what it asked for",

  // net/channel.ts, transport.ts, secure.ts: connections
  "net.closed": "Connection closed",
  "net.closedByOther": "Connection closed by the other side",
  "net.stoppedAnswering": "The other side stopped answering",
  "net.lost": "Connection lost: {detail}",
  "net.expected": "Expected '{expected}' but got '{got}'",
  "net.badReply": "{peer} sent a bad '{type}': {detail}",
  "net.badMessage": "{peer} sent a bad message: {detail}",
  "net.unexpectedFrom": "Unexpected '{type}' from {peer}",
  "net.notRede": "Not a rede-p2p endpoint (it says '{app}')",
  "net.version": "Protocol version {theirs} is not supported (this is version {ours})",
  "net.role": "Expected a {expected}, found a {role}",
  "net.notNeeded": "Not needed any more",
  "net.closing": "This side is closing",
  "net.certRequired": "A certificate is required: rede-p2p identifies both sides",
  "net.busyFromYou": "Too many connections from your address; try again later",
  "net.busy": "Too many connections; try again later",
  "net.listen.inUse": "Port {port} is already in use ({address})",
  "net.listen.noAddress": "Cannot listen on {address}: no such local address",
  "net.listen.denied": "Not allowed to listen on {address}",
  "net.listen.other": "Cannot listen on {address}: {detail}",
  "net.reach.peer": "Cannot reach peer at {address}: {reason}",
  "net.reach.tracker": "Cannot reach tracker at {address}: {reason}",
  "net.reason.noAnswer": "no answer",
  "net.reason.refused": "connection refused",
  "net.reason.reset": "connection reset",
  "net.reason.unknownHost": "unknown host",
  "net.reason.noTls": "no TLS handshake (an older rede-p2p, or not rede-p2p: {detail})",
  "net.hidesId.peer": "The peer at {address} is not the one expected: it does not show the ID {id}",
  "net.hidesId.tracker":
    "The tracker at {address} is not the one expected: it does not show the ID {id}",
  "net.otherId.peer":
    "The peer at {address} is not the one expected: its ID is {id}, not {expected}",
  "net.otherId.tracker":
    "The tracker at {address} is not the one expected: its ID is {id}, not {expected}",
  "net.tls.flood": "the other side sent over {bytes} bytes not asked for",
  "net.tls.closedInHandshake": "closed during the TLS handshake",
  "net.tls.noCert": "the server showed no certificate",
  "net.tls.timeout": "no TLS handshake in time",
  "net.tls.lostBefore": "connection lost before TLS",
  "net.tls.closedBefore": "connection closed before TLS",
  "net.tls.plaintext": "a plaintext (older) client was refused",
  "net.tls.notTls": "not TLS",
  "net.tls.failed": "TLS handshake failed",
  "net.badHost": "Invalid host '{text}'",
  "net.badPortIn": "Invalid port '{port}' in '{text}'",

  // net/framing.ts, protocol.ts: frames and messages
  "net.frame.tooLargeOut":
    "Cannot encode frame: length '{length}' exceeds the limit of '{max}' bytes",
  "net.frame.tooLarge": "Cannot decode frame: length '{length}' exceeds the limit of '{max}' bytes",
  "net.frame.endedInHeader": "Cannot decode frame: the stream ended inside a header",
  "net.frame.endedInPayload": "Cannot decode frame: the stream ended inside a payload",
  "net.frame.magic": "Cannot decode frame: bad magic bytes",
  "net.message.tooLarge": "Cannot decode message: payload too large",
  "net.message.dense": "Cannot decode message: too many nested values for its size",
  "net.message.notJson": "Cannot decode message: payload is not UTF-8 JSON",
  "net.message.notObject": "Cannot decode message: payload is not a JSON object",
  "net.message.unknownType": "Cannot decode message: unknown type '{type}'",
  "net.message.malformed": "Cannot decode message: malformed '{type}' ({detail})",

  // net/membership.ts, pake.ts: admission
  "net.member.noKey": "The tracker's certificate has no usable key",
  "net.member.badSignature": "The tracker signed a membership that does not hold",
  "net.pake.emptyCode": "The join code is empty",
  "net.pake.shortSid": "the PAKE sid is too short",
  "net.pake.shareSize": "a PAKE share must be {bytes} bytes",
  "net.pake.badShare": "the PAKE share is not a valid group element",
  "net.pake.identity": "the PAKE share is the identity",

  // net/channel.ts, secure.ts: texts sent to the other side
  "wire.internal": "Internal error",
  "wire.plaintextRefusal":
    "This rede-p2p speaks protocol version {version}, over TLS only; upgrade rede-p2p to join",
} as const;
