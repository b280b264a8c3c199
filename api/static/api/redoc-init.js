// Start Redoc with this page's CSP nonce, so the styles it injects at run time are allowed.
const container = document.getElementById("redoc-container");
Redoc.init(container.dataset.specUrl, { nonce: container.dataset.nonce }, container);
