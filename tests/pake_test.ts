/**
 * The CPace exchange of `net/pake.ts`: the draft's ristretto255 / SHA-512 test vectors for the
 * generator, the shares, K and ISK; both sides agree exactly when code, sid and the two
 * certificate fingerprints agree; malformed shares are refused; pairing codes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ristretto255 } from "@noble/curves/ed25519.js";
import { RedeError } from "../core/errors.ts";
import {
  calculateGenerator,
  deriveIsk,
  generatorString,
  lvCat,
  newCode,
  normalizeCode,
  type PakeOptions,
  startPake,
  transcriptIr,
} from "../net/pake.ts";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const utf8 = (s: string) => new TextEncoder().encode(s);

// draft-irtf-cfrg-cpace, "Test vector for CPace using group ristretto255 and hash SHA-512"
// (also testvectors.json, G_Coffee25519, of github.com/cfrg/draft-irtf-cfrg-cpace).
const TV = {
  prs: utf8("Password"),
  ci: hex("0b415f696e69746961746f720b425f726573706f6e646572"),
  sid: hex("7e4b4791d6a8ef019b936c79fb7f2c57"),
  genStr: "11435061636552697374726574746f3235350850617373776f726464" + "00".repeat(100) +
    "180b415f696e69746961746f720b425f726573706f6e646572107e4b4791d6a8ef019b936c79fb7f2c57",
  g: "222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56",
  ya: "da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08",
  Ya: "d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157",
  yb: "d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d",
  Yb: "3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258",
  K: "80b69a8a76457ab6a4d7f887a4bf6b55a2f80ac19c333f917a05fc9887c8b40f",
  iskIr: "b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dcae7b35cd" +
    "2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c3fa2068af7900447",
};

Deno.test("pake: the draft's lv_cat and ristretto255 / SHA-512 test vectors", () => {
  assert.equal(
    toHex(lvCat(utf8("1234"), utf8("5"), utf8(""), utf8("678"))),
    "043132333401350003363738",
  );
  assert.equal(toHex(lvCat(new Uint8Array(128))).slice(0, 4), "8001");
  assert.deepEqual(lvCat(utf8("A_initiator"), utf8("B_responder")), TV.ci);
  assert.equal(toHex(generatorString(TV.prs, TV.ci, TV.sid)), TV.genStr);
  const g = calculateGenerator(TV.prs, TV.ci, TV.sid);
  assert.equal(g.toHex(), TV.g);
  const { Fn } = ristretto255.Point;
  const ya = Fn.fromBytes(hex(TV.ya)), yb = Fn.fromBytes(hex(TV.yb));
  assert.equal(g.multiply(ya).toHex(), TV.Ya);
  assert.equal(g.multiply(yb).toHex(), TV.Yb);
  const k = ristretto255.Point.fromHex(TV.Yb).multiply(ya);
  assert.equal(k.toHex(), TV.K);
  assert.equal(ristretto255.Point.fromHex(TV.Ya).multiply(yb).toHex(), TV.K);
  const transcript = transcriptIr(hex(TV.Ya), utf8("ADa"), hex(TV.Yb), utf8("ADb"));
  assert.equal(toHex(deriveIsk(TV.sid, k.toBytes(), transcript)), TV.iskIr);
});

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const base = () => ({ sid: random(16), initiatorId: random(32), responderId: random(32) });

/** Runs both sides; what each side's verify says of the other's tag, and the two keys. */
function run(a: PakeOptions, b: PakeOptions) {
  const ia = startPake(a), rb = startPake(b);
  assert.equal(ia.share.length, 32);
  const da = ia.finish(rb.share), db = rb.finish(ia.share);
  assert.equal(da.confirm.length, 32);
  return { a: da.verify(db.confirm), b: db.verify(da.confirm), ka: da.key, kb: db.key };
}
const pair = (common: Omit<PakeOptions, "role">, other: Partial<PakeOptions> = {}) =>
  run({ ...common, role: "initiator" }, { ...common, role: "responder", ...other });

