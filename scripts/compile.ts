/**
 * Builds the rede-p2p binary for every supported target with `deno compile`.
 *
 * `deno compile --target` downloads the Deno runtime for each target from Deno's release
 * host. Where that host cannot be reached (our own machines), this fails with a clear line
 * and builds nothing: no artefact is ever faked.
 *
 * Usage: deno task compile [TARGET...]
 */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/**
 * The narrowest permissions the program needs: network, the files it shares, its host name,
 * the free space of the disk a download lands on (`statfs`), the per-user folder of its
 * identities (`homedir` and a few environment variables), and the language of its texts
 * (`LC_ALL`, `LC_MESSAGES`, `LANG`).
 */
export const PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-sys=hostname,networkInterfaces,statfs,homedir",
  // Where identities live (storage/identity.ts): REDE_P2P_HOME, or the per-user folder; and
  // the language (core/i18n.ts): LC_ALL, LC_MESSAGES, LANG.
  "--allow-env=REDE_P2P_HOME,HOME,XDG_CONFIG_HOME,APPDATA,LC_ALL,LC_MESSAGES,LANG",
];

/**
 * Flags for the runtime, the same in every task and in the tests' processes: a young
 * generation of 2 MiB semi-spaces instead of V8's 16, which keeps a downloader's peak resident
 * memory about 8 MB lower at no measurable cost in speed (docs/PERFORMANCE.md).
 */
export const RUNTIME_FLAGS = ["--v8-flags=--max-semi-space-size=2"];

/** The arguments of `deno compile` for one target. */
export function compileArgs(target: string): string[] {
  const exe = target.includes("windows") ? ".exe" : "";
  return [
    "compile",
    ...PERMISSIONS,
    ...RUNTIME_FLAGS,
    "--target",
    target,
    "--output",
    `dist/rede-p2p-${target}${exe}`,
    "main.ts",
  ];
}

if (import.meta.main) {
  const wanted = Deno.args.length ? Deno.args : [...TARGETS];
  const unknown = wanted.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length) {
    console.error(`Unknown target(s): ${unknown.join(", ")}; known: ${TARGETS.join(", ")}`);
    Deno.exit(2);
  }
  let failed = 0;
  // The output folder of every target; a fresh clone has none.
  await Deno.mkdir("dist", { recursive: true });
  for (const target of wanted) {
    console.log(`Building ${target}...`);
    const { code } = await new Deno.Command(Deno.execPath(), { args: compileArgs(target) })
      .spawn().status;
    if (code !== 0) {
      failed++;
      console.error(
        `Could not build ${target} (deno compile exited ${code}). deno compile downloads the ` +
          `runtime for each target; where that download is not reachable, build on a machine ` +
          `that can reach it.`,
      );
    }
  }
  Deno.exit(failed ? 1 : 0);
}
