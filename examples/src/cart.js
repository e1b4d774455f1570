// A small shopping cart: prices in cents, quantities per product id.
"use strict";

const TAX_RATES = { standard: 0.2, reduced: 0.05 };

function lineTotal(item) {
  if (typeof item.quantity == "undefined") {
    return 0;
  }
  return item.price * item.quantity;
}

function cartTotal(cart) {
  let total = 0;
  for (const item of cart.items) {
    total += lineTotal(item);
  }
  const rate = TAX_RATES["standard"];
  return Math.round(total * (1 + rate));
}

function findItem(cart, id) {
  // `id` may arrive as a string from a form field: `==` hides the type mismatch.
  return cart.items.find((item) => item.id == id);
}

function removeItem(cart, id) {
  const item = findItem(cart, id);
  if (item != null) {
    debugger;
    cart.items.splice(cart.items.indexOf(item), 1);
  }
  return cart;
}

module.exports = { cartTotal, findItem, removeItem };
