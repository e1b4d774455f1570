// ESLint's own fixer, one rule at a time, for the fix parity test (fix_parity.py).
//
//   node eslint_fix.mjs jobs.json out.json
//     jobs.json: {"root": dir, "jobs": [[relative path, rule id or "id,id,..."], ...]}
//     out.json:  {relative path: {rule id(s): fixed text}}, only where ESLint changed the text
//   node eslint_fix.mjs --meta out.json rule...
//     out.json:  {rule id: {"fixable": bool, "hasSuggestions": bool}}
//
// Linter.verifyAndFix is what `eslint --fix` runs for each file (passes to a fixpoint, at
// most ten); the options mirror the CLI config that harness.py generates.
import { readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { Linter } from "eslint";
import { builtinRules } from "eslint/use-at-your-own-risk";
import globals from "globals";

function config(relative, rule) {
  return {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: extname(relative) === ".cjs" ? "commonjs" : "module",
      parserOptions: { ecmaFeatures: { jsx: true } },
      globals: { ...globals.es2024, ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: Object.fromEntries(rule.split(",").map((id) => [id, "error"])),
  };
}

function fixAll(jobsPath, outPath) {
  const { root, jobs } = JSON.parse(readFileSync(jobsPath, "utf8"));
  const linter = new Linter();
  const out = {};
  for (const [relative, rule] of jobs) {
    const text = readFileSync(join(root, relative), "utf8");
    const result = linter.verifyAndFix(text, config(relative, rule), { filename: relative });
    if (result.fixed && result.output !== text) {
      (out[relative] ??= {})[rule] = result.output;
    }
  }
  writeFileSync(outPath, JSON.stringify(out));
}

function meta(outPath, rules) {
  const out = {};
  for (const rule of rules) {
    const m = builtinRules.get(rule)?.meta ?? {};
    out[rule] = { fixable: Boolean(m.fixable), hasSuggestions: Boolean(m.hasSuggestions) };
  }
  writeFileSync(outPath, JSON.stringify(out));
}

const [first, ...rest] = process.argv.slice(2);
if (first === "--meta") {
  meta(rest[0], rest.slice(1));
} else {
  fixAll(first, rest[0]);
}
