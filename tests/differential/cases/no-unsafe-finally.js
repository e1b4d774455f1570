// Control flow out of `finally` overrides the try's return or throw.
export function a() {
  try {
    return 1;
  } finally {
    return 2;
  }
}

export function b() {
  try {
    throw new Error("lost");
  } catch (error) {
    throw error;
  } finally {
    throw new Error("wins");
  }
}

export function c() {
  for (const item of [1, 2]) {
    try {
      work(item);
    } finally {
      break;
    }
  }
  for (;;) {
    try {} finally { continue; }
  }
}

export function d() {
  outer: for (const x of xs) {
    for (const y of ys) {
      try {
        use(x, y);
      } finally {
        break outer;
      }
    }
  }
}

export function e() {
  try {
    work();
  } finally {
    for (const item of items) {
      if (item) continue;     // inside a loop inside finally: fine
      break;                  // fine
    }
    switch (mode) {
      case 1:
        break;                // breaks the switch: fine
    }
    const f = () => { return 1; };   // nested function: fine
    function g() { throw new Error(); }
    class K { m() { return 2; } }
  }
}

export function f() {
  label: try {
    work();
  } finally {
    break label;              // the label is outside the finally
  }
  try {} finally {
    inner: {
      break inner;            // the label is inside: fine
    }
  }
  try {} finally {
    switch (mode) {
      case 1:
        return "💥"; // 💥 return inside a switch inside finally
    }
  }
}

export async function g() {
  try {
    return await load();
  } finally {
    if (cleanup) {
      return (
        <Fallback />
      );
    }
  }
}

export function h() {
  try {} finally {
    try {} finally {
      return;
    }
  }
  while (x) {
    try {} finally {
      do { continue; } while (y);
      while (z) { break; }
      continue;
    }
  }
}

export function* i() {
  try {
    yield 1;
  } finally {
    return /* comment */ 2
  }
}

export function k() {
  try {} finally { return 1; } // trailing comment
  try {} finally { if (a) {} // odd but valid
    return 2;
  }
}

export function j() {
  try {} finally { throw "😱" }
}
