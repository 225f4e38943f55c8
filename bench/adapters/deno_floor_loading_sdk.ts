/**
 * The Deno floor with the SDK's source loaded and none of it run: `deno run` resolves, reads
 * and instantiates the whole module graph of `mod.ts`, then the bare floor answers. Its ratio to
 * the floor is what loading the SDK costs an adapter before the SDK does anything.
 *
 * @module
 */

import "../../mod.ts";
import "./deno_floor.ts";
