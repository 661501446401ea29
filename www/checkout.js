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
const money = (a) => formatAmount(a, { locale: LOCALE, style: 'currency' });
const show = (step) => { for (const s of ['cart', 'quote', 'receipt', 'problem']) $(`${s}-step`).hidden = s !== step; };

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

function checkWallet() {
  const input = $('wallet');
  try {
    const url = resolveWalletAddressUrl(input.value);
    clearError($('wallet-error'));
    input.removeAttribute('aria-invalid');
    $('wallet-url').textContent = `Your wallet at ${url} will ask you to approve.`;
    $('pay').disabled = false;
    return url;
  } catch (err) {
    $('wallet-url').textContent = '';
    $('pay').disabled = true;
    if (input.value.trim() !== '') {
      input.setAttribute('aria-invalid', 'true');
      showError($('wallet-error'), err instanceof OpenPaymentsError ? err.code : 'invalid', err.message);
    } else clearError($('wallet-error'));
    return null;
  }
}

let countdown;
function showQuote(q) {
  $('quote-debit').textContent = money(q.quote.debitAmount);
  $('quote-receive').textContent = money(q.quote.receiveAmount);
  $('quote-fee').textContent = q.quote.fee ? money(q.quote.fee)
    : `Included (${q.quote.debitAmount.assetCode} → ${q.quote.receiveAmount.assetCode} exchange by your wallet)`;
  $('quote-wallet').textContent = q.walletAddress.shopper.publicName
    ? `${q.walletAddress.shopper.publicName} (${q.walletAddress.shopper.id})` : q.walletAddress.shopper.id;
  const expires = Date.parse(q.quote.expiresAt);
  clearInterval(countdown);
  const tick = () => {
    const left = Math.floor((expires - Date.now()) / 1000);
    if (left <= 0) {
      clearInterval(countdown);
      $('quote-expiry').textContent = 'expired';
      $('confirm').disabled = true;
      showError($('quote-error'), 'quote_expired', PROBLEMS.quote_expired[1]);
      return;
    }
    $('quote-expiry').textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
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
  const wallet = checkWallet();
  if (!wallet || paying) return;
  paying = true;
  $('pay').disabled = true;
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
    $('pay').disabled = false;
  }
}

async function showReceipt(sealed) {
  show('receipt');
  const res = await fetch(`/checkout/receipt?r=${encodeURIComponent(sealed)}`);
  const r = await res.json();
  if (!res.ok) { showProblem(r.error?.code ?? 'error', r.error?.message ?? 'This receipt is not valid.'); return; }
  $('receipt-debit').textContent = money(r.debitAmount);
  $('receipt-receive').textContent = money(r.incomingPayment.receivedAmount);
  $('receipt-status').textContent = r.incomingPayment.completed ? 'completed' : 'pending';
  $('receipt-outgoing').textContent = r.outgoingPaymentId ?? '(made earlier in this checkout)';
  $('receipt-incoming').textContent = r.incomingPayment.id;
  if (!r.paid) $('receipt-title').textContent = 'Payment not received';
  document.body.dataset.receipt = r.paid ? 'paid' : 'unpaid';
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
$('wallet').addEventListener('input', checkWallet);
$('pay-form').addEventListener('submit', (e) => pay(total, e));
$('cancel').addEventListener('click', () => { clearInterval(countdown); show('cart'); });
checkWallet();
if (params.has('receipt')) await showReceipt(params.get('receipt'));
else if (params.has('problem')) {
  const code = params.get('problem');
  const [title, message] = PROBLEMS[code] ?? ['Payment not completed', 'The payment could not be completed. Nothing was paid.'];
  showProblem(code, message, title);
}
$('status').textContent = 'Amounts checked in your browser by open-payments-wasm. The shop never sees your wallet credentials.';
document.body.dataset.ready = 'true';
