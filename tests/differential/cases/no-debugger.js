// debugger statements in every position a statement can take.
debugger;

export function load(url) {
  debugger; // reported with its semicolon
  return fetch(url);
}

if (process.env.DEBUG) debugger;
else debugger

while (false) debugger;

for (const key of Object.keys(globalThis)) {
  if (key.startsWith("__")) { debugger }
}

switch (process.platform) {
  case "win32":
    debugger;
    break;
  default:
    /* before */ debugger /* after */;
}

label: debugger;

const arrow = () => { debugger; };
const asyncArrow = async () => {
  await null;
  debugger;
};

class Widget {
  static {
    debugger;
  }
  render() {
    return <span onClick={() => { debugger; }}>🐛 click</span>;
  }
}

function* generator() {
  yield 1;
  debugger;
}

try {
  debugger;
} catch {
  debugger;
} finally {
  debugger;
}

const emoji = "🔥🔥"; debugger;
const 𝒳 = 1; debugger; debugger;

do debugger; while (false);

{
  debugger
}

if (ready) { debugger } // trailing
{ debugger; } /* after a block */
work();

// Not reported: a property named debugger, a string, a comment.
const config = { debugger: true };
config.debugger = "debugger";
// debugger;

export { arrow, asyncArrow, Widget, generator, 𝒳 };
