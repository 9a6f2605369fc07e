/**
 * The baseline of `deno task bench`: the fastest bare Deno copy of a file over loopback TCP,
 * with none of rede-p2p's framing, hashing or bookkeeping. `scripts/bench.ts` runs it as two
 * processes, so the copy crosses a real socket between two Deno runtimes, as a download does.
 *
 * - `recv OUT [HOST]`: listens on HOST, port 0, prints `listening PORT`, accepts ONE connection
 *   and copies it into OUT through one reused 1 MiB buffer with synchronous file writes until
 *   the end of the stream, then prints `done BYTES ELAPSED_MS` (ELAPSED_MS from the accept to
 *   the last byte written) and stays until its stdin ends, so that the caller can read its
 *   peak RSS.
 * - `send PORT FILE [HOST]`: opens FILE, prints `ready`, waits for one line on stdin (the start
 *   signal, so that process start-up is outside the measured time), connects to HOST:PORT and
 *   sends FILE through one reused 1 MiB buffer (`readSync`, `conn.write` loop), closes the
 *   connection, prints `sent BYTES` and, like the receiver, stays until its stdin ends (so that
 *   the caller can read its CPU time and peak RSS).
 *
 * HOST is 127.0.0.1 unless given (`scripts/bench_lan.ts` passes an address of its emulated LAN).
 */

const BUFFER_BYTES = 1024 * 1024;
const DEFAULT_HOST = "127.0.0.1";

function fail(message: string): never {
  console.error(`bench_baseline: ${message}`);
  Deno.exit(2);
}

async function receive(out: string, host: string): Promise<void> {
  const listener = Deno.listen({ hostname: host, port: 0, transport: "tcp" });
  console.log(`listening ${(listener.addr as Deno.NetAddr).port}`);
  const conn = await listener.accept();
  const start = performance.now();
  listener.close();
  const file = Deno.openSync(out, { write: true, create: true, truncate: true });
  const buf = new Uint8Array(BUFFER_BYTES);
  let total = 0;
  try {
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      let off = 0;
      while (off < n) off += file.writeSync(buf.subarray(off, n));
      total += n;
    }
  } finally {
    file.close();
    conn.close();
  }
  const elapsed = performance.now() - start;
  console.log(`done ${total} ${elapsed.toFixed(3)}`);
  // Stay until stdin ends, so that the caller can read this process's peak RSS in /proc.
  await waitForLine(true);
}

/** Waits for a line on stdin or, with `eof`, for its end. */
async function waitForLine(eof = false): Promise<void> {
  const buf = new Uint8Array(64);
  while (true) {
    const n = await Deno.stdin.read(buf);
    if (n === null) {
      if (eof) return;
      fail("stdin closed before the start line");
    }
    if (!eof && buf.subarray(0, n).includes(0x0a)) return;
  }
}

async function send(port: number, path: string, host: string): Promise<void> {
  const file = Deno.openSync(path, { read: true });
  const buf = new Uint8Array(BUFFER_BYTES);
  console.log("ready");
  await waitForLine();
  const conn = await Deno.connect({ hostname: host, port, transport: "tcp" });
  let total = 0;
  try {
    while (true) {
      const n = file.readSync(buf);
      if (n === null) break;
      let off = 0;
      while (off < n) off += await conn.write(buf.subarray(off, n));
      total += n;
    }
  } finally {
    file.close();
    conn.close();
  }
  console.log(`sent ${total}`);
  await waitForLine(true);
}

if (import.meta.main) {
  const [mode, ...rest] = Deno.args;
  if (mode === "recv" && (rest.length === 1 || rest.length === 2)) {
    await receive(rest[0], rest[1] ?? DEFAULT_HOST);
  } else if (mode === "send" && (rest.length === 2 || rest.length === 3)) {
    const port = Number(rest[0]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`bad port '${rest[0]}'`);
    await send(port, rest[1], rest[2] ?? DEFAULT_HOST);
  } else {
    fail("usage: bench_baseline.ts recv OUT [HOST] | send PORT FILE [HOST]");
  }
}
