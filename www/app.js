// The demo page's logic: every check and every number shown comes from the wasm module.
// The lean build (amounts, wallet addresses) initialises itself when imported.
import {
  parseAmount, formatAmount, resolveWalletAddressUrl, OpenPaymentsError,
} from './pkg/lean.js';

const $ = (id) => document.getElementById(id);

function describe(err) {
  if (err instanceof OpenPaymentsError) return { code: err.code, message: err.message };
  return { code: 'unexpected', message: String(err) };
}

function showError(box, input, err) {
  const { code, message } = describe(err);
  box.hidden = false;
  box.replaceChildren(document.createTextNode(`${message} `), Object.assign(document.createElement('code'), { textContent: code }));
  box.dataset.code = code;
  input?.setAttribute('aria-invalid', 'true');
}

function clearError(box, input) {
  box.hidden = true;
  box.textContent = '';
  delete box.dataset.code;
  input?.removeAttribute('aria-invalid');
}

function updateAmount() {
  const box = $('amount-error');
  const scaleText = $('asset-scale').value.trim();
  const scale = /^\d{1,3}$/.test(scaleText) ? Number(scaleText) : Number.NaN;
  try {
    const amount = parseAmount($('amount').value, { assetCode: $('asset-code').value, assetScale: scale });
    clearError(box, $('amount'));
    $('formatted').textContent = formatAmount(amount, { locale: $('locale').value, style: 'currency' });
    $('plain').textContent = formatAmount(amount);
    $('wire').textContent = JSON.stringify(amount);
    $('result').classList.remove('invalid');
  } catch (err) {
    showError(box, $('amount'), err);
    $('result').classList.add('invalid');
  }
}

function updateWallet() {
  const box = $('wallet-error');
  try {
    const url = resolveWalletAddressUrl($('wallet').value);
    clearError(box, $('wallet'));
    $('wallet-url').textContent = `Your wallet will be asked at ${url}`;
  } catch (err) {
    $('wallet-url').textContent = '';
    showError(box, $('wallet'), err);
  }
}

$('asset-code').addEventListener('input', () => {
  const known = [...$('asset-codes').options].find((o) => o.value === $('asset-code').value);
  if (known) $('asset-scale').value = known.dataset.scale;
  updateAmount();
});
for (const id of ['amount', 'asset-scale', 'locale']) $(id).addEventListener('input', updateAmount);
$('wallet').addEventListener('input', updateWallet);
for (const form of ['amount-form', 'wallet-form']) $(form).addEventListener('submit', (e) => e.preventDefault());
updateAmount();
updateWallet();
$('status').textContent = 'Checked in your browser by open-payments-wasm (WebAssembly).';
document.body.dataset.ready = 'true';
