// The checkout page: every amount shown is formatted exactly by the wasm module (the package's
// lean build, `open-payments-wasm/lean`, which initialises itself when imported);
// the shop's key and all access tokens stay in the edge function (POST /checkout, /checkout/finish).
import { addAmounts, formatAmount, resolveWalletAddressUrl, OpenPaymentsError } from './pkg/lean.js';

const $ = (id) => document.getElementById(id);
const LOCALE = 'en-US';
const ITEMS = [
  { name: 'Canvas market tote', detail: 'Natural · Qty 1', price: { value: '2490', assetCode: 'USD', assetScale: 2 } },
  { name: 'Stoneware mug', detail: 'Sea glass · Qty 2', price: { value: '2900', assetCode: 'USD', assetScale: 2 } },
  { name: 'Linen napkins', detail: 'Set of 4 · Qty 1', price: { value: '1950', assetCode: 'USD', assetScale: 2 } },
];
const PROBLEMS = {
  consent_denied: ['Payment cancelled', 'You declined the payment in your wallet. Nothing was paid.'],
  quote_expired: ['Quote expired', 'The quote expired before the payment was made. Nothing was paid; please start again for a fresh quote.'],
  insufficient_funds: ['Insufficient funds', 'Your wallet does not hold enough money for this payment. Nothing was paid.'],
};
const WARN_SECONDS = 60; // the polite warning before the quote expires
const money = (a) => formatAmount(a, { locale: LOCALE, style: 'currency' });
/** Shows one step; `focus`: move focus to its heading (tabindex=-1), so that keyboard and screen
 *  reader users land at the start of what changed instead of on `body`. */
const show = (step, { focus = true } = {}) => {
  for (const s of ['cart', 'quote', 'subscribe', 'receipt', 'problem']) $(`${s}-step`).hidden = s !== step;
  if (focus) $(`${step}-title`).focus();
};

function showError(box, code, message) {
  box.hidden = false;
  box.textContent = message;
  box.dataset.code = code;
}
function clearError(box) { box.hidden = true; box.textContent = ''; delete box.dataset.code; }

function renderCart() {
  let total = { value: '0', assetCode: 'USD', assetScale: 2 };
  $('items').replaceChildren(...ITEMS.map((item) => {
    total = addAmounts(total, item.price);
    const li = document.createElement('li');
    const name = Object.assign(document.createElement('span'), { className: 'name', textContent: item.name });
    name.append(Object.assign(document.createElement('small'), { textContent: item.detail }));
    li.append(name, Object.assign(document.createElement('span'), { className: 'price', textContent: money(item.price) }));
    return li;
  }));
  $('cart-total').textContent = money(total);
  return total;
}

/** Checks the wallet address. Typing (`announce` false) only enables Pay or clears a shown
 *  error once the address is valid; the error itself is shown (an alert) when the field is left
 *  or the form submitted, never on every keystroke. */
function checkWallet({ announce = false } = {}) {
  const input = $('wallet');
  const box = $('wallet-error');
  try {
    const url = resolveWalletAddressUrl(input.value);
    clearError(box);
    input.removeAttribute('aria-invalid');
    $('wallet-url').textContent = `Your wallet at ${url} will ask you to approve.`;
    $('pay').disabled = false;
    $('subscribe').disabled = false;
    return url;
  } catch (err) {
    const code = err instanceof OpenPaymentsError ? err.code : 'invalid';
    $('wallet-url').textContent = '';
    $('pay').disabled = true;
    $('subscribe').disabled = true;
    if (announce && input.value.trim() !== '') {
      input.setAttribute('aria-invalid', 'true');
      showError(box, code, err.message);
    } else if (box.hidden) box.dataset.code = code; // for scripts and tests; nothing is shown
    return null;
  }
}

let countdown;
function stopCountdown() {
  clearInterval(countdown);
  $('quote-title').textContent = 'Review your payment';
  $('quote-notice').textContent = '';
  $('quote-notice').className = 'notice';
  delete $('quote-notice').dataset.code;
}

