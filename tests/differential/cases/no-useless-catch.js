// A catch that only rethrows does nothing.
export function a() {
  try {
    work();
  } catch (error) {
    throw error;
  }
}

export function b() {
  try {
    work();
  } catch (error) {
    throw error;
  } finally {
    cleanup();                // the finally is useful: report the catch only
  }
}

export function c() {
  try { work(); } catch (e) { throw e; }
  try { work(); } catch (e) { throw e; } finally {}
  try { work(); } catch ({ message }) { throw message; }
  try { work(); } catch (e) { throw e.cause; }
  try { work(); } catch (e) { log(e); throw e; }
  try { work(); } catch (e) { throw other; }
  try { work(); } catch { throw new Error(); }
  try { work(); } catch (e) { throw (e); }
  try { work(); } catch (e) { /* note */ throw e; }
  try { work(); } catch (e) {
    throw e // 🤷 no semicolon
  }
}

export async function d() {
  try {
    await load();
  } catch (err) {
    if (err) throw err;
  }
  try {
    return <View />;
  } catch (err) {
    throw err;
  }
}

export function trailing() {
  try { work(); } catch (e) { throw e; } // a comment after the brace
  try {
    work();
  } catch (e) {
    throw e;
  } /* block comment */ finally {
    done();
  } // and after the finally
  work();
}

export class Repo {
  save() {
    try {
      return db.put(this);
    } catch (saveError) {
      throw saveError;
    }
  }
  static {
    try { init(); } catch (e) { throw e; }
  }
}

export function* gen() {
  try { yield 1; } catch (e) { throw e; }
  try { yield 2; } catch (e) { throw e; } finally { yield 3; }
  try { yield 4; } catch (e) { throw e; e = 1; }
  try { yield 5; } catch (e) { { throw e; } }
}

export const e = () => {
  try {
    work();
  } catch (ɛ) {
    throw ɛ;
  }
};

export function f() {
  try {
    try {
      work();
    } catch (inner) {
      throw inner;
    }
  } catch (outer) {
    throw outer;
  } finally {
    done();
  }
}
