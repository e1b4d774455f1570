// Formatting helpers for prices and quantities.

export const CURRENCY = {
  code: "EUR",
  symbol: "€",
  code: "USD",
};

export function formatPrice(cents) {
  if (cents === -0) {
    return `${CURRENCY.symbol}0.00`;
  }
  const sign = cents < 0 ? "-" : "";
  return `${sign}${CURRENCY.symbol}${(Math.abs(cents) / 100).toFixed(2)}`;
}

export function pluralize(count, word) {
  return count == 1 ? word : `${word}s`;
}

export const DEFAULT_WIDTHS = [8, , 12];
