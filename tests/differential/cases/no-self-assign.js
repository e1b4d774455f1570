// Self assignments do nothing (or only run getters and setters).
export function reset(state, options) {
  let count = 0;
  count = count;
  count = (count);
  count &&= count;
  count ||= count;
  count ??= count;
  count += count;            // compound: not reported

  state.value = state.value;
  state.value = state . value;
  state["value"] = state.value;
  state["value"] = state["value"];
  state[0] = state[0];
  state[0] = state["0"];
  state[key] = state[key];
  state[key()] = state[key()];
  state.a.b = state.a.b;
  this.x = this.x;
  state.a = state?.a;
  state.a.b = state?.a.b;
  state.a.b = state.a.c;
  (state).value = state.value;
  state.value = /* same */ state.value;
  super_.x = super_.x;
  options.list[i] = options.list[i];

  [count] = [count];
  [count, options] = [count, options];
  [count, ...options] = [count, ...options];
  [...count] = [...count, 1];
  [count = 1] = [count];
  [, count] = [, count];
  ({ count } = { count });
  ({ count: count } = { count });
  ({ a: count } = { a: count });
  ({ a: count } = { b: count });
  ({ count, ...options } = { count, ...options });
  ({ count } = { ...options, count });
  ({ count } = { count, ...options });
  ({ [count]: count } = { [count]: count });

  const emoji = "🧪"; count = count;
  const ñ = 1; ñ = ñ;

  const view = <p>{(count = count)}</p>;
  const inner = () => { options = options; };
  function shadow(count) { count = count; }
  return [view, inner, shadow];
}

class Counter {
  #total = 0;
  bump() {
    this.#total = this.#total;
    this.total = this.#total;
  }
}

export { Counter };