function showQuote(q) {
  $('quote-debit').textContent = money(q.quote.debitAmount);
  $('quote-receive').textContent = money(q.quote.receiveAmount);
  $('quote-fee').textContent = q.quote.fee ? money(q.quote.fee)
    : `Included (${q.quote.debitAmount.assetCode} → ${q.quote.receiveAmount.assetCode} exchange by your wallet)`;
  $('quote-wallet').textContent = q.walletAddress.shopper.publicName
    ? `${q.walletAddress.shopper.publicName} (${q.walletAddress.shopper.id})` : q.walletAddress.shopper.id;
  const expires = Date.parse(q.quote.expiresAt);
  stopCountdown();
  let warned = false;
  const notice = $('quote-notice'); // aria-live=polite: read out when the person is not busy
  const tick = () => {
    const left = Math.floor((expires - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(countdown);
      $('quote-expiry').textContent = 'expired';
      $('quote-title').textContent = 'Quote expired';
      notice.className = 'notice error';
      notice.dataset.code = 'quote_expired';
      notice.textContent = 'This quote expired before you confirmed it. Nothing was paid. Go back to the cart for a fresh quote.';
      $('confirm').disabled = true;
      $('quote-title').focus(); // before, focus may have been on Confirm, now disabled
      return;
    }
    $('quote-expiry').textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    if (!warned && left <= WARN_SECONDS) {
      warned = true;
      notice.textContent = 'About a minute left to confirm this quote. After that you will need a fresh one.';
    }
  };
  tick();
  countdown = setInterval(tick, 1000);
  $('confirm').disabled = false;
  $('confirm').onclick = () => { $('confirm').disabled = true; location.assign(q.consentUrl); };
  show('quote');
}

let paying = false;
async function pay(total, event) {
  event.preventDefault();
  const wallet = checkWallet({ announce: true });
  if (!wallet) { $('wallet').focus(); return; }
  if (paying) return;
  paying = true;
  // Busy, but not `disabled`: a disabled button loses focus to `body`.
  $('pay').setAttribute('aria-disabled', 'true');
  $('pay').textContent = 'Asking your wallet for a quote…';
  clearError($('pay-error'));
  try {
    const res = await fetch('/checkout', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: total, walletAddress: $('wallet').value }) });
    const body = await res.json();
    if (!res.ok) throw Object.assign(new Error(body.error?.message ?? `error ${res.status}`), { code: body.error?.code });
    showQuote(body);
  } catch (err) {
    showError($('pay-error'), err.code ?? 'network_error', err.code ? err.message : 'The shop could not be reached. Nothing was paid.');
  } finally {
    paying = false;
    $('pay').textContent = 'Pay with your wallet';
    $('pay').removeAttribute('aria-disabled');
  }
}

/** `R/2026-12-02T10:00:00Z/P1M` in words: "every month, from 2 December 2026". */
function intervalText(interval) {
  const [, start, every] = String(interval).split('/');
  const unit = { P1M: 'every month', P1W: 'every week', P7D: 'every week', P1Y: 'every year', P1D: 'every day' }[every] ?? `every ${every}`;
  const from = new Date(Date.parse(start));
  return Number.isNaN(from.getTime()) ? unit
    : `${unit}, from ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(from)}`;
}

