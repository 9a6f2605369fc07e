import type { Command } from "./_command.ts";
import { needSession } from "./_shell.ts";

export const quit: Command = {
  name: "quit",
  aliases: ["exit"],
  scopes: ["shell"],
  summary: "Leave the tracker and exit (Ctrl-D does the same)",
  args: [],
  run(_input, ctx) {
    needSession(ctx).quitRequested = true;
    return Promise.resolve();
  },
};
