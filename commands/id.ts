import { resolve } from "node:path";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import { DEFAULT_TRACKER_PORT } from "../core/limits.ts";
import { formatAddress, parseHostPort } from "../net/address.ts";
import {
  formatId,
  identityHome,
  loadIdentity,
  peerIdentityName,
  TRACKER_IDENTITY,
  TrackerPins,
} from "../storage/identity.ts";
import type { Command } from "./_command.ts";

export const id: Command = {
  name: "id",
  scopes: ["cli"],
  args: [],
  options: {
    dir: { type: "string", value: "DIR", default: "./arquivos_compartilhaveis" },
    forget: { type: "string", value: "HOST[:PORT]" },
    json: { type: "boolean" },
  },
  examples: ["id", "id --dir ./shared", "id --forget 192.168.0.10"],
  async run({ options }, ctx) {
    const home = identityHome();
    if (options.forget !== undefined) {
      const { host, port } = parseHostPort(options.forget as string, DEFAULT_TRACKER_PORT);
      const where = formatAddress({ host, port: port! });
      if (!(await new TrackerPins(home).forget(where))) {
        throw new RedeError("BAD_INPUT", t("id.notRemembered", { address: where }));
      }
      if (ctx.json) return ctx.json({ forgot: where });
      ctx.out(t("id.forgot", { address: where }));
      return;
    }
    const dir = options.dir as string;
    const peer = await loadIdentity(home, peerIdentityName(dir));
    const tracker = await loadIdentity(home, TRACKER_IDENTITY);
    if (ctx.json) {
      return ctx.json({
        peer: { dir: resolve(dir), id: peer.fingerprint, id_text: formatId(peer.fingerprint) },
        tracker: { id: tracker.fingerprint, id_text: formatId(tracker.fingerprint) },
        home,
      });
    }
    ctx.out(t("id.peer", { dir, id: formatId(peer.fingerprint) }));
    ctx.out(t("id.tracker", { id: formatId(tracker.fingerprint) }));
    ctx.note(t("id.home", { dir: home }));
  },
};
