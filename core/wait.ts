/**
 * Waiting that gives up: on a timer, or when something else happens first. Every timer is
 * cleared, so nothing is left pending when the wait ends.
 */
import { RedeError } from "./errors.ts";
import { t } from "./i18n.ts";

/**
 * Waits `ms`, or less if one of `until` settles first.
 *
 * @returns Whether it ended early.
 */
export async function pause(ms: number, ...until: Promise<unknown>[]): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([elapsed, ...until.map((p) => p.then(() => true, () => true))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `opening`, unless `signal` aborts first: then it fails at once, and the source, should it
 * open later, is closed.
 */
export function untilStopped<T extends { close(): void }>(
  opening: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      opening.then((s) => s.close(), () => {});
      reject(new RedeError("CANCELLED", t("core.notNeeded")));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    opening.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
