// FNV-1a 64 over each file of a folder (name order): its name, a NUL, its bytes, a NUL.
// The Rust test computes the same (crates/server/tests/dist_fresh.rs).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function sourceHash(dir) {
  let h = 0xcbf29ce484222325n;
  const feed = (bytes) => {
    for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  };
  for (const name of readdirSync(dir).sort()) {
    feed(Buffer.from(name));
    feed([0]);
    feed(readFileSync(join(dir, name)));
    feed([0]);
  }
  return h.toString(16).padStart(16, '0');
}
