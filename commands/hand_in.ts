import { handIn as handInFiles } from "../app/hand_in.ts";
import type { FileSummary } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { MAX_HAND_IN_FILES } from "../core/limits.ts";
import { assertShareName } from "../core/names.ts";
import { assertBoxName } from "../core/receipt.ts";
import { formatId, identityHome } from "../storage/identity.ts";
import { formatPeer } from "../net/address.ts";
import type { Command } from "./_command.ts";
import { needSession, reportError } from "./_shell.ts";
import { bytes, shortHash } from "./_ui.ts";

export const handIn: Command = {
  name: "hand-in",
  scopes: ["shell"],
  args: [
    { name: "peer" },
    { name: "box" },
    { name: "file" },
  ],
  variadic: true,
  examples: [
    "hand-in 192.168.0.10 prova1 trabalho.pdf",
    'hand-in 2 prova1 "meu relatorio.odt" fotos',
  ],
  async run({ args }, ctx) {
    const session = needSession(ctx);
    const { node } = session;
    const [peerText, box, ...names] = args;
    assertBoxName(box);
    names.forEach(assertShareName);
    await node.index.refresh(); // What is shared now, as the collector will find it.
    const shared = node.index.list();
    const files = new Map<string, FileSummary>();
    for (const name of names) {
      const picked = shared.filter((f) => f.name === name || f.name.startsWith(`${name}/`));
      if (picked.length === 0) {
        throw new RedeError(
          "NOT_FOUND",
          `'${name}' is not a file this peer shares; only shared files can be handed in`,
        );
      }
      for (const f of picked) files.set(f.name, f);
    }
    if (files.size > MAX_HAND_IN_FILES) {
      throw new RedeError(
        "BAD_INPUT",
        `That is ${files.size} files; hand in at most ${MAX_HAND_IN_FILES} at once`,
      );
    }
    const addr = await session.resolvePeer(peerText);
    if (node.isSelf(addr)) {
      throw new RedeError("BAD_INPUT", "That peer is this one; hand in to another");
    }
    const where = formatPeer(addr);
    let received = 0;
    let failed = 0;
    await handInFiles(node, addr, box, [...files.values()], {
      home: identityHome(),
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.kind === "busy") {
          ctx.note(`${where} is busy (${e.error.message}); trying again in ${e.retryMs / 1000} s`);
        } else if (e.kind === "failed") {
          failed++;
          reportError(
            new RedeError(e.error.code, `'${e.name}' not received: ${e.error.message}`),
            session.verbose,
          );
        } else {
          received++;
          const r = e.receipt;
          ctx.out(
            `Handed in '${r.name}' (${bytes(r.size)}, root ${shortHash(r.root)}) to box ` +
              `'${r.box}' of ${formatId(r.collector_id, true)}; receipt ${e.path}`,
          );
        }
      },
    });
    ctx.out(`${received} of ${files.size} file(s) handed in to box '${box}' at ${where}`);
    return failed > 0 ? 1 : 0;
  },
};
