/**
 * Builds the Rust core to `ml-wasm/aurum_ml.wasm` with Debian's toolchain and Debian-packaged
 * crates (offline), then shrinks it with binaryen's wasm-opt.
 *
 *   deno task build:wasm            install missing Debian packages, build, copy the .wasm
 *   deno task build:wasm --check    rebuild and fail if the bytes differ from the committed file
 */

const ROOT = new URL("../", import.meta.url).pathname;
const CRATE = `${ROOT}ml-wasm`;
const OUT = `${CRATE}/aurum_ml.wasm`;
const TARGET = "wasm32-unknown-unknown";
const BUILT = `${CRATE}/target/${TARGET}/release/aurum_ml.wasm`;
/** Maximum linear memory of an instance (512 MiB). */
const MAX_MEMORY = 512 * 1024 * 1024;

const PACKAGES = [
  "rustc",
  "cargo",
  "libstd-rust-dev-wasm32",
  "lld",
  "binaryen",
  "librust-jpeg-decoder-dev",
  "librust-png-dev",
  "librust-serde-json-dev",
];

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  console.error(`$ ${cmd} ${args.join(" ")}`);
  const out = await new Deno.Command(cmd, {
    args,
    cwd: CRATE,
    env: { ...env, PATH: `/usr/bin:/bin:${Deno.env.get("PATH") ?? ""}` },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${cmd} failed with code ${out.code}`);
}

async function installed(pkg: string): Promise<boolean> {
  const out = await new Deno.Command("dpkg-query", {
    args: ["-W", "-f=${Status}", pkg],
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => null);
  return !!out && new TextDecoder().decode(out.stdout).includes("install ok installed");
}

async function ensurePackages() {
  const missing = [];
  for (const p of PACKAGES) if (!(await installed(p))) missing.push(p);
  if (missing.length === 0) return;
  console.error(`installing Debian packages: ${missing.join(" ")}`);
  await run("apt-get", ["update"]);
  await run("apt-get", ["install", "-y", "--no-install-recommends", ...missing], {
    DEBIAN_FRONTEND: "noninteractive",
  });
}

async function build(): Promise<Uint8Array> {
  const rustflags = [
    "-C target-feature=+simd128",
    `--remap-path-prefix=${CRATE}=/aurum_ml`,
    "--remap-path-prefix=/usr/share/cargo/registry=/registry",
    `-C link-arg=--max-memory=${MAX_MEMORY}`,
  ].join(" ");
  await run("/usr/bin/cargo", [
    "build",
    "--release",
    "--locked",
    "--offline",
    "--lib",
    "--target",
    TARGET,
    "-j",
    "2",
  ], { RUSTFLAGS: rustflags, CARGO_INCREMENTAL: "0", SOURCE_DATE_EPOCH: "0" });
  const tmp = await Deno.makeTempFile({ suffix: ".wasm" });
  try {
    await run("/usr/bin/wasm-opt", ["-O3", "--enable-simd", BUILT, "-o", tmp]);
    return await Deno.readFile(tmp);
  } finally {
    await Deno.remove(tmp);
  }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  await ensurePackages();
  const bytes = await build();
  if (check) {
    const committed = await Deno.readFile(OUT).catch(() => new Uint8Array());
    if (!same(bytes, committed)) {
      console.error(
        `ml-wasm/aurum_ml.wasm is stale: rebuilt ${bytes.length} bytes, committed ${committed.length}`,
      );
      Deno.exit(1);
    }
    console.error(`ml-wasm/aurum_ml.wasm matches the rebuild (${bytes.length} bytes)`);
  } else {
    await Deno.writeFile(OUT, bytes);
    console.error(`wrote ml-wasm/aurum_ml.wasm (${bytes.length} bytes)`);
  }
}
