// Starts the Benefits workspace. An external module rather than Trunk's inline
// script, so the Content-Security-Policy needs no 'unsafe-inline' or hashes.
// Trunk writes the hashed file names into this tag's data attributes.
const tag = document.querySelector('script[data-wasm]');
const status = document.createElement('p');
status.id = 'boot-status';
status.className = 'boot-status';
status.setAttribute('role', 'status');
status.textContent = 'Loading the Benefits workspace…';
document.body.prepend(status);

try {
  const bindings = await import(tag.dataset.js);
  await bindings.default({ module_or_path: tag.dataset.wasm });
} catch (err) {
  status.textContent =
    'The Benefits workspace could not start. Reload the page; if it keeps failing, check that your browser allows WebAssembly.';
  status.setAttribute('role', 'alert');
  if (!status.isConnected) document.body.prepend(status);
  console.error(err);
}
