// Preloaded into every measured adapter process, floor and SDK alike (`deno run --preload`,
// `node --import`): at exit it writes the process's peak resident set size to stderr, where
// the benchmark runner picks it up. The figure is getrusage's ru_maxrss, through
// `process.resourceUsage().maxRSS` (KiB), which Deno provides too and without permissions:
// the kernel's own high-water mark, the one GNU time's %M reports. Measuring inside the child
// needs no external tool and cannot miss the peak the way sampling from the parent can.
// ru_maxrss survives exec, so the process must be forked from a small one (bench/run.ts starts
// it through sh) or it reports its parent's size.

const TAG = "bench:peak-rss-kib=";
const line = () => `\n${TAG}${globalThis.process.resourceUsage().maxRSS}\n`;

if (globalThis.Deno) {
  // Deno.exit() and a normal end both dispatch "unload".
  globalThis.addEventListener("unload", () => {
    Deno.stderr.writeSync(new TextEncoder().encode(line()));
  });
} else {
  const { writeSync } = await import("node:fs");
  // process.exit() and a normal end both emit "exit"; only synchronous writes survive it.
  globalThis.process.on("exit", () => writeSync(2, line()));
}
