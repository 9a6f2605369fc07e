/**
 * Run by tests/tracker_memory_test.ts in a process of its own, with `--expose-gc`: loads a
 * tracker state as the benchmark does (PEERS peers, 100 files each: 80 from a shared catalogue,
 * 20 of their own) and prints the live heap it takes, in bytes, after a full collection.
 */
import { TrackerState } from "../net/tracker_state.ts";

const PEERS = Number(Deno.args[0] ?? 2000);
const CATALOGUE = PEERS * 2;
const hex = (n: number) => n.toString(16).padStart(64, "0");
const gc = (globalThis as unknown as { gc: () => void }).gc;
const heap = () => (gc(), gc(), Deno.memoryUsage().heapUsed);

const state = new TrackerState({ maxPeers: PEERS, peersPerIp: PEERS });
const before = heap();
for (let p = 0; p < PEERS; p++) {
  const files = Array.from({ length: 100 }, (_, i) => {
    if (i < 80) {
      const k = (p * 7919 + i * 104_729) % CATALOGUE;
      return { name: `aula-calculo-${k}.pdf`, size: 1000 + k, root: hex(k) };
    }
    return { name: `foto-${p}-${i}.jpg`, size: 2000 + i, root: hex(1e9 + p * 100 + i) };
  });
  // Strings of their own, as a decoded frame gives them.
  state.add(
    {
      key: `10.0.${p >> 8}.${p & 255}:1`,
      ip: `10.0.${p >> 8}.${p & 255}`,
      port: 1,
      // Its identity, a fingerprint of its own as each connection's certificate gives it.
      id: JSON.parse(JSON.stringify(hex(2e9 + p))),
      name: "p",
      token: "",
    },
    JSON.parse(JSON.stringify(files)),
  );
}
console.log(JSON.stringify({ listings: PEERS * 100, items: state.items, heap: heap() - before }));
