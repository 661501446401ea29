// Exact money: amounts in minor units, decimal text in and out, checked arithmetic (src/js/amount.rs).

import { answer, wasm } from './raw.js';
import { invalid } from './errors.js';
import { json, member } from './json.js';
import type { Amount, AssetOptions, FormatAmountOptions } from './types.js';

/** A JSON value as the amount exports take it (`Member` in src/js/amount.rs): a tag, then text. */
function tag(value: unknown): string {
  if (value === undefined) return '-';
  if (value === null) return 'z';
  switch (typeof value) {
    case 'boolean': return 't';
    case 'number': return Number.isSafeInteger(value) ? `i${value}` : `f${value}`;
    case 'string': return `s${value}`;
    default: return Array.isArray(value) ? 'a' : 'o';
  }
}

/** An escaped lone surrogate in `JSON.stringify`'s output (an odd run of backslashes before it). */
const LONE_SURROGATE = /(^|[^\\])(\\\\)*\\ud[89a-f]/;

/**
 * The caller's value as JSON sees it, read in JS (getters, Proxies, `toJSON`, cycles and BigInt
 * run and fail here), then its kind and each of the members `names`, for the amount exports.
 */
function plain(value: unknown, names: readonly string[]): string[] {
  const text = json(value);
  if (LONE_SURROGATE.test(text)) {
    throw invalid('invalid_json', undefined, 'the value holds a lone UTF-16 surrogate, which is not Unicode text');
  }
  const parsed: unknown = JSON.parse(text);
  const object = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? parsed as Record<string, unknown> : undefined;
  return [tag(parsed), ...names.map((name) =>
    (object !== undefined && Object.prototype.hasOwnProperty.call(object, name) ? tag(object[name]) : '-'))];
}

type AmountParts = [top: string, value: string, assetCode: string, assetScale: string];
const amountParts = (amount: unknown): AmountParts =>
  plain(amount, ['value', 'assetCode', 'assetScale']) as AmountParts;
type AssetParts = [top: string, assetCode: string, assetScale: string];
const assetParts = (asset: unknown): AssetParts => plain(asset, ['assetCode', 'assetScale']) as AssetParts;

/** Intl caps fraction digits at 100; larger scales format without a locale only. */
const INTL_MAX_FRACTION_DIGITS = 100;

/** Parses a person's decimal text (`"12.34"`) into an amount of the asset, exactly or not at all. */
export function parseAmount(input: string, asset: AssetOptions): Amount {
  if (typeof input !== 'string') {
    throw invalid('invalid_amount', 'value',
      'value is not a valid amount: it must be a string, not a number or other type (numbers are floating point)');
  }
  return answer<Amount>(wasm().parseAmount(input, ...assetParts(asset)));
}

const STYLES = ['decimal', 'currency'];
const CURRENCY_DISPLAYS = ['symbol', 'narrowSymbol', 'code', 'name'];

function oneOf(options: object, key: string, allowed: string[]): string | undefined {
  const value = member(options, key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && allowed.includes(value)) return value;
  throw invalid('invalid_value', key, `${key} must be one of: ${allowed.join(', ')}`);
}

/**
 * Formats an amount: the exact decimal text (`"12.34"`), or with `locale` through
 * `Intl.NumberFormat` fed the exact decimal text (never a float).
 */
export function formatAmount(amount: Amount, options?: FormatAmountOptions): string {
  const decimal = answer<{ text: string; code: string; scale: number }>(wasm().decimalAmount(...amountParts(amount)));
  if (options === undefined || options === null) return decimal.text;
  if (typeof options !== 'object') throw invalid('invalid_type', undefined, 'options must be an object');
  const locale = member(options, 'locale');
  if (locale !== undefined && typeof locale !== 'string'
    && !(Array.isArray(locale) && locale.every((l) => typeof l === 'string'))) {
    throw invalid('invalid_type', 'locale', 'locale must be a string or an array of strings');
  }
  const style = oneOf(options, 'style', STYLES);
  const currencyDisplay = oneOf(options, 'currencyDisplay', CURRENCY_DISPLAYS);
  const useGrouping = member(options, 'useGrouping');
  if (useGrouping !== undefined && typeof useGrouping !== 'boolean') {
    throw invalid('invalid_type', 'useGrouping', 'useGrouping must be a boolean');
  }
  if (locale === undefined) return decimal.text;
  if (decimal.scale > INTL_MAX_FRACTION_DIGITS) {
    throw invalid('invalid_format_options', 'assetScale',
      'locale formatting supports at most 100 decimal places; format this amount without a locale');
  }
  const intl: Intl.NumberFormatOptions = {
    minimumFractionDigits: decimal.scale,
    maximumFractionDigits: decimal.scale,
  };
  if (style === 'currency') {
    intl.style = 'currency';
    intl.currency = decimal.code;
  }
  if (currencyDisplay !== undefined) intl.currencyDisplay = currencyDisplay as Intl.NumberFormatOptions['currencyDisplay'];
  if (useGrouping !== undefined) intl.useGrouping = useGrouping;
  try {
    // A string argument is formatted as an exact decimal (Intl.NumberFormat v3): no float.
    return new Intl.NumberFormat(locale as string | string[], intl).format(decimal.text as unknown as number);
  } catch (e) {
    throw invalid('invalid_format_options', 'locale',
      `Intl.NumberFormat refused the options: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `a + b` for amounts of the same asset; overflow is an error. */
export function addAmounts(a: Amount, b: Amount): Amount {
  return answer<Amount>(wasm().addAmounts(...amountParts(a), ...amountParts(b)));
}

/** `a - b` for amounts of the same asset; a result below zero is an error. */
export function subtractAmounts(a: Amount, b: Amount): Amount {
  return answer<Amount>(wasm().subtractAmounts(...amountParts(a), ...amountParts(b)));
}

/** `-1`, `0` or `1` as `a` is below, equal to or above `b`; different assets are an error. */
export function compareAmounts(a: Amount, b: Amount): -1 | 0 | 1 {
  return answer<-1 | 0 | 1>(wasm().compareAmounts(...amountParts(a), ...amountParts(b)));
}

/**
 * Checks a wire amount object (e.g. from a server response) and returns it normalised
 * (`value` without leading zeros). Throws with the code and field of the first problem.
 */
export function validateAmount(wire: unknown): Amount {
  return answer<Amount>(wasm().validateAmount(...amountParts(wire)));
}