Deno.test("pake: the same code on both sides confirms, and the keys are equal", () => {
  const r = pair({ ...base(), code: "4821-0937" }, { code: "4821 0937" });
  assert.deepEqual([r.a, r.b], [true, true]);
  assert.deepEqual(r.ka, r.kb);
  assert.equal(r.ka.length, 64);
});

Deno.test("pake: a wrong code, other fingerprints or another sid fail on both sides", () => {
  const common = { ...base(), code: "4821-0937" };
  for (
    const other of [
      { code: "4821-0938" },
      { initiatorId: random(32) },
      { responderId: random(32) },
      { initiatorId: common.responderId, responderId: common.initiatorId },
      { sid: random(16) },
    ]
  ) {
    const r = pair(common, other);
    assert.deepEqual([r.a, r.b], [false, false], JSON.stringify(Object.keys(other)));
    assert.notDeepEqual(r.ka, r.kb);
  }
});

Deno.test("pake: a tag is not accepted for the other role, nor truncated", () => {
  const common = { ...base(), code: "1" };
  const a = startPake({ ...common, role: "initiator" });
  const b = startPake({ ...common, role: "responder" });
  const da = a.finish(b.share), db = b.finish(a.share);
  assert.equal(da.verify(da.confirm), false);
  assert.equal(da.verify(db.confirm.subarray(0, 31)), false);
  assert.equal(da.verify(new Uint8Array(0)), false);
  assert.equal(da.verify(db.confirm), true);
});

Deno.test("pake: identity, invalid, garbage and wrong-length shares are refused", () => {
  const me = startPake({ ...base(), code: "4821-0937", role: "initiator" });
  const invalid = hex("2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c");
  const nonCanonical = new Uint8Array(32).fill(0xff);
  for (const share of [new Uint8Array(32), invalid, nonCanonical, random(31), random(33)]) {
    assert.throws(() => me.finish(share), (e) => e instanceof RedeError && e.code === "BAD_PEER");
  }
});

Deno.test("pake: a short sid or an empty code is refused", () => {
  const opts = { ...base(), code: "1234", role: "initiator" as const };
  assert.throws(() => startPake({ ...opts, sid: random(15) }), RedeError);
  assert.throws(() => startPake({ ...opts, code: " - " }), RedeError);
});

Deno.test("normalizeCode: case, separators, white space and Unicode forms", () => {
  assert.equal(normalizeCode("4821 0937"), "48210937");
  assert.equal(normalizeCode("4821-0937"), "48210937");
  assert.equal(normalizeCode(" 4821_09.37\t"), "48210937");
  assert.equal(normalizeCode("AbC-dEf"), "abcdef");
  assert.equal(normalizeCode("Cafe\u0301"), normalizeCode("caf\u00e9"));
});

Deno.test("newCode: NNNN-NNNN, and not always the same", () => {
  const codes = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const c = newCode();
    assert.match(c, /^\d{4}-\d{4}$/);
    codes.add(c);
  }
  assert.ok(codes.size > 1);
});

Deno.test("pake: random code pairs confirm exactly when their normal forms are equal", () => {
  const code = fc.stringMatching(/^[0-9aA -]{1,6}$/).filter((c) => normalizeCode(c) !== "");
  // Half the time the second code is the first one written differently (case, separators).
  const spelled = (c: string) => c.toUpperCase().split("").join("-");
  const codes = fc.tuple(code, code, fc.boolean()).map(([x, y, alike]) =>
    [x, alike ? spelled(x) : y] as const
  );
  fc.assert(
    fc.property(codes, ([x, y]) => {
      const r = pair({ ...base(), code: x }, { code: y });
      const same = normalizeCode(x) === normalizeCode(y);
      return r.a === same && r.b === same;
    }),
    { numRuns: 30 },
  );
});
