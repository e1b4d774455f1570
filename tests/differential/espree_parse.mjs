// Parse files with espree, ESLint's parser, for the fix parity test (fix_parity.py).
//
//   node espree_parse.mjs files.json out.json
//     files.json: [path, ...]
//     out.json:   {path: {"mode": "module" | "script" | "commonjs" | null, "error": message | null}}
//
// Each file is tried as a module, then as a script, then as CommonJS (a script that may
// `return` at the top level), always with JSX, as ESLint's config here would parse it.
import { readFileSync, writeFileSync } from "node:fs";
import * as espree from "espree";

const MODES = ["module", "script", "commonjs"];

function parse(text) {
  let firstError = null;
  for (const sourceType of MODES) {
    try {
      espree.parse(text, { ecmaVersion: "latest", sourceType, ecmaFeatures: { jsx: true } });
      return { mode: sourceType, error: null };
    } catch (error) {
      firstError ??= `${error.lineNumber}:${error.column} ${error.message}`;
    }
  }
  return { mode: null, error: firstError };
}

const [listPath, outPath] = process.argv.slice(2);
const out = {};
for (const path of JSON.parse(readFileSync(listPath, "utf8"))) {
  // ESLint strips a byte order mark before parsing.
  out[path] = parse(readFileSync(path, "utf8").replace(/^\uFEFF/u, ""));
}
writeFileSync(outPath, JSON.stringify(out));
