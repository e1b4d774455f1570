// Conditions whose value is known before the code runs.
export function loops(items) {
  if (true) work();
  if (0) work();
  if ("") work();
  if ("🎯") work();
  if (null) work();
  if (undefined) work();
  if ([]) work();
  if ({}) work();
  if (() => {}) work();
  if (function () {}) work();
  if (class {}) work();
  if (/re/) work();
  if (`tmpl`) work();
  if (`tmpl ${items}`) work();      // a template with text is truthy
  if (`${items}`) work();           // fine: may be empty
  if (!true) work();
  if (void items) work();
  if (typeof items) work();
  if (-1) work();
  if (x = 1) work();
  if (x = items) work();
  if (items || true) work();
  if (items && false) work();
  if (true || items) work();
  if (items ?? "d") work();
  if ((1, items)) work();
  if ((items, 1)) work();
  if (items + 1) work();
  if (1 + 2) work();
  if (items === items) work();      // not constant by this rule
  if (new Boolean(items)) work();
  if (Boolean(1)) work();
  if (Boolean(items)) work();
  if (String(items)) work();
  if (undefined === items) work();
  if (items instanceof Array) work();
  const a = true ? 1 : 2;
  const b = items ? 1 : 2;
  while (true) { break; }           // allowed: allExceptWhileTrue
  while (1) { break; }
  while (false) {}
  do {} while (true);
  do {} while (0);
  for (;true;) { break; }
  for (;;) { break; }
  for (; "s";) { break; }
  const c = (items ? true : false) ? 1 : 2;
  const view = <div>{true ? <A /> : <B />}</div>;
  const inner = () => { if (0n) return; };
  return [a, b, c, view, inner];
}

export function* generators() {
  while (true) { yield 1; }
  if (yield) work();
}

export function special() {
  if (-0) work();
  if (~0) work();
  if (+"x") work();
  if (!undefined) work();
  if (NaN) work();
  if (Infinity) work();
  if (globalThis) work();
  if (1 && items) work();
  if (items && 0) work();
  if ((() => 1)()) work();
  if (async function () {}) work();
  if (a ||= true) work();
  if (a &&= false) work();
}

export function trailing() {
  if (true) {} // an empty block followed by a comment
  while (false) {} // another
  for (; 1; ) {} /* block */
  do {} while (0) // no semicolon
  work();
}

export function shadow(undefined) {
  if (undefined) work();      // a parameter named undefined: not constant
}
