// Warm ESLint `lintText` timings for the LSP latency benchmark.
//
// stdin: {"text", "filePath", "rules": [ids], "edits": [[utf16Offset, deleteCount, insert]], "warmup": n}
// The edits are applied one after another, as the benchmark sends them to Thea's server;
// each edited text is linted once and timed. The first `warmup` edits are not reported.
// stdout: {"eslint": version, "times_ms": [...], "problems": count on the original text}
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import path from "node:path";

const input = JSON.parse(readFileSync(0, "utf8"));
const require = createRequire(path.join(process.cwd(), "package.json"));
const { ESLint } = require("eslint");

const rules = Object.fromEntries(input.rules.map((id) => [id, "error"]));
const eslint = new ESLint({
  cwd: path.dirname(input.filePath),
  overrideConfigFile: true, // no config lookup: exactly these rules
  overrideConfig: [
    {
      files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
      languageOptions: {
        ecmaVersion: "latest",
        sourceType: input.filePath.endsWith(".cjs") ? "commonjs" : "module",
        parserOptions: { ecmaFeatures: { jsx: true } },
      },
      linterOptions: { reportUnusedDisableDirectives: "off" },
      rules,
    },
  ],
});

const [first] = await eslint.lintText(input.text, { filePath: input.filePath });
let text = input.text;
const measured = [];
for (const [index, [offset, deleteCount, insert]] of input.edits.entries()) {
  text = text.slice(0, offset) + insert + text.slice(offset + deleteCount);
  const started = performance.now();
  await eslint.lintText(text, { filePath: input.filePath });
  const elapsed = performance.now() - started;
  if (index >= input.warmup) measured.push(elapsed);
}
process.stdout.write(
  JSON.stringify({ eslint: ESLint.version, times_ms: measured, problems: first.messages.length, fatal: first.fatalErrorCount }),
);
