/**
 * `help`: the list of verbs, and one verb's page. Every text comes from the catalogues: a verb's
 * by convention (`help.<verb>.summary`, `.description`, `.arg.<name>`, `.opt.<name>`; see
 * core/messages/en_help.ts), an option several verbs share by `help.option.<name>` when the verb
 * has no text of its own for it; a declaration holds no text of its own.
 */
import { MAX_HAND_IN_FILES, MIN_JOIN_CODE_CHARS } from "../core/limits.ts";
import { t, text } from "../core/i18n.ts";
import { type Command, type Context, optionsIn, usage, UsageError } from "./_command.ts";

/** The only placeholders a verb's help texts may use, and their values. */
export const HELP_PARAMS: Record<string, string | number> = {
  minCode: MIN_JOIN_CODE_CHARS,
  maxHandIn: MAX_HAND_IN_FILES,
};

export const help: Command = {
  name: "help",
  aliases: ["ajuda"],
  scopes: ["cli", "shell"],
  args: [{ name: "verb", optional: true }],
  examples: ["help", "help get"],
  run({ args }, ctx) {
    if (args[0] === undefined) ctx.out(overview(ctx));
    else {
      const named = (c: Command) => c.name === args[0] || c.aliases?.includes(args[0]);
      // A verb of the other scope is shown too, with its usage there and where it is used.
      const cmd = ctx.commands.find(named) ?? ctx.registry.find(named);
      if (!cmd) throw new UsageError(t("helpPage.unknownVerb", { verb: args[0] }));
      if (cmd.scopes.includes(ctx.scope)) ctx.out(helpFor(cmd, ctx.scope));
      else {
        const where = cmd.scopes.includes("shell")
          ? t("oneshot.helpShellOnly", { verb: cmd.name })
          : t("oneshot.helpCliOnly", { verb: cmd.name });
        ctx.out(`${where}\n\n${helpFor(cmd, ctx.scope === "cli" ? "shell" : "cli")}`);
      }
    }
    return Promise.resolve();
  },
};

/** A help text of `cmd` from the catalogue (`help.<verb>.<part>`), if it has one. */
function helpText(cmd: Command, part: string): string | undefined {
  return text(`help.${cmd.name}.${part}`, HELP_PARAMS);
}

/** The one-line summary of a verb, in the current language. */
export function summaryOf(cmd: Command): string {
  return helpText(cmd, "summary") ?? "";
}

/** A verb's line in the list of verbs: its summary, and its aliases if it has any. */
export function listingOf(cmd: Command): string {
  const summary = summaryOf(cmd);
  return cmd.aliases?.length
    ? t("helpPage.aliases", { summary, aliases: cmd.aliases.join(", ") })
    : summary;
}

/** The list of verbs of a scope, one line each. */
export function overview(ctx: Pick<Context, "commands" | "scope">): string {
  const width = Math.max(...ctx.commands.map((c) => c.name.length));
  const lines = ctx.commands.map((c) => `  ${c.name.padEnd(width)}  ${listingOf(c)}`);
  const cli = ctx.scope === "cli";
  const head = t(cli ? "helpPage.cliHead" : "helpPage.shellHead");
  const tail = t(cli ? "helpPage.cliTail" : "helpPage.shellTail");
  return [head, ...lines, tail].join("\n");
}

/** A verb's whole help: usage, description, arguments, options, examples. */
export function helpFor(cmd: Command, scope: "cli" | "shell"): string {
  const prefix = scope === "cli" ? "rede-p2p " : "";
  const out = [
    t("helpPage.usage", { usage: `${prefix}${usage(cmd, scope)}` }),
    "",
    helpText(cmd, "description") ?? summaryOf(cmd),
  ];
  if (cmd.aliases?.length) out.push("", t("helpPage.also", { aliases: cmd.aliases.join(", ") }));
  if (cmd.args.length) {
    out.push("", t("helpPage.arguments"));
    for (const a of cmd.args) {
      out.push(`  ${a.name.padEnd(22)} ${helpText(cmd, `arg.${a.name}`) ?? ""}`);
    }
  }
  // A one-shot verb on the command line: how it reaches the network, before its options.
  if (scope === "cli" && cmd.oneShot && cmd.scopes.includes("shell")) {
    out.push("", t("oneshot.helpCli", { verb: cmd.name }));
  }
  const opts = optionsIn(cmd, scope);
  if (opts.length) {
    out.push("", t("helpPage.options"));
    for (const [name, o] of opts) {
      const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`;
      const description = helpText(cmd, `opt.${name}`) ?? text(`help.option.${name}`) ?? "";
      const line = o.default !== undefined && o.type === "string"
        ? t("helpPage.default", { description, value: String(o.default) })
        : description;
      out.push(`  ${flag.padEnd(22)} ${line}`);
    }
  }
  const examples = scope === "cli" ? cmd.cliExamples ?? cmd.examples : cmd.examples;
  if (examples?.length) {
    out.push("", t("helpPage.examples"), ...examples.map((e) => `  ${prefix}${e}`));
  }
  return out.join("\n");
}
