import { type Command, type Context, usage, UsageError } from "./_command.ts";

export const help: Command = {
  name: "help",
  scopes: ["cli", "shell"],
  summary: "Show the verbs, or one verb's usage and options",
  args: [{ name: "verb", description: "the verb to explain", optional: true }],
  examples: ["help", "help get"],
  run({ args }, ctx) {
    if (args[0] === undefined) ctx.out(overview(ctx));
    else {
      const cmd = ctx.commands.find((c) => c.name === args[0] || c.aliases?.includes(args[0]));
      if (!cmd) throw new UsageError(`Unknown verb '${args[0]}'; try 'help'`);
      ctx.out(helpFor(cmd, ctx.scope));
    }
    return Promise.resolve();
  },
};

/** The list of verbs of a scope, one line each. */
export function overview(ctx: Pick<Context, "commands" | "scope">): string {
  const width = Math.max(...ctx.commands.map((c) => c.name.length));
  const lines = ctx.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  const head = ctx.scope === "cli"
    ? "Usage: rede-p2p <verb> [arguments] [options]\n\nVerbs:"
    : "Verbs:";
  const tail = ctx.scope === "cli"
    ? "\nRun 'rede-p2p help <verb>' or 'rede-p2p <verb> --help' for details."
    : "\nType 'help <verb>' for details.";
  return [head, ...lines, tail].join("\n");
}

/** A verb's whole help: usage, description, arguments, options, examples. */
export function helpFor(cmd: Command, scope: "cli" | "shell"): string {
  const prefix = scope === "cli" ? "rede-p2p " : "";
  const out = [`Usage: ${prefix}${usage(cmd)}`, "", cmd.description ?? cmd.summary];
  if (cmd.aliases?.length) out.push("", `Also: ${cmd.aliases.join(", ")}`);
  if (cmd.args.length) {
    out.push("", "Arguments:");
    for (const a of cmd.args) out.push(`  ${a.name.padEnd(22)} ${a.description}`);
  }
  const opts = Object.entries(cmd.options ?? {});
  if (opts.length) {
    out.push("", "Options:");
    for (const [name, o] of opts) {
      const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`;
      const def = o.default !== undefined && o.type === "string" ? ` (default: ${o.default})` : "";
      out.push(`  ${flag.padEnd(22)} ${o.description}${def}`);
    }
  }
  if (cmd.examples?.length) {
    out.push("", "Examples:", ...cmd.examples.map((e) => `  ${prefix}${e}`));
  }
  return out.join("\n");
}
