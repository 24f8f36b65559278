// Broadsheet: small enhancements. Every page works without this file.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  // the print view's button: shown only when it can work
  for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
});
