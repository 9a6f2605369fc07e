/**
 * The tracker's door (docs/SECURITY.md, docs/PROTOCOL.md "Admission"): every connection, after
 * TLS, proves it may come in before any other message is read. On a private network that is the
 * join code, through a CPace PAKE (`pake.ts`) bound to both certificates; on an open network
 * anyone comes in. Either way the tracker then signs the newcomer's membership
 * (`membership.ts`), which other peers ask for.
 *
 * Wrong codes slow their source down: one PAKE at a time per source, and after N failures in a
 * row the source must wait `CODE_FAILURE_DELAYS_MS[N]` before its next try (refused with `BUSY`
 * and the wait meanwhile). A try that does not finish counts as a failure.
 */
import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { RedeError } from "../core/errors.ts";
import { t } from "../core/i18n.ts";
import {
  CODE_FAILURE_DELAYS_MS,
  CODE_FAILURE_MEMORY_MS,
  CODE_FAILURE_SOURCES,
} from "../core/limits.ts";
import { SerialQueue } from "../core/io.ts";
import type { Channel } from "./channel.ts";
import { MembershipSigner } from "./membership.ts";
import { startPake } from "./pake.ts";
import type { Credentials } from "./secure.ts";

export interface GateOptions {
  creds: Credentials;
  /** The join code; `undefined` for an open network. */
  code?: string;
  /** The network's number, kept by a restarted tracker; new when absent. */
  net?: string;
  /** Milliseconds now (tests move it). */
  now?: () => number;
}

/** A source's recent wrong codes. */
interface Failures {
  count: number;
  last: number;
  /** Its PAKEs, one at a time. */
  queue: SerialQueue;
}

/** Admits connections to a tracker. */
export class TrackerGate {
  readonly signer: MembershipSigner;
  /** Failed tries of the code, all sources together, since the start. */
  failures = 0;
  #code?: string;
  #me: Buffer;
  #now: () => number;
  #sources = new Map<string, Failures>();

  constructor(opts: GateOptions) {
    this.signer = new MembershipSigner(opts.creds.keyPem, opts.net);
    this.#code = opts.code;
    this.#me = Buffer.from(opts.creds.fingerprint, "hex");
    this.#now = opts.now ?? Date.now;
  }

  /** Whether a join code is needed. */
  get private(): boolean {
    return this.#code !== undefined;
  }

  /**
   * Runs the admission on a new connection from `source`: hello, the PAKE on a private network,
   * then `admitted` with the membership.
   *
   * @throws {RedeError} `WRONG_CODE`, `BUSY` (a source told to wait), or what the channel throws.
   */
  async admit(ch: Channel, source: string, helloMs: number): Promise<void> {
    const code = this.#code;
    if (code === undefined) {
      await ch.accept("tracker", ["peer", "client"], helloMs, () => ({ access: "open" }));
    } else {
      const f = this.#source(source);
      await f.queue.run(() => this.#pake(ch, f, code, helloMs));
    }
    await ch.send({ t: "admitted", member: this.signer.sign(ch.peerId!) });
  }

  async #pake(ch: Channel, f: Failures, code: string, helloMs: number): Promise<void> {
    const now = this.#now();
    const wait = f.count === 0 ? 0 : f.last + delayAfter(f.count) - now;
    if (wait > 0) {
      throw new RedeError(
        "BUSY",
        t("tracker.codeWait", { seconds: Math.ceil(wait / 1000) }),
      );
    }
    const sid = randomBytes(16);
    await ch.accept("tracker", ["peer", "client"], helloMs, () => ({
      access: "code",
      sid: sid.toString("hex"),
    }));
    const theirs = await ch.expect("pake", helloMs);
    // From here on the try counts as a failure unless it is confirmed.
    f.count++;
    f.last = this.#now();
    this.failures++;
    const pake = startPake({
      role: "responder",
      code,
      sid,
      initiatorId: Buffer.from(ch.peerId!, "hex"),
      responderId: this.#me,
    });
    const done = pake.finish(Buffer.from(theirs.share, "hex"));
    await ch.send({
      t: "pake_reply",
      share: Buffer.from(pake.share).toString("hex"),
      confirm: Buffer.from(done.confirm).toString("hex"),
    });
    const confirm = await ch.expect("pake_confirm", helloMs);
    if (!done.verify(Buffer.from(confirm.confirm, "hex"))) {
      throw new RedeError("WRONG_CODE", t("tracker.wrongCode"));
    }
    f.count--;
    this.failures--;
  }

  /** The record of `source`, made (and the oldest forgotten) as needed. */
  #source(source: string): Failures {
    const now = this.#now();
    let f = this.#sources.get(source);
    if (f && f.count > 0 && now - f.last > CODE_FAILURE_MEMORY_MS) f.count = 0;
    if (!f) {
      if (this.#sources.size >= CODE_FAILURE_SOURCES) this.#forgetOne();
      f = { count: 0, last: 0, queue: new SerialQueue() };
    }
    // Kept in the order last used: the first is the one to forget.
    this.#sources.delete(source);
    this.#sources.set(source, f);
    return f;
  }

  #forgetOne(): void {
    for (const [key, f] of this.#sources) {
      if (f.count === 0 || this.#now() - f.last > CODE_FAILURE_MEMORY_MS) {
        this.#sources.delete(key);
        return;
      }
    }
    this.#sources.delete(this.#sources.keys().next().value!);
  }
}

/** How long a source waits after its `n`th wrong code in a row. */
function delayAfter(n: number): number {
  return CODE_FAILURE_DELAYS_MS[Math.min(n, CODE_FAILURE_DELAYS_MS.length - 1)];
}
