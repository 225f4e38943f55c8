/**
 * An exclusive lock for the writers of one file, built from `node:fs` alone, so that it runs
 * under Deno, Node and Bun and needs no permission beyond the file's directory.
 * `json_store_adapter.ts` holds it around load, change and save.
 *
 * The lock is a file created exclusively (`wx`) beside the locked one, holding the holder's pid
 * and start time. A writer that finds it waits, retrying with backoff, until the holder removes
 * it or `waitMs` runs out. A holder touches the file every second; a lock untouched for
 * {@link STALE_MS} belongs to a writer that was killed (SIGKILL, the host's timeout, a power
 * cut), and the next writer takes it over.
 *
 * Why a heartbeat and not "is that pid alive" (`process.kill(pid, 0)`): under Deno that call
 * needs `--allow-run`, which would let the adapter start any program; and after a restart a pid
 * comes back, often as the very process asking (a container's adapter is pid 7 each time), so a
 * dead holder would look alive. The price: a holder whose process is stopped for longer than
 * `STALE_MS` (Ctrl-Z) loses the lock; {@link FileLock.check} tells it so before it saves.
 *
 * The lock is for writers on one host: on a network file system the hosts' clocks decide.
 *
 * @module
 */

import { type FileHandle, open, readFile, rm, stat, utimes } from "node:fs/promises";
import process from "node:process";
import { clearInterval, setInterval } from "node:timers";

/** How long a lock may go untouched before it counts as abandoned: ten missed heartbeats. */
export const STALE_MS = 10_000;

const HEARTBEAT_MS = 1_000;

/** A lock this process holds. */
export class FileLock {
  readonly path: string;
  /** The lock file's text: what tells this holder's lock from the next one's. */
  readonly #text: string;
  readonly #heartbeat: ReturnType<typeof setInterval>;

  private constructor(path: string, text: string) {
    this.path = path;
    this.#text = text;
    this.#heartbeat = setInterval(() => {
      const now = new Date();
      utimes(path, now, now).catch(() => {}); // a lock taken over is found by check()
    }, HEARTBEAT_MS);
    // A forgotten release must not keep the process alive; the file is then left to go stale.
    this.#heartbeat.unref();
  }

  /**
   * Takes the lock at `path`, waiting up to `waitMs` for its holder to release it.
   *
   * @throws when it is still held after `waitMs`, naming the lock file and its holder.
   */
  static async acquire(path: string, waitMs: number): Promise<FileLock> {
    const text = `${
      JSON.stringify({
        pid: process.pid,
        since: new Date().toISOString(),
        token: crypto.randomUUID(),
      })
    }\n`;
    const deadline = performance.now() + waitMs;
    for (let attempt = 0;; attempt++) {
      if (await create(path, text)) return new FileLock(path, text);
      const holder = await look(path);
      if (holder === undefined) continue; // released since: try again now
      if (holder.idleMs > STALE_MS && await takeOver(path, holder.text)) continue;
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `the lock ${path} is held by ${describeHolder(holder.text)}: gave up after ${waitMs} ms`,
        );
      }
      // Random backoff, so that writers which collided once do not keep colliding.
      await sleep(Math.min(left, Math.random() * Math.min(250, 10 * 2 ** attempt)));
    }
  }

  /**
   * Throws unless the lock file is still this holder's. Call it right before committing: a
   * holder stopped for longer than {@link STALE_MS} may have been taken over.
   */
  async check(): Promise<void> {
    if (await readFile(this.path, "utf8").catch(() => undefined) === this.#text) return;
    throw new Error(
      `lost the lock ${this.path} to another writer while stalled for over ${
        STALE_MS / 1000
      } s, so nothing was saved`,
    );
  }

  /** Releases the lock, unless another writer has taken it over. */
  async release(): Promise<void> {
    clearInterval(this.#heartbeat);
    if (await readFile(this.path, "utf8").catch(() => undefined) === this.#text) {
      await rm(this.path, { force: true });
    }
  }
}

/** Creates the lock file with `text`; `false` when it exists already. */
async function create(path: string, text: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, "wx");
  } catch (e) {
    if (code(e) === "EEXIST") return false;
    throw new Error(`cannot create the lock ${path}`, { cause: e });
  }
  try {
    await handle.writeFile(text);
  } catch (e) {
    // The file is ours and useless without its text (a full disk): do not leave it behind.
    await handle.close().catch(() => {});
    await rm(path, { force: true }).catch(() => {});
    throw new Error(`cannot write the lock ${path}`, { cause: e });
  }
  await handle.close();
  return true;
}

/** The lock file's text and how long ago it was last touched; `undefined` when it is gone. */
async function look(path: string): Promise<{ text: string; idleMs: number } | undefined> {
  try {
    const text = await readFile(path, "utf8");
    const { mtimeMs } = await stat(path);
    return { text, idleMs: Date.now() - mtimeMs };
  } catch (e) {
    if (code(e) === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Removes an abandoned lock whose text was `seen`; `true` when the lock is gone. Several waiters
 * may find one abandoned lock at once: each must remove that lock, never the one the first of
 * them then creates. So they take turns through a marker file, and each removes the lock only
 * if, with the marker held, it still has the text seen and is still untouched.
 */
async function takeOver(path: string, seen: string): Promise<boolean> {
  const marker = `${path}.break`;
  try {
    await (await open(marker, "wx")).close();
  } catch (e) {
    if (code(e) !== "EEXIST") throw new Error(`cannot create ${marker}`, { cause: e });
    // Another waiter is taking over right now, or was killed doing so and left its marker.
    const left = await stat(marker).catch(() => undefined);
    if (left !== undefined && Date.now() - left.mtimeMs > STALE_MS) {
      await rm(marker, { force: true });
    }
    return false;
  }
  try {
    const now = await look(path);
    if (now === undefined) return true;
    if (now.text !== seen || now.idleMs <= STALE_MS) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    await rm(marker, { force: true });
  }
}

/** `pid 4242 (since 2026-12-03T17:50:00.000Z)`, from a lock file's text. */
function describeHolder(text: string): string {
  try {
    const { pid, since } = JSON.parse(text);
    if (Number.isSafeInteger(pid) && typeof since === "string") {
      return `pid ${pid} (since ${since})`;
    }
  } catch {
    // Its holder was killed between creating it and writing it, or it is not our lock file.
  }
  return "another writer";
}

function code(e: unknown): unknown {
  return (e as { code?: unknown } | null)?.code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
