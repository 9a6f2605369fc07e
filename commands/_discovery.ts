/**
 * What `serve` and `join` (and the one-shot verbs) share about discovery (`app/discover.ts`):
 * its options, their checks, and the question that picks one of several trackers at a terminal.
 */
import process from "node:process";
import * as readline from "node:readline/promises";
import { t } from "../core/i18n.ts";
import { peerNameProblem } from "../core/peer_name.ts";
import { printable } from "../core/terminal.ts";
import { type Discovered, trackerChoices } from "../app/discover.ts";
import { parsePort } from "../net/address.ts";
import { type Command, type Input, type OptionSpec, UsageError } from "./_command.ts";

/** The options of discovery, as both sides declare them. */
export const DISCOVERY_OPTIONS: Record<string, OptionSpec> = {
  network: { type: "string", value: "NAME" },
  "no-discovery": { type: "boolean" },
  "discovery-port": { type: "string", value: "PORT" },
};

/**
 * The discovery options given: the network's name (checked like a peer name) and the UDP port.
 *
 * @throws {UsageError} for a name that breaks the rule of names, or a bad port.
 */
export function discoveryInput(
  options: Input["options"],
  cmd: Command,
): { network?: string; port?: number; on: boolean } {
  const network = (options.network as string | undefined)?.normalize("NFC");
  const problem = network === undefined ? undefined : peerNameProblem(network);
  if (problem) {
    throw new UsageError(t("discover.badNetwork", { name: printable(network!), problem }), cmd);
  }
  const text = options["discovery-port"] as string | undefined;
  const port = text === undefined ? undefined : parsePort(text);
  if (text !== undefined && port === undefined) {
    throw new UsageError(t("discover.badPort", { port: printable(text) }), cmd);
  }
  return { network, port, on: options["no-discovery"] !== true };
}

/**
 * Refuses an address given with `--network`: the address would win and the network be ignored
 * without a word.
 *
 * @throws {UsageError} when both are given.
 */
export function oneOfAddressOrNetwork(
  address: string | undefined,
  network: string | undefined,
  cmd: Command,
): void {
  if (address !== undefined && network !== undefined) {
    throw new UsageError(t("discover.addressAndNetwork"), cmd);
  }
}

/**
 * Asks, at a terminal, which of several trackers to join: their list, then a number, the
 * question written on `output` (a one-shot verb asks on standard error: its output is the result).
 *
 * @throws {UsageError} when the answer is not one of the numbers.
 */
export async function chooseTracker(
  found: readonly Discovered[],
  cmd: Command,
  out: (line: string) => void,
  output: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  for (const line of trackerChoices(found)) out(line);
  const rl = readline.createInterface({ input: process.stdin, output });
  let answer: string;
  try {
    answer = (await rl.question(t("discover.question", { max: found.length }))).trim();
  } finally {
    rl.close();
  }
  const n = /^\d{1,3}$/.test(answer) ? Number(answer) : 0;
  if (n < 1 || n > found.length) {
    throw new UsageError(
      t("discover.badChoice", { answer: printable(answer.slice(0, 40)), max: found.length }),
      cmd,
    );
  }
  return n - 1;
}
