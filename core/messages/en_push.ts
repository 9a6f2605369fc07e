/**
 * Messages of push, collect and hand-in: commands/push.ts, collect.ts, hand_in.ts, _push_view.ts
 * and app/push.ts, push_receiver.ts, collect.ts, hand_in.ts; in English, the source `pt_push.ts`
 * translates key for key. Spread into `en.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
export const enPush = {
  // commands/push.ts and commands/_push_view.ts: the pusher
  "push.noOtherPeer": "No other peer is on the network to push to",
  "push.isSelf": "'{peer}' is this peer; pick others in 'peers'",
  "push.col.peer": "Peer",
  "push.col.address": "Address",
  "push.col.state": "State",
  "push.col.rate": "Rate",
  "push.more": "… and {count} more",
  "push.state.connecting": "connecting",
  "push.state.asked": "asked",
  "push.state.accepted": "accepted",
  "push.state.downloading": "downloading {percent}%",
  "push.state.declined": "declined",
  "push.state.done": "done",
  "push.state.doneNote": "done ({note})",
  "push.state.failed": "failed",
  "push.state.withdrawn": "withdrawn",
  "push.state.unfollowed": "{state} (not followed)",
  "push.change": "{peer} ({address}): {state}",
  "push.changeNote": "{peer} ({address}): {state}: {note}",
  "push.sum.declined": "Declined: {peers}",
  "push.sum.failed": "Failed: {peer} ({address}): {reason}",
  "push.sum.noReason": "no reason given",
  "push.sum.withdrawn": "Withdrawn from: {peers}",
  "push.sum.unfollowed": "Still downloading, no longer followed: {peers}",
  "push.summary": {
    one:
      "Pushed {what} to {count} peer: {done} got it intact, {declined} declined, {failed} failed",
    other:
      "Pushed {what} to {count} peers: {done} got it intact, {declined} declined, {failed} failed",
  },

  // commands/_push_view.ts: the target
  "push.offerFile": "'{name}' ({size})",
  "push.offerFolder": {
    one: "the folder '{name}' ({count} file, {size})",
    other: "the folder '{name}' ({count} files, {size})",
  },
  "push.ask": "{peer} offers {what}. Accept? [y/N]",
  "push.acceptedAuto": "Accepted {peer}'s offer of {what} (--accept-push); downloading",
  "push.accepted": "Accepted; downloading {what} from {peer}",
  "push.withdrew": "{peer} withdrew the offer of '{name}'",
  "push.already": "{what} pushed by {peer} is already here (same content); nothing to do",
  "push.received": "Received {what} pushed by {peer} in {duration}; verified",
  "push.failed": "The push of '{name}' from {peer} failed: {error}",
  "push.failedSome": {
    one: "The push of '{name}' from {peer} failed ({failed} of {count} file): {error}",
    other: "The push of '{name}' from {peer} failed ({failed} of {count} files): {error}",
  },
  "push.declined": "Declined {peer}'s offer of '{name}'",
  "push.declinedTimeout": "No answer to {peer}'s offer of '{name}' in time: declined",
  "push.declinedPolicy":
    "Declined {peer}'s offer of '{name}': without a shell, pushes are taken only with --accept-push",
  "push.declinedLeaving": "Declined {peer}'s offer of '{name}': leaving",

  // app/push.ts: the offer, and what a target answers
  "push.noSuchName": "This peer shares no file or folder named '{name}'",
  "push.folderTooBig": "The folder '{name}' has {count} files; a push offers at most {max}",
  "push.closedEarly": "It closed the connection before the end",
  "push.unexpected": "It sent an unexpected '{message}'",
  "push.badStep": "It went from '{from}' to '{to}'",

  // app/push_receiver.ts: refusals and statuses sent to the pusher
  "push.why.timeout": "No answer in time",
  "push.why.policy": "It takes pushes only when started with --accept-push",
  "push.why.leaving": "It is leaving the network",
  "push.needIdentity": "An offer needs a proven identity",
  "push.leaving": "This peer is leaving",
  "push.busyAll": "This peer has {count} offers in hand; try again later",
  "push.busySource": "This peer has {count} offers from your address in hand; try later",
  "push.busyYou": "Your last offer to this peer still waits for its answer",
  "push.noTracker": "This peer cannot ask its tracker who you are; try again later",
  "push.notListed": "The tracker does not list you: push refused",
  "push.outside": "An offer of '{name}' has files outside it",
  "push.twice": "An offer of '{name}' names a file twice",
  "push.tooLarge": "An offer of '{name}' is too large",
  "push.hadIt": "It had it already",
  "push.fail.noSpace": "not enough free disk space",
  "push.fail.cancelled": "cancelled: the peer is leaving",
  "push.fail.notFound": "no source shares it any more",
  "push.fail.hash": "a source sent data that failed verification",
  "push.fail.badPeer": "a source broke the protocol",
  "push.fail.identity": "a source was not the peer expected",
  "push.fail.badName": "a name unsafe here",
  "push.fail.busy": "every source was busy",
  "push.fail.unreachable": "no source could be reached",
  "push.fail.closed": "every source went away",
  "push.fail.timeout": "every source stopped answering",
  "push.fail.other": "the download failed",
  "push.fail.some": {
    one: "{failed} of {count} file failed: {why}",
    other: "{failed} of {count} files failed: {why}",
  },

  // commands/collect.ts: the collector's view
  "collect.closeArgs": "Give the box to close after --close only",
  "collect.closed": {
    one: "Box '{box}' closed: {count} file from {senders} arrived; 'collect {box}' opens it again",
    other:
      "Box '{box}' closed: {count} files from {senders} arrived; 'collect {box}' opens it again",
  },
  "collect.senders": { one: "{count} sender", other: "{count} senders" },
  "collect.handIns": { one: "{count} hand-in", other: "{count} hand-ins" },
  "collect.noBox": "No box yet; 'collect BOX' opens one",
  "collect.opened":
    "Box '{box}' open at {address}: hand-ins land in {folder}/<sender>/ and are not shared; 'collect {box}' shows them, 'collect --close {box}' closes it",
  "collect.col.sender": "Sender",
  "collect.col.file": "File",
  "collect.col.size": "Size",
  "collect.col.root": "Root",
  "collect.col.time": "Time (UTC)",
  "collect.allIn": "Every peer present has handed something in",
  "collect.missing": "Not handed in yet ({count}): {peers}",
  "collect.missingUnknown": "Who has not handed in yet is unknown: {error}",
  "collect.open": "open",
  "collect.shut": "closed",
  "collect.summary": {
    one: "Box '{box}' ({state}): {count} file from {senders}",
    other: "Box '{box}' ({state}): {count} files from {senders}",
  },
  "collect.summaryActive": {
    one: "Box '{box}' ({state}): {count} file from {senders}, {handIns} under way",
    other: "Box '{box}' ({state}): {count} files from {senders}, {handIns} under way",
  },

  // app/collect.ts: boxes, and what a sender is told
  "box.cannotOpen": "Cannot open box '{box}': {problem}",
  "box.notOpened": "No box named '{box}' was opened here",
  "box.noManifest":
    "this peer shares every file of its folder (it has no manifest), so hand-ins would be shared with everyone; join with a manifest (--manifest FILE) to collect",
  "box.covered":
    "the manifest shares '{name}', which holds the box's folder, so hand-ins would be shared with everyone",
  "box.inTheWay": "'{path}' is in the way and is not a folder",
  "box.none": "No box named '{box}' at this peer",
  "box.isClosed": "Box '{box}' is closed",
  "box.twice": "A file is named twice in this hand-in",
  "box.tooBig": "A hand-in holds at most {max} bytes",
  "box.full": "Box '{box}' is full ({max} files)",
  "box.self": "A peer does not hand in to itself",
  "box.closedLog": "Box '{box}' closed: {problem}",
  "box.busyAll": "The collector takes {max} hand-ins at once; try again in a moment",
  "box.busySender": "You have {max} hand-ins under way here already; try again in a moment",
  "box.busySource": "Your address has {max} hand-ins under way here already; try again in a moment",
  "box.noTracker": "The collector cannot reach its tracker to look you up",
  "box.notListed": "The tracker does not list you; join it, then hand in",
  "box.notReceived": "Box '{box}': '{name}' from {sender} not received: {error}",
  "box.senderLeft": "the sender left first",
  "box.in": {
    one: "Box '{box}': '{name}' from {sender} is in ({count} byte, stored as {stored})",
    other: "Box '{box}': '{name}' from {sender} is in ({count} bytes, stored as {stored})",
  },
  "box.noReceipt":
    "Box '{box}': '{name}' from {sender}: its receipt could not be sent (the sender left)",
  "box.changed": "'{name}' changed since it was handed in",
  "box.late": "Not received in the time a hand-in may take",
  "box.diskFull": "The collector's disk is full",
  "box.cannotFetch": "Could not fetch it from you: {error}",
  "box.cannotStore": "The collector could not store it",

  // commands/hand_in.ts and app/hand_in.ts: the sender
  "handIn.notShared": "'{name}' is not a file this peer shares; only shared files can be handed in",
  "handIn.tooMany": "That is {count} files; hand in at most {max} at once",
  "handIn.isSelf": "That peer is this one; hand in to another",
  "handIn.busy": "{peer} is busy ({error}); trying again in {duration}",
  "handIn.notReceived": "'{name}' not received: {error}",
  "handIn.done":
    "Handed in '{name}' ({size}, root {root}) to box '{box}' of {collector}; receipt {path}",
  "handIn.summary": {
    one: "{received} of {count} file handed in to box '{box}' at {peer}",
    other: "{received} of {count} files handed in to box '{box}' at {peer}",
  },
  "handIn.cancelled": "Hand-in to box '{box}' cancelled",
  "handIn.closedEarly": {
    one: "{peer} closed the connection before answering for {count} file",
    other: "{peer} closed the connection before answering for {count} files",
  },
  "handIn.unexpected": "{peer} sent an unexpected '{message}'",
  "handIn.notHandedIn": "{peer} answered for '{name}', which was not handed in",
  "handIn.receiptInvalid": "The receipt for '{name}' does not hold: {problem}",
  "handIn.receiptSigner": "The receipt for '{name}' is signed by another identity than the peer's",
  "handIn.receiptSender": "The receipt for '{name}' names another sender",
  "handIn.receiptBox": "The receipt for '{name}' names another box",
  "handIn.receiptContent": "The receipt for '{name}' names other content",
} as const;
