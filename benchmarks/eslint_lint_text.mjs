// Warm ESLint `lintText` timings for the LSP latency benchmark, one edit at a time.
//
// Protocol (newline-delimited JSON on stdin/stdout), so that the benchmark can alternate
// ESLint and Thea edit by edit and both see the same machine load:
//   in:  {"filePath", "rules": [ids], "text"}   -> out: {"eslint": version, "problems", "fatal"}
//   in:  [utf16Offset, deleteCount, insert]     -> out: {"ms": lintText time of the edited text}
//   in:  {"text"}                               -> out: {"problems", "fatal"} (a new file)
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { ESLint } = require("eslint");

let eslint;
let filePath;
let text;

function configure(message) {
  filePath = message.filePath;
  const rules = Object.fromEntries(message.rules.map((id) => [id, "error"]));
  eslint = new ESLint({
    cwd: path.dirname(filePath),
    overrideConfigFile: true, // no config lookup: exactly these rules
    overrideConfig: [
      {
        files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"],
        languageOptions: {
          ecmaVersion: "latest",
          sourceType: filePath.endsWith(".cjs") ? "commonjs" : "module",
          parserOptions: { ecmaFeatures: { jsx: true } },
        },
        linterOptions: { reportUnusedDisableDirectives: "off" },
        rules,
      },
    ],
  });
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const message = JSON.parse(line);
  let reply;
  if (Array.isArray(message)) {
    const [offset, deleteCount, insert] = message;
    text = text.slice(0, offset) + insert + text.slice(offset + deleteCount);
    const started = performance.now();
    await eslint.lintText(text, { filePath });
    reply = { ms: performance.now() - started };
  } else {
    if (message.rules) configure(message);
    if (message.filePath) filePath = message.filePath;
    text = message.text;
    const [result] = await eslint.lintText(text, { filePath });
    reply = { eslint: ESLint.version, problems: result.messages.length, fatal: result.fatalErrorCount };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
