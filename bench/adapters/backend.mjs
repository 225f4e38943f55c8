// The simulated backend that every benchmark adapter, SDK or floor, Deno or Node, shares, so
// that the only difference between two adapters of a row is how the request and answer travel.
// Plain JavaScript because Node 20 cannot import TypeScript; Deno takes the types from JSDoc.

/** How many sites the backend holds; devices reference them round-robin. */
export const SITES = 100;

/**
 * A deterministic stand-in for random uuids (v4 layout), so the generated requests are the
 * same on every machine and run.
 *
 * @param {string} seed Distinguishes families of uids (sites, devices).
 * @param {number} i The member of the family.
 * @returns {string} A lowercase hyphenated UUID.
 */
export function fakeUid(seed, i) {
  let h = 0x811c9dc5;
  const s = `${seed}:${i}`;
  let hex = "";
  for (let round = 0; hex.length < 32; round++) {
    for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${
    hex.slice(20, 32)
  }`;
}

/**
 * The backend id of the site device `i` (1-based) sits in.
 *
 * @param {number} i The device's backend id.
 * @returns {number} The site's backend id.
 */
export function siteOf(i) {
  return (i % SITES) + 1;
}

/**
 * The attributes of device `i`: strings, a ref (the site's uid), a list, an int and a null, as
 * a real inventory row has them.
 *
 * @param {number} i The device's backend id.
 * @param {string} siteUid The uid of its site.
 * @returns {{name: string, site: string, tags: string[], serial: string, asset_tag: number,
 *   comments: null}} The attrs.
 */
export function deviceAttrs(i, siteUid) {
  const n = String(i).padStart(6, "0");
  return {
    name: `leaf-${n}`,
    site: siteUid,
    tags: [i % 3 === 0 ? "prod" : "lab", `rack-${i % 48}`],
    serial: `FDO${(i * 7919).toString(36).toUpperCase().padStart(8, "0")}`,
    asset_tag: 100000 + i,
    comments: null,
  };
}

/**
 * Device `i` as a read answers it.
 *
 * @param {number} i The device's backend id.
 * @param {string} siteUid The uid of its site.
 * @returns {{type_name: string, key: {name: string}, attrs: ReturnType<typeof deviceAttrs>,
 *   backend_id: number}} The observed object.
 */
export function observedDevice(i, siteUid) {
  const attrs = deviceAttrs(i, siteUid);
  return { type_name: "dcim.device", key: { name: attrs.name }, attrs, backend_id: i };
}
