import { handIn as handInFiles } from "../app/hand_in.ts";
import type { FileSummary } from "../core/content.ts";
import { RedeError } from "../core/errors.ts";
import { formatDuration, t } from "../core/i18n.ts";
import { MAX_HAND_IN_FILES } from "../core/limits.ts";
import { assertShareName } from "../core/names.ts";
import { assertBoxName } from "../core/receipt.ts";
import { formatId, identityHome } from "../storage/identity.ts";
import { formatPeer } from "../net/address.ts";
import type { Command } from "./_command.ts";
import { errorDoc } from "./_json.ts";
import { ONE_SHOT_OPTIONS, SHARE_OPTIONS } from "./_oneshot.ts";
import { needSession, reportError } from "./_shell.ts";
import { bytes, shortHash } from "./_ui.ts";

export const handIn: Command = {
  name: "hand-in",
  scopes: ["shell", "cli"],
  args: [
    { name: "peer" },
    { name: "box" },
    { name: "file" },
  ],
  variadic: true,
  options: { ...ONE_SHOT_OPTIONS, ...SHARE_OPTIONS },
  examples: [
    "hand-in 192.168.0.10 prova1 trabalho.pdf",
    'hand-in 2 prova1 "meu relatorio.odt" fotos',
  ],
  cliExamples: [
    "hand-in prof prova1 trabalho.pdf --tracker 192.168.0.10",
    "hand-in prof prova1 trabalho.pdf --tracker 192.168.0.10 --json",
  ],
  // The collector fetches from this peer and looks it up in the tracker's list: it is listed.
  oneShot: () => "serve",
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
        throw new RedeError("NOT_FOUND", t("handIn.notShared", { name }));
      }
      for (const f of picked) files.set(f.name, f);
    }
    if (files.size > MAX_HAND_IN_FILES) {
      throw new RedeError(
        "BAD_INPUT",
        t("handIn.tooMany", { count: files.size, max: MAX_HAND_IN_FILES }),
      );
    }
    const addr = await session.resolvePeer(peerText);
    if (node.isSelf(addr)) {
      throw new RedeError("BAD_INPUT", t("handIn.isSelf"));
    }
    const where = formatPeer(addr);
    let received = 0;
    let failed = 0;
    const docs: Record<string, unknown>[] = [];
    await handInFiles(node, addr, box, [...files.values()], {
      home: identityHome(),
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.kind === "busy") {
          const duration = formatDuration(e.retryMs);
          ctx.note(t("handIn.busy", { peer: where, error: e.error.message, duration }));
        } else if (e.kind === "failed") {
          failed++;
          docs.push({ name: e.name, status: "failed", error: errorDoc(e.error).error });
          if (!ctx.json) {
            reportError(
              new RedeError(
                e.error.code,
                t("handIn.notReceived", { name: e.name, error: e.error.message }),
              ),
              session.verbose,
            );
          }
        } else {
          received++;
          const r = e.receipt;
          docs.push({
            name: r.name,
            status: "received",
            size: r.size,
            root: r.root,
            receipt: e.path,
          });
          ctx.out(t("handIn.done", {
            name: r.name,
            size: bytes(r.size),
            root: shortHash(r.root),
            box: r.box,
            collector: formatId(r.collector_id, true),
            path: e.path,
          }));
        }
      },
    });
    if (ctx.json) {
      ctx.json({
        box,
        peer: { ip: addr.host, port: addr.port, id: addr.id ?? null, name: addr.name ?? null },
        files: docs,
        received,
        count: files.size,
      });
      return failed > 0 ? 1 : 0;
    }
    ctx.out(t("handIn.summary", { received, count: files.size, box, peer: where }));
    return failed > 0 ? 1 : 0;
  },
};
