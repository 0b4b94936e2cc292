// Builds web/dist from web/src and records the hash of the sources in dist/SOURCE_HASH,
// which the Rust test compares against, so stale built files are caught.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { sourceHash } from './hash.mjs';

mkdirSync('dist', { recursive: true });
await build({ entryPoints: ['src/app.js'], bundle: true, minify: true, format: 'iife', outfile: 'dist/app.js', legalComments: 'eof' });
copyFileSync('src/index.html', 'dist/index.html');
copyFileSync('src/app.css', 'dist/app.css');
writeFileSync('dist/SOURCE_HASH', sourceHash('src') + '\n');
console.log('built dist/ from', readFileSync('dist/SOURCE_HASH', 'utf8').trim());
