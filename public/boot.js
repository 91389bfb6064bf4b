// Starts the Benefits workspace. An external module rather than Trunk's inline
// script, so the Content-Security-Policy needs no 'unsafe-inline' or hashes.
// Trunk writes the hashed file names into this tag's data attributes.
const tag = document.querySelector('script[data-wasm]');

// The language before the app starts, by the app's rule (src/locale/mod.rs):
// the choice kept in this browser, else Polish for a `pl` browser, else English.
const chosen = (() => {
  try {
    return localStorage.getItem('benefits.language');
  } catch {
    return null;
  }
})();
const lang = chosen === 'pl' || chosen === 'en' ? chosen : /^pl\b/i.test(navigator.language || '') ? 'pl' : 'en';
document.documentElement.lang = lang;
// The installed app's name in that language too (the app keeps this in step).
if (lang === 'pl') document.querySelector('link[rel="manifest"]')?.setAttribute('href', '/manifest.pl.webmanifest');
const WORDS = {
  en: {
    loading: 'Loading the Benefits workspace…',
    failed: 'The Benefits workspace could not start. Reload the page; if it keeps failing, check that your browser allows WebAssembly.',
  },
  pl: {
    loading: 'Wczytywanie obszaru roboczego Korzyści…',
    failed: 'Nie udało się uruchomić obszaru roboczego Korzyści. Odśwież stronę; jeśli problem się powtarza, sprawdź, czy przeglądarka obsługuje WebAssembly.',
  },
}[lang];

const status = document.createElement('p');
status.id = 'boot-status';
status.className = 'boot-status';
status.setAttribute('role', 'status');
status.textContent = WORDS.loading;
document.body.prepend(status);

try {
  const bindings = await import(tag.dataset.js);
  await bindings.default({ module_or_path: tag.dataset.wasm });
} catch (err) {
  status.textContent = WORDS.failed;
  status.setAttribute('role', 'alert');
  if (!status.isConnected) document.body.prepend(status);
  console.error(err);
}