async function subscribe(total) {
  const wallet = checkWallet({ announce: true });
  if (!wallet) { $('wallet').focus(); return; }
  if (paying) return;
  paying = true;
  $('subscribe').setAttribute('aria-disabled', 'true');
  clearError($('pay-error'));
  try {
    const res = await fetch('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: total, walletAddress: $('wallet').value }) });
    const body = await res.json();
    if (!res.ok) throw Object.assign(new Error(body.error?.message ?? `error ${res.status}`), { code: body.error?.code });
    const s = body.summary;
    $('sub-amount').textContent = money(s.receiveAmount);
    $('sub-interval').textContent = intervalText(s.interval);
    $('sub-wallet').textContent = s.shopper.publicName ? `${s.shopper.publicName} (${s.shopper.walletAddress})` : s.shopper.walletAddress;
    $('sub-confirm').disabled = false;
    $('sub-confirm').onclick = () => { $('sub-confirm').disabled = true; location.assign(body.consentUrl); };
    show('subscribe');
  } catch (err) {
    showError($('pay-error'), err.code ?? 'network_error', err.code ? err.message : 'The shop could not be reached. Nothing was paid.');
  } finally {
    paying = false;
    $('subscribe').removeAttribute('aria-disabled');
  }
}

const SUB_MESSAGES = {
  limit_exceeded: 'Already charged the most allowed for this month: your wallet refused, nothing was paid.',
  subscription_ended: 'This subscription has ended.',
};

/** This browser's subscriptions, with the shop's actions (a scheduler would charge each month). */
async function renderSubscriptions(note) {
  const res = await fetch('/subscriptions');
  if (!res.ok) return;
  const { subscriptions } = await res.json();
  $('subscriptions').hidden = subscriptions.length === 0;
  $('subscription-list').replaceChildren(...subscriptions.map((sub) => {
    const li = document.createElement('li');
    li.dataset.id = sub.id;
    li.dataset.status = sub.status;
    const name = Object.assign(document.createElement('span'), { className: 'name',
      textContent: `${money(sub.amount)} ${intervalText(sub.interval)}` });
    name.append(Object.assign(document.createElement('small'), {
      textContent: `${sub.status} · ${sub.charges.length} charge${sub.charges.length === 1 ? '' : 's'}` }));
    li.append(name);
    if (sub.status === 'active') {
      for (const [action, label] of [['charge', 'Charge now'], ['cancel', 'Cancel']]) {
        const b = Object.assign(document.createElement('button'), { type: 'button', className: 'button', textContent: label });
        b.dataset.action = action;
        b.setAttribute('aria-label', `${label}: ${money(sub.amount)} ${intervalText(sub.interval)}`);
        b.onclick = () => subscriptionAction(action, sub.id);
        li.append(b);
      }
    }
    return li;
  }));
  $('subscriptions-status').textContent = note ?? '';
}

async function subscriptionAction(action, id) {
  const res = await fetch(`/subscriptions/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id }) });
  const body = await res.json();
  const note = res.ok ? (action === 'charge' ? 'Charged.' : 'Cancelled: no more charges.')
    : (SUB_MESSAGES[body.error?.code] ?? body.error?.message ?? 'The shop could not do that.');
  $('subscriptions-status').dataset.code = res.ok ? action : body.error?.code ?? 'error';
  await renderSubscriptions(note);
  $('subscriptions-title').focus();
}

async function showReceipt(sealed) {
  show('receipt', { focus: false });
  const res = await fetch(`/checkout/receipt?r=${encodeURIComponent(sealed)}`);
  const r = await res.json();
  if (!res.ok) { showProblem(r.error?.code ?? 'error', r.error?.message ?? 'This receipt is not valid.'); return; }
  $('receipt-debit').textContent = money(r.debitAmount);
  $('receipt-receive').textContent = money(r.incomingPayment.receivedAmount);
  $('receipt-status').textContent = r.incomingPayment.completed ? 'completed' : 'pending';
  $('receipt-outgoing').textContent = r.outgoingPaymentId ?? '(made earlier in this checkout)';
  $('receipt-incoming').textContent = r.incomingPayment.id;
  if (!r.paid) $('receipt-title').textContent = 'Payment not received';
  if (r.subscription) {
    $('receipt-title').textContent = 'Subscribed: first month paid';
    $('receipt-sub-label').hidden = false;
    $('receipt-sub').hidden = false;
    $('receipt-sub').textContent = `${money(r.subscription.amount)} ${intervalText(r.subscription.interval)}`;
  }
  await renderSubscriptions();
  document.body.dataset.receipt = r.paid ? 'paid' : 'unpaid';
  $('receipt-title').focus();
}

function showProblem(code, message, title = 'Payment not completed') {
  $('problem-title').textContent = title;
  $('problem').textContent = message;
  $('problem').dataset.code = code;
  show('problem');
}

const params = new URLSearchParams(location.search);
const total = renderCart();
if (params.has('wallet')) $('wallet').value = params.get('wallet');
$('wallet').addEventListener('input', () => checkWallet());
$('wallet').addEventListener('change', () => checkWallet({ announce: true })); // on leaving the field
// Enter in the field submits the form, except while Pay is disabled: then say why.
$('wallet').addEventListener('keydown', (e) => { if (e.key === 'Enter' && $('pay').disabled) checkWallet({ announce: true }); });
$('pay-form').addEventListener('submit', (e) => pay(total, e));
$('cancel').addEventListener('click', () => { stopCountdown(); show('cart'); });
$('subscribe').addEventListener('click', () => subscribe(total));
$('sub-cancel').addEventListener('click', () => show('cart'));
checkWallet();
if (params.has('receipt')) await showReceipt(params.get('receipt'));
else if (params.has('problem')) {
  const code = params.get('problem');
  const [title, message] = PROBLEMS[code] ?? ['Payment not completed', 'The payment could not be completed. Nothing was paid.'];
  showProblem(code, message, title);
}
$('status').textContent = 'Amounts checked in your browser by open-payments-wasm. The shop never sees your wallet credentials.';
document.body.dataset.ready = 'true';
